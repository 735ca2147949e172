# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reconcile wanted licenses with the account: who each one is, the plan, applying it, verifying it.

One mechanism for ``isp_license`` (one wanted license) and ``isp_licenses`` (a fleet):

- ``check_wanted``: the options of one wanted license, checked before any request;
- ``Account``: the reads of a run (the whole list once, or single licenses by id) and the order gate;
- ``plan_wanted``: resume / renew / edit / suspend / order, in the order that loses no paid day;
- ``Applier``: applies plans (``apply_plan``), verifies every change against its prediction, checks after
  orders that exactly one live license carries each ordered comment, and waits for new licenses.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import (
    DEFAULT_AUTOPROLONG, DEFAULT_MAX_PERIODS, DEFAULT_PERIOD, DEFAULT_RENEWAL_PERIOD, NOT_YET_ACTIVE, PRODUCT_REQUIRED, addon_key,
    check_lower_bounds, parse_iso_date, pricelist_of, product_label,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.failures import entry_label
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import (
    comment_alteration, comment_problem, comment_refusal, how_stored, parse_int,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import IdentityError, get_license
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_state import (
    check_addon_counts, plan_change, plan_order, resolve_addons,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import PriceReader, spend_problem, totals
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import (
    ConfirmedByRead, Plan, VerificationError, apply_plan, verify_applied,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.renewal import needs_renewal, plan_renewal, suspension
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import Waits, describe_progress, in_flux
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of

TRIAL_NOTE = 'a trial license is not renewed (BILLmanager does not prolong trials); order a paid one to keep it'
IN_FLUX_NOTE = ('license %s shows %s: nothing is planned for it now; rerun once it settles to check it against what '
                'is wanted')
DO_NOT_RERUN = 'Do not rerun before checking the account (isp_license_info).'
LATE_EFFECT_ADVICE = ('Check the license (isp_license_info) until it shows the change before rerunning, or a rerun may '
                      'make the call again.')
PENDING_NOTE = ('license %s shows %s after the calls: the server took them and has not finished; with wait=false their '
                'effect is not verified. A rerun waits for the change to settle before it decides anything')


class Wanted:
    """One wanted license, its options checked (see ``check_wanted``).

    ``index``: its place in a fleet's ``licenses`` (None for a module that manages one license); errors about it carry
    ``entry`` = (index, name), which the failure report renders as ``licenses[3] (web-4)``.
    """

    def __init__(self, options, index=None):
        self.options = options
        self.index = index
        self.id = options.get('id')
        self.comment = options.get('comment')
        self.pricelist = pricelist_of(options.get('product'), options.get('pricelist'))
        self.state = options.get('state') or 'present'
        self.addons = options.get('addons') or {}
        self.allow_shrink = options.get('allow_shrink', True)
        self.renew = options.get('renew')
        self.label = options.get('name') or (('license %s' % self.id) if self.id is not None else self.comment)
        name = options.get('name') or (self.id if self.id is not None else self.comment)
        self.entry = (index, name) if index is not None else None
        self.renew_prefix = 'renew.'  # how the options of the renewal target are named (``check_wanted``)

    @property
    def in_list(self):
        """How messages about other entries name it: ``licenses[3] (web-4)``, or its label."""
        return entry_label(*self.entry) if self.entry else self.label

    def error(self, message, *options):
        """An InvalidOptionError about this wanted license and the ``options`` named."""
        return InvalidOptionError(message, options).concerning(entry=self.entry)

    def claim(self, error):
        """``error`` as this wanted license's (its entry attached, unless it has one)."""
        if error.entry is None:
            error.concerning(entry=self.entry)
        return error


def check_wanted(options, index=None, renew_option='renew'):
    """The Wanted for ``options``, or InvalidOptionError naming the options concerned: what the argument specs cannot
    say (one of id and comment, mutually exclusive options, choices and types are theirs).

    ``index``: its place in a fleet's ``licenses``. ``renew_option``: the name of the option that holds the renewal
    target (None: its keys are options of their own, as in isp_license_prolong).
    """
    wanted = Wanted(options, index)
    prefix = wanted.renew_prefix = '%s.' % renew_option if renew_option else ''
    if wanted.id is None and wanted.pricelist is None:
        raise wanted.error(PRODUCT_REQUIRED, 'product', 'pricelist')
    if wanted.comment is not None and comment_problem(wanted.comment):
        raise wanted.error(comment_refusal(wanted.comment), 'comment')
    try:
        check_addon_counts(wanted.addons)
        if wanted.pricelist is not None:
            resolve_addons(wanted.addons, wanted.pricelist)
    except InvalidOptionError as exc:
        raise wanted.claim(exc) from None
    if wanted.renew is not None:
        wanted.renew = check_renew(wanted, wanted.renew, prefix)
    return wanted


def check_renew(wanted, renew, prefix='renew.'):
    """The renewal target with ``until`` as a date; InvalidOptionError for a target that is not one (the lower bounds
    are the argument spec's, checked before any request by api_module.check_options)."""
    renew = dict(renew)
    shown = prefix.replace('.', ': ')
    if renew.get('min_days_left') is None and renew.get('until') is None and not renew.get('force'):
        if 'force' in renew:
            raise wanted.error('%sset a target, min_days_left or until, or force=true to renew once unconditionally '
                               '(force renews on every run)' % shown, prefix + 'min_days_left', prefix + 'until', 'force')
        raise wanted.error('%sset a target, min_days_left or until' % shown, prefix + 'min_days_left', prefix + 'until')
    if renew.get('max_periods') is None:
        renew['max_periods'] = DEFAULT_MAX_PERIODS
    check_lower_bounds(renew, prefix, wanted.error)
    if isinstance(renew.get('until'), str):
        until = parse_iso_date(renew['until'])
        if until is None:
            raise wanted.error('%suntil must be a date written YYYY-MM-DD, got %r' % (shown, renew['until']), prefix + 'until')
        renew['until'] = until
    return renew


def check_distinct(wanted_list):
    """Two wanted licenses must not name the same license (by id, or by comment within a product)."""
    seen = {}
    for wanted in wanted_list:
        key = ('id', wanted.id) if wanted.id is not None else ('comment', wanted.pricelist, wanted.comment)
        if key in seen:
            named = 'id %s' % wanted.id if wanted.id is not None else 'comment %r' % wanted.comment
            raise wanted.error('names the same license as %s (%s)' % (seen[key].in_list, named),
                               'id' if wanted.id is not None else 'comment')
        seen[key] = wanted


def check_renames(account, planned_list):
    """A rename must not give a live license the comment another live license of its product carries (now, or after
    this run: another wanted license with that comment, or a second rename to it)."""
    taken = {}
    for planned in planned_list:
        wanted = planned.wanted
        if wanted.comment is not None and wanted.id is None:
            taken[(wanted.pricelist, wanted.comment)] = wanted
    for planned in planned_list:
        current, wanted = planned.current, planned.wanted
        if not planned.plan or current is None or wanted.id is None or wanted.comment in (None, current['comment']):
            continue
        key = (current['pricelist'], wanted.comment)
        others = [lic for lic in account.with_comment(wanted.comment, current['pricelist']) if lic['id'] != current['id']]
        if others:
            raise wanted.error('comment %r is already carried by license %s of the same product; comments identify '
                               'licenses, so license %s is not renamed to it'
                               % (wanted.comment, ', '.join('%s' % lic['id'] for lic in others), current['id']))
        if key in taken and taken[key] is not wanted:
            raise wanted.error('comment %r is wanted by another license of this run (%s); license %s is not renamed to it'
                               % (wanted.comment, taken[key].label, current['id']))
        taken[key] = wanted


class Planned:
    """What a run will do for one wanted license."""

    def __init__(self, wanted, current, plan, notes=None):
        self.wanted = wanted
        self.current = current
        self.plan = plan
        self.notes = notes or []
        self.after = None
        self.new_ids = {}  # order_id and license_id of an order, as soon as they are known
        self.confirmed = None  # after a lost order answer: the one license a fresh read found
        self.outcome = None  # None (not tried), 'ok', 'failed'
        self.error = None
        self.answers = []  # the answers of the calls applied
        self.costs = []  # money.Cost of each call that spends money, once priced (``price_plans``)
        self.pending = False  # wait=false and the license shows the calls in progress: their effect is not verified

    @property
    def orders(self):
        return [call for call in self.plan.calls if call.kind == 'order']

    def predicted(self):
        return self.plan.predict(self.current) if self.plan else self.current


def plan_wanted(wanted, current, today):
    """The Planned for one wanted license found as ``current`` (None: not found)."""
    if current is None:
        return _plan_new(wanted, today)
    addons, notes = _wanted_addons(wanted, current)
    rename = wanted.comment if wanted.id is not None else None
    plan = Plan()
    state_now = current
    if current['status'] != 'deleted' and wanted.state != 'absent' and wanted.renew is not None:
        kind = suspension(current, today)
        if wanted.state == 'suspended' and kind in ('expired', 'by_owner_expired') and _needs_renewal(current, wanted.renew, today):
            raise wanted.error('license %s is suspended and expired (%s): renewing it with state=suspended would pay for '
                               'time that runs unused; nothing was bought. Set state active to renew it, or remove renew'
                               % (current['id'], current['expiredate']))
        if wanted.state == 'active' and kind == 'by_owner':
            # Resume first: renewing a license suspended with paid days left would count from today.
            plan.extend(plan_change(current, 'active', None, {}, today))
            state_now = plan.predict(current)
        renewal, note = _plan_renewal(wanted, state_now, today, resumes_after=wanted.state == 'active')
        plan.extend(renewal)
        notes.extend(note)
        state_now = plan.predict(current)
    plan.extend(plan_change(state_now, wanted.state, rename, addons, today))
    return Planned(wanted, current, plan, notes)


def _plan_new(wanted, today):
    """The Planned for a wanted license that nothing matches: nothing (absent), an order, and the renewals its target
    needs beyond the ordered period (their ``elid`` is set once the order made the license)."""
    options = wanted.options
    if wanted.state == 'absent':
        return Planned(wanted, None, Plan())
    if wanted.state == 'suspended':
        raise wanted.error('no license matches comment %r; state=suspended never orders one' % wanted.comment)
    period, autoprolong = options.get('period') or DEFAULT_PERIOD, options.get('autoprolong') or DEFAULT_AUTOPROLONG
    if autoprolong not in ('off', period):
        raise wanted.error('autoprolong %s differs from period %s: BILLmanager switches automatic renewal on only when it '
                           'equals the period, so the license would not renew itself as asked; nothing was ordered. Set '
                           'autoprolong to %s or off' % (autoprolong, period, period if period != 'trial' else "'1' or '12' with a paid period"))
    addons = resolve_addons(wanted.addons, wanted.pricelist)
    plan = plan_order(wanted.pricelist, period, autoprolong, wanted.comment, addons, options.get('skip_basket', True), today)
    notes = []
    ordered = plan.predict(None)
    if wanted.renew is not None and ordered is not None and ordered['expiredate']:
        renewal, notes = _plan_renewal(wanted, ordered, today)
        plan.extend(renewal)
    elif wanted.renew is not None and ordered is not None and period == 'trial':
        notes = [TRIAL_NOTE]
    return Planned(wanted, None, plan, notes)


def _wanted_addons(wanted, current):
    """({addon id: count} to manage, notes); with allow_shrink false an addon is never lowered below its count."""
    addons = resolve_addons(wanted.addons, current['pricelist'])
    if addons and current['addons'] is None:
        raise wanted.error('the API did not show the addon values of license %s, so they cannot be compared' % current['id'])
    notes = []
    if not wanted.allow_shrink:
        for addon_id, count in sorted(addons.items()):
            name = addon_key(current['pricelist'], addon_id)
            now = current['addons'].get(name)
            if now is not None and count < now:
                addons[addon_id] = now
                notes.append('%s kept at the current %s (wanted %s; shrinking is not allowed)' % (name, now, count))
    return addons, notes


def _plan_renewal(wanted, lic, today, resumes_after=False):
    renew = wanted.renew
    if lic['period'] == 'trial':
        return Plan(), [TRIAL_NOTE] if _needs_renewal(lic, renew, today) else []
    period = renew.get('period') or parse_int(lic['period']) or DEFAULT_RENEWAL_PERIOD
    try:
        return plan_renewal(lic, period, today, renew.get('min_days_left'), renew.get('until'), renew.get('force', False),
                            renew['max_periods'], resumes_after), []
    except InvalidOptionError as exc:
        exc.options = tuple(wanted.renew_prefix + name for name in exc.options)
        raise wanted.claim(exc) from None


def _needs_renewal(lic, renew, today):
    return needs_renewal(lic, today, renew.get('min_days_left'), renew.get('until'))


class Applier:
    """Applies the plans of a run, verifies them, and knows what was sent (for a failure half-way)."""

    def __init__(self, client, account, confirm_timeout, wait=True, wait_timeout=300):
        self.client = client
        self.account = account
        self.confirm_timeout = confirm_timeout
        self.waits = Waits(client, wait, wait_timeout)
        self._fresh_list = True

    def settled(self, lic, by_comment=False):
        """``lic`` once it shows no change in progress (see Waits.settled): call it before planning.

        A license that is gone, or (found by its comment) deleted, when read again fails: it is never taken as "not
        found", which would order one (or, by id, plan an order for a license given by id).
        """
        if lic is None:
            return None
        found = self.waits.settled(lic, lambda: get_license(self.client, lic['id']))
        if found is None or (by_comment and found['status'] == 'deleted' and lic['status'] != 'deleted'):
            raise IdentityError(
                'license %s%s was %s while the run waited for it to settle; nothing was written'
                % (lic['id'], ' (found by its comment)' if by_comment else '', 'gone' if found is None else 'deleted')
            ).concerning(advice='Rerun to decide on the account as it is now.')
        return found

    def check_in_flux(self, planned):
        """Refuse a plan that would write to a license in progress; note one in progress that needs nothing."""
        self.waits.refuse_in_flux(planned.current, planned.plan)
        if in_flux(planned.current):
            planned.notes.append(IN_FLUX_NOTE % (planned.current['id'], describe_progress(planned.current)))

    def apply(self, planned):
        """Apply one license's plan. An order's check (``check_orders``), the wait and the renewals of a new license
        (``apply_after_order``) come after."""
        wanted = planned.wanted
        if not planned.plan:
            planned.after = planned.current
            return
        if planned.orders:
            answer = apply_plan(self.client, planned.plan, lambda: self._the_one_ordered(wanted), self.confirm_timeout,
                                calls=planned.plan.calls[:1])[0]
            _note_order(planned, answer)
            return
        current = planned.current

        def reread():
            return get_license(self.client, current['id'])

        planned.answers = apply_plan(self.client, planned.plan, reread, self.confirm_timeout, self.waits)
        planned.after = planned.plan.last_read
        self._verify(planned.plan, current, planned.after, planned)

    def _verify(self, plan, before, after, planned=None):
        if not self.waits.wait and in_flux(after):
            # wait=false: the server took the calls and shows them in progress; their effect cannot be read yet.
            if planned is not None:
                planned.pending = True
                planned.notes.append(PENDING_NOTE % (after['id'], describe_progress(after)))
            return
        try:
            verify_applied(plan, before, after)
        except VerificationError as exc:
            waited = ('read back for up to wait_timeout=%ss' % self.waits.wait_timeout if self.waits.wait else
                      'read back once (wait is false)')
            raise VerificationError(
                '%s It was %s, and it showed no change in progress. The server may still apply the change later'
                % (exc, waited)
            ).concerning(advice=LATE_EFFECT_ADVICE) from None

    def _the_one_ordered(self, wanted):
        """After a lost order answer: the one live license with the comment (None: none yet); two fail loudly, and so
        does a license whose comment the server altered (it would never be found again)."""
        matches = self.account.fresh_with_comment(wanted.comment, wanted.pricelist)
        if len(matches) > 1:
            raise _duplicates(wanted.comment, matches)
        if not matches:
            near = self.account.near_matches(wanted.comment, wanted.pricelist)
            if near:
                raise BillmgrError('the answer to the order was lost, and no live license carries comment %r, but %s; the '
                                   'server may have stored the comment otherwise than it was sent'
                                   % (wanted.comment, near_list(near, wanted.comment))).concerning(advice=DO_NOT_RERUN)
        return matches[0] if matches else None

    def check_orders(self, ordered):
        """After orders: one fresh read; each ordered comment must be on exactly one live license, the one ordered."""
        self.prepare_order_check(ordered)
        for planned in ordered:
            self.check_order(planned)

    def prepare_order_check(self, ordered):
        """Read the whole list again, unless every order was confirmed by such a read after a lost answer."""
        paid = [planned for planned in ordered if planned.wanted.options.get('skip_basket', True)]
        self._fresh_list = not all(planned.confirmed is not None for planned in paid)
        if paid and self._fresh_list:
            self.account.read_list()

    def check_order(self, planned):
        """The one live license with the ordered comment, read whole and verified against the order's prediction."""
        wanted = planned.wanted
        if not wanted.options.get('skip_basket', True):
            return  # an order left in the cart makes no usable license
        if self._fresh_list:
            matches = self.account.with_comment(wanted.comment, wanted.pricelist)
        else:
            matches = [planned.confirmed]
        found = _the_ordered_one(planned, matches, self.client, self.account.comment_limits)
        planned.new_ids['license_id'] = found['id']
        planned.after = get_license(self.client, found['id']) or found
        verify_applied(planned.plan.part(1), None, planned.after)

    def wait_active(self, planned):
        """With ``wait``: after an order, or any change wanting state active, wait until the license is active."""
        lic = planned.after
        if not self.waits.wait or lic is None or not (planned.orders or planned.wanted.state == 'active'):
            return
        found = self.waits.poll(lambda: get_license(self.client, lic['id']), _settled_active, first=lic)
        if found is not None and not _settled_active(found):
            progress = found['in_progress'] if found['in_progress'] not in (None, found['status']) else None
            raise BillmgrError('license %s is still %s%s after wait_timeout=%ss; it may become active later: rerun to check'
                               % (lic['id'], found['status'], ' (%s in progress)' % progress if progress else '',
                                  self.waits.wait_timeout))
        planned.after = found

    def wait_for_key(self, planned):
        """Read the license on its own until BILLmanager shows its key issued (bounded by wait_timeout).

        The key appears some time after an order (a public client re-reads the service until ``lickey`` is no longer
        empty). Only whether it is issued is kept; the key itself is isp_license_info's to reveal.
        """
        lic = planned.after if planned.after is not None else planned.current
        if lic is None or lic['status'] == 'deleted':
            return
        found = Waits(self.client, True, self.waits.wait_timeout).poll(
            lambda: get_license(self.client, lic['id']), lambda current: current is None or current.get('key_issued'),
            first=lic if 'key_issued' in lic else None)
        if found is not None and not found.get('key_issued'):
            raise BillmgrError('the key of license %s was not issued within wait_timeout=%ss' % (lic['id'], self.waits.wait_timeout)
                               ).concerning(options=['wait_for_key', 'wait_timeout'],
                                            advice='Rerun later: the license is there, and a rerun orders nothing.')
        planned.after = found

    def apply_after_order(self, planned):
        """The renewals a new license needs to reach its renewal target, planned again on the license as it was made
        (never more than the plan approved), once it shows no change in progress."""
        planned_renewals = planned.plan.calls[1:] if planned.orders else []
        if not planned_renewals or planned.after is None:
            return
        lic = self.settled(planned.after)
        renewal, _notes = _plan_renewal(planned.wanted, lic, self.account.today())
        self.waits.refuse_in_flux(lic, renewal)
        if len(renewal) > len(planned_renewals):
            raise BillmgrError('the new license %s expires on %s and its renewal target now needs %d renewal(s), more than '
                               'the %d planned; none was bought: rerun to plan them again'
                               % (lic['id'], lic['expiredate'], len(renewal), len(planned_renewals)))
        planned.plan.calls[1:] = renewal.calls
        if not renewal:
            return

        def reread():
            return get_license(self.client, lic['id'])

        apply_plan(self.client, planned.plan, reread, self.confirm_timeout, self.waits, calls=renewal.calls)
        planned.after = planned.plan.last_read
        self._verify(renewal, lic, planned.after, planned)


def _settled_active(lic):
    return lic is None or (lic['status'] not in NOT_YET_ACTIVE and lic['in_progress'] is None)


def near_list(near, comment):
    """'license 7 carries 'web' (the comment cut at 32 characters); ...' for messages."""
    return '; '.join('license %s carries %r (%s)' % (lic['id'], lic['comment'], how_stored(lic['comment'], comment))
                     for lic in near)


def price_plans(client, planned_list, max_spend=None):
    """State what each plan's money calls cost (forms read only for them), then refuse the whole lot when it breaks
    ``max_spend`` (a parsed (amount, currency), or None)."""
    reader = PriceReader(client)
    for planned in planned_list:
        planned.costs = reader.costs(planned.plan, planned.current) if planned.plan else []
    if max_spend is not None:
        problem = spend_problem([cost for planned in planned_list for cost in planned.costs], max_spend)
        if problem:
            raise InvalidOptionError(problem, ['max_spend'])


def spend_result(costs):
    """``spend``, ``spend_total`` and ``spend_unknown`` of a result."""
    total, unknown = totals(costs)
    return dict(spend=[cost.as_dict() for cost in costs], spend_total=total, spend_unknown=unknown)


def near_match_problems(account, planned_list):
    """The errors of the wanted licenses found by no exact comment while a live license carries a near match of it (the
    server may have cut, escaped or folded the comment of a license ordered before): an order would buy it a second
    time, a deletion (state absent) would find nothing and leave it paid for. Never "not found" on a guess."""
    problems = []
    for planned in planned_list:
        wanted = planned.wanted
        if planned.current is not None or wanted.id is not None or not (planned.orders or wanted.state == 'absent'):
            continue
        near = account.near_matches(wanted.comment, wanted.pricelist)
        if not near:
            continue
        if planned.orders:
            risk = 'so ordering could buy it a second time; nothing was ordered'
        else:
            risk = 'so state=absent would find nothing and leave it (and its automatic renewal) in place'
        problems.append(wanted.error(
            'no live license of %s carries comment %r exactly, but %s: the server may have stored the comment of a '
            'license ordered before otherwise than it was sent, %s. If that license is the one meant, manage it by its '
            'id; if it is another one, choose a comment that is not a near match of its comment, or change '
            'comment_length_limits' % (product_label(wanted.pricelist), wanted.comment, near_list(near, wanted.comment),
                                       risk), 'comment', 'comment_length_limits'))
    return problems


def check_near_matches(account, planned_list):
    """Raise the first of ``near_match_problems``."""
    problems = near_match_problems(account, planned_list)
    if problems:
        raise problems[0]


def _note_order(planned, answer):
    if isinstance(answer, ConfirmedByRead):
        planned.confirmed = answer.license  # the answer was lost; the confirming read found it
        planned.new_ids['license_id'] = answer.license['id']
        return
    # A paid order answers <billorder.id>; one left in the cart answers <billorder> (and an <ok> with a text).
    for key, path in (('order_id', 'billorder.id'), ('order_id', 'billorder'), ('license_id', 'id')):
        value = parse_int(text_of(answer, path))
        if value is not None and key not in planned.new_ids:
            planned.new_ids[key] = value


def stored_otherwise(new_id, stored, sent, limits):
    """The error of an order whose license carries its comment stored otherwise than sent."""
    refused_by_rerun = comment_alteration(stored, sent, limits) is not None
    how = how_stored(stored, sent)
    if refused_by_rerun:
        rerun = 'A rerun with this comment refuses to order (it finds this license as a near match)'
        advice = 'Manage license %s by its id, or use a comment the server keeps as sent.' % new_id
    else:
        rerun = 'A rerun with this comment would order again'
        cut = len(stored) if stored and sent.startswith(stored) else None
        advice = ('Do not rerun it as it is: %smanage license %s by its id, or use a comment the server keeps as sent.'
                  % ('add %d to comment_length_limits (then a rerun refuses), ' % cut if cut else '', new_id))
    return BillmgrError(
        'the order was accepted and made license %s, but the server stored its comment as %r, not as sent (%r: %s), so '
        'the license cannot be found by its comment. %s' % (new_id, stored, sent, how, rerun)
    ).concerning(options=['comment', 'comment_length_limits'], advice=advice)


def _the_ordered_one(planned, matches, client, limits):
    wanted = planned.wanted
    new_id = planned.new_ids.get('license_id')
    if len(matches) > 1:
        raise _duplicates(wanted.comment, matches)
    if not matches:
        shown = get_license(client, new_id) if new_id is not None else None
        if shown is not None and shown['comment'] != wanted.comment:
            raise stored_otherwise(new_id, shown['comment'], wanted.comment, limits)
        raise BillmgrError(
            'the order was accepted, but no live license with comment %r shows in the account%s'
            % (wanted.comment, '' if shown is None else ' (license %s shows comment %r, status %s)'
               % (new_id, shown['comment'], shown['status']))).concerning(advice=DO_NOT_RERUN)
    if new_id is not None and matches[0]['id'] != new_id:
        raise BillmgrError('the order answered license id %s, but the license with comment %r is %s'
                           % (new_id, wanted.comment, matches[0]['id'])).concerning(advice=DO_NOT_RERUN)
    return matches[0]


def _duplicates(comment, matches):
    return IdentityError(
        'after the order, %d live licenses carry comment %r: ids %s. Another run may have ordered at the same time. '
        'Nothing was deleted: keep one (delete the others with state=absent and their id), then rerun'
        % (len(matches), comment, ', '.join('%s' % lic['id'] for lic in matches)))
