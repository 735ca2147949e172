# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fleet of wanted licenses (``isp_licenses``): one read, one plan, spend limits, apply in order, report.

The per-license work is the one of ``isp_license`` (reconcile.py); this adds what only a fleet needs: one read
of the account for everyone, every problem reported at once, the spend limits, going on after a license the API
refused but stopping when the server misbehaves, and a result license by license with a summary.

An entry whose options are wrong (found before any request) fails alone: nothing is read or written for it, and the
others go on. A problem found in the account (an id that does not exist, a license not understood or in progress, a
near-match comment), and a plan beyond a spend limit, refuse the whole run before any write.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    ApiError, AuthError, BillmgrError, InvalidOptionError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.failures import Failure
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import COMMENT_LENGTH_LIMITS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import (
    Account, IdentityError, NotUnderstoodError, get_license, prefetch,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_state import edit_kinds
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import parse_max_spend, totals
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import WRITTEN
from ansible_collections.ispsystem.billmanager.plugins.module_utils.reconcile import (
    Applier, check_distinct, check_renames, check_wanted, near_match_problems, plan_wanted, price_plans,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import InProgressError

# With at most this many wanted licenses, all given by id, each is read by id instead of reading the whole list.
ID_READS_LIMIT = 20
# How many licenses a fleet reads at once when rows do not show what its plan needs (module option read_concurrency).
DEFAULT_READ_CONCURRENCY = 4
# How many items a message lists before it says "and N more".
SHOWN = 20
SUMMARY_KEYS = ('licenses', 'changed', 'unchanged', 'failed', 'not_tried', 'orders', 'renewals', 'resizes_up',
                'resizes_down', 'renames', 'suspensions', 'resumptions', 'deletions')
# The summary counter of each kind of call (edits count by what they change: see license_state.edit_kinds).
KIND_COUNTERS = {'order': 'orders', 'renewal': 'renewals', 'suspend': 'suspensions', 'resume': 'resumptions',
                 'delete': 'deletions', 'rename': 'renames', 'resize_up': 'resizes_up', 'resize_down': 'resizes_down'}
OUTCOME_COUNTERS = {'changed': 'changed', 'unchanged': 'unchanged', 'failed': 'failed', 'not tried': 'not_tried'}
# What stops planning the whole fleet (found in the account, after the reads).
PLANNING_ERRORS = (InvalidOptionError, IdentityError, NotUnderstoodError, InProgressError)


class FleetPlanningError(BillmgrError):
    """The fleet could not be planned, or its plan breaks a spend limit; nothing was written.

    ``problems``: the errors of the entries that could not be planned (each with its ``entry``)."""

    def __init__(self, message, problems=(), options=()):
        super(FleetPlanningError, self).__init__(message)
        self.problems = list(problems)
        self.concerning(options=options)


def listed(items):
    """'a; b; c' for at most SHOWN items, then '... and N more'."""
    shown = '; '.join(items[:SHOWN])
    return shown if len(items) <= SHOWN else '%s; ... and %d more' % (shown, len(items) - SHOWN)


def headlines(errors):
    return [Failure(error).headline(str) for error in errors]


class Fleet:
    """One run of isp_licenses."""

    def __init__(self, client, params, check_mode=False):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        limits = params.get('comment_length_limits')
        self.account = Account(client, COMMENT_LENGTH_LIMITS if limits is None else limits)
        self.applier = Applier(client, self.account, params['confirm_timeout'], params['wait'], params['wait_timeout'])
        self.entries = params['licenses']
        self.wanted = {}  # index in the list -> its Wanted (entries whose options are right)
        self.bad_input = {}  # index in the list -> the InvalidOptionError of its options (nothing is done for it)
        self.found = {}  # index in the list -> the license it found (None: nothing)
        self.planned = []  # the Planned of every wanted license that could be planned, in the order of the list
        self._planned_at = {}  # index in the list -> its Planned
        self.apply_started = False
        self.refused = None  # the FleetPlanningError that refused the whole plan: nothing is done

    # -- planning ---------------------------------------------------------------------------------------------

    def plan(self):
        """Check every entry, read the account, plan every license, check the spend limits; write nothing."""
        try:
            self._plan()
        except FleetPlanningError as exc:
            self.refused = exc
            raise

    def _check_entries(self):
        for index, entry in enumerate(self.entries):
            try:
                self.wanted[index] = check_wanted(entry, index)
            except InvalidOptionError as exc:
                self.bad_input[index] = exc
        check_distinct(list(self.wanted.values()))

    def _plan(self):
        try:
            self._check_entries()
        except InvalidOptionError as exc:
            raise FleetPlanningError('%s; nothing was written' % headlines([exc])[0], [exc]) from None
        wanted_list = [self.wanted[index] for index in sorted(self.wanted)]
        if any(wanted.id is None for wanted in wanted_list) or len(wanted_list) > ID_READS_LIMIT:
            self.account.read_list()
        prefetch(self.client, self.account.reads_ahead(wanted_list) if self.account.listing is not None
                 else [wanted.id for wanted in wanted_list], self.params.get('read_concurrency') or 1)
        problems = []
        for wanted in wanted_list:
            try:
                self.found[wanted.index] = self.account.find(wanted.id, wanted.comment, wanted.pricelist,
                                                             need_addons=bool(wanted.addons))
            except (IdentityError, NotUnderstoodError) as exc:
                problems.append(wanted.claim(exc))
        problems.extend(_same_license_twice(wanted_list, self.found))
        read_first = dict(self.found)
        self.found = self.applier.waits.settled_all(self.found, lambda license_id: get_license(self.client, license_id))
        today = self.account.today()  # after the reads: the server's date, from their answers
        for wanted in wanted_list:
            if wanted.index not in self.found:
                continue
            if _deleted_meanwhile(wanted, read_first[wanted.index], self.found[wanted.index]):
                problems.append(wanted.error('license %s (found by its comment) was deleted while the run waited for it to '
                                             'settle; rerun to decide on the account as it is now'
                                             % self.found[wanted.index]['id'], 'comment'))
                continue
            self._plan_one(wanted, today, problems)
        if problems:
            raise FleetPlanningError('%d of %d licenses cannot be planned; nothing was written: %s'
                                     % (len(problems), len(self.entries), listed(headlines(problems))), problems)
        try:
            check_renames(self.account, self.planned)
        except PLANNING_ERRORS as exc:
            raise FleetPlanningError('%s; nothing was written' % headlines([exc])[0], [exc]) from None
        problems = near_match_problems(self.account, self.planned)
        if problems:
            raise FleetPlanningError('%d of %d licenses cannot be planned; nothing was written: %s'
                                     % (len(problems), len(self.entries), listed(headlines(problems))), problems)
        self.check_limits()
        try:
            max_spend = parse_max_spend(self.params['max_spend']) if self.params.get('max_spend') is not None else None
            price_plans(self.client, self.planned, max_spend)
        except InvalidOptionError as exc:
            raise FleetPlanningError('%s' % exc, options=exc.options) from None

    def _plan_one(self, wanted, today, problems):
        try:
            planned = plan_wanted(wanted, self.found[wanted.index], today)
            self.applier.check_in_flux(planned)
        except PLANNING_ERRORS as exc:
            problems.append(wanted.claim(exc))
            return
        self._planned_at[wanted.index] = planned
        self.planned.append(planned)

    def check_limits(self):
        orders = [planned for planned in self.planned if planned.orders]
        max_orders = self.params.get('max_orders')
        if max_orders is not None and len(orders) > max_orders:
            raise FleetPlanningError(
                'the plan orders %d license(s), more than max_orders=%d; nothing was written. It would order: %s. '
                'Raise max_orders if these orders are meant' % (len(orders), max_orders, listed([
                    '%s %s comment %r' % (planned.wanted.in_list, planned.orders[0].params['pricelist'],
                                          planned.wanted.comment) for planned in orders])), options=['max_orders'])
        renewals = [(planned, planned.plan.count('renewal')) for planned in self.planned]
        renewals = [(planned, count) for planned, count in renewals if count]
        total = sum(count for _planned, count in renewals)
        max_renewals = self.params.get('max_renewals')
        if max_renewals is not None and total > max_renewals:
            raise FleetPlanningError(
                'the plan buys %d renewal period(s), more than max_renewals=%d; nothing was written. It would renew: %s. '
                'Raise max_renewals if these renewals are meant' % (total, max_renewals, listed([
                    '%s license %s %d x %s month(s)' % (planned.wanted.in_list, _license_id(planned), count,
                                                        _renewal_period(planned)) for planned, count in renewals])),
                options=['max_renewals'])

    # -- applying -----------------------------------------------------------------------------------------------

    def apply(self):
        """Apply the plans in the order of the list. Orders made are checked in any case.

        After the API refused a call of one license (an error answer: nothing was written by that call) the others
        are still tried; after any other failure (authentication, a lost or unacknowledged answer, a license that
        does not read back as predicted, an answer not understood) the server is not answering as expected, and the
        licenses that come later are not tried.
        """
        applier = self.applier
        self.apply_started = True
        try:
            for planned in self.planned:
                if not self._run(planned, applier.apply, planned) and not _refused_alone(planned.error):
                    break
        finally:
            self._check_orders(applier, [planned for planned in self.planned if planned.orders and planned.plan.may_have_written])
        # Each license waits on its own: one that does not become active fails alone, the others are still waited for.
        for planned in self.planned:
            if planned.outcome == 'ok' and planned.plan and self._run(planned, applier.wait_active, planned):
                self._run(planned, applier.apply_after_order, planned)

    def _check_orders(self, applier, ordered):
        if not ordered:
            return
        try:
            applier.prepare_order_check(ordered)
        except BillmgrError as exc:
            for planned in ordered:
                planned.outcome, planned.error = 'failed', planned.wanted.claim(exc)
            return
        for planned in ordered:
            if planned.outcome != 'failed':
                self._run(planned, applier.check_order, planned)

    @staticmethod
    def _run(planned, action, argument):
        """Run ``action``; on a failure mark ``planned`` failed and return False."""
        try:
            action(argument)
        except BillmgrError as exc:
            planned.outcome, planned.error = 'failed', planned.wanted.claim(exc)
            return False
        if planned.outcome is None:
            planned.outcome = 'ok'
        return True

    def failure(self):
        """(the Failure that fails the task, the progress sentence), or None: a license that failed, else an entry
        with bad input."""
        failed = next((planned for planned in self.planned if planned.outcome == 'failed'), None)
        if failed is not None:
            return Failure(failed.error, failed.plan, failed.new_ids), self.progress()
        if self.bad_input:
            index = min(self.bad_input)
            return Failure(self.bad_input[index]), self.progress()
        return None

    def progress(self):
        """Which licenses were done, which failed (bad input included), which were not tried."""
        done = [planned for planned in self.planned if planned.outcome == 'ok']
        failed = [(index, self._planned_at[index].wanted.label) for index in sorted(self._planned_at)
                  if self._planned_at[index].outcome == 'failed']
        failed = sorted(failed + [(index, _entry_name(self.entries[index], index)) for index in self.bad_input])
        waiting = [planned for planned in self.planned if planned.outcome is None]
        return 'Done: %d license(s) (%d changed). Failed: %s. Not tried: %d%s.' % (
            len(done), sum(1 for planned in done if planned.plan), ', '.join(name for _index, name in failed) or 'none',
            len(waiting), ' (%s)' % listed([p.wanted.label for p in waiting]) if waiting else '')

    # -- the result --------------------------------------------------------------------------------------------

    def report(self, diff=False):
        results = [self._result(index) for index in range(len(self.entries))]
        report = {
            'changed': any(self._changed(planned) for planned in self.planned),
            'results': results,
            'summary': self.summary(results),
            'api_requests': self.client.request_count,
        }
        if diff:
            report['diff'] = [{'before_header': result['name'], 'after_header': result['name'],
                               'before': result['before'] or {}, 'after': result['after'] or {}}
                              for result in results if result['changed']]
        return report

    def _changed(self, planned):
        if self.refused:
            return False
        return bool(planned.plan) if self.check_mode else planned.plan.may_have_written

    def _result(self, index):
        if index in self.bad_input:
            return self._bad_input_result(index)
        planned = self._planned_at.get(index)
        wanted = self.wanted[index]
        if planned is not None and not self.params.get('full_results') and self._outcome(planned) == 'unchanged':
            return _compact(wanted, planned)
        if planned is None:
            found = self.found.get(index)
            result = {'name': wanted.label, 'id': found['id'] if found else wanted.id, 'outcome': 'planned',
                      'changed': False, 'before': found, 'after': None, 'calls': [], 'notes': []}
            problem = self._problem_of(index)
            if problem is not None:
                result.update(msg=Failure(problem).headline(self.client.redact),
                              failure=Failure(problem).as_dict(self.client.redact))
            return result
        result = {
            'name': wanted.label,
            'id': (planned.after or planned.current or {}).get('id') or planned.new_ids.get('license_id'),
            'outcome': self._outcome(planned),
            'changed': self._changed(planned),
            'before': planned.current,
            'after': self._after(planned),
            'calls': planned.plan.as_result(),
            'notes': planned.notes,
        }
        if 'order_id' in planned.new_ids:
            result['order_id'] = planned.new_ids['order_id']
        if planned.costs:
            result['spend'] = [cost.as_dict() for cost in planned.costs]
        if planned.outcome == 'failed':
            failure = Failure(planned.error, planned.plan, planned.new_ids)
            result['msg'] = failure.headline(self.client.redact)
            result['failure'] = failure.as_dict(self.client.redact)
            if planned.plan.outcomes:
                result['calls_sent'] = planned.plan.sent_report()
        elif self._problem_of(index) is not None:
            problem = Failure(self._problem_of(index))
            result.update(msg=problem.headline(self.client.redact), failure=problem.as_dict(self.client.redact))
        return result

    def _bad_input_result(self, index):
        error = self.bad_input[index]
        entry = self.entries[index]
        failure = Failure(error)
        return {'name': _entry_name(entry, index), 'id': entry.get('id'), 'outcome': 'failed', 'changed': False,
                'before': None, 'after': None, 'calls': [], 'notes': [], 'msg': failure.headline(self.client.redact),
                'failure': failure.as_dict(self.client.redact)}

    def _problem_of(self, index):
        """The problem of entry ``index`` that refused the plan, if one is its own."""
        problems = self.refused.problems if self.refused is not None else []
        return next((error for error in problems if error.entry is not None and error.entry[0] == index), None)

    def _outcome(self, planned):
        if self.refused:
            return 'planned'
        if self.check_mode or planned.outcome == 'ok':
            return 'changed' if planned.plan else 'unchanged'
        if planned.outcome == 'failed':
            return 'failed'
        return 'not tried' if self.apply_started else 'planned'

    def _after(self, planned):
        if self.refused:
            return None if planned.plan else planned.current
        if self.check_mode or not planned.plan:
            return planned.predicted()
        return planned.after if planned.outcome is not None else None

    def summary(self, results):
        counts = dict((key, 0) for key in SUMMARY_KEYS)
        counts['licenses'] = len(results)
        for result in results:
            key = OUTCOME_COUNTERS.get(result['outcome'])
            if key:
                counts[key] += 1
        spent = []
        for planned in [] if self.refused else self.planned:
            calls = planned.plan.calls if self.check_mode else \
                [call for call, outcome in zip(planned.plan.calls, planned.plan.outcomes) if outcome in WRITTEN]
            for call in calls:
                for kind in _kinds(call, planned.current):
                    counts[KIND_COUNTERS[kind]] += 1
            spent.extend(cost for cost in planned.costs if cost.call in calls)
        # What the plan spends (check mode), or what the calls that may have been made spent.
        counts['spend_total'], counts['spend_unknown'] = totals(spent)
        return counts


def _compact(wanted, planned):
    """The entry of a license that needs nothing, without before, after and calls (a no-op fleet of thousands
    returns kilobytes, not megabytes)."""
    entry = {'name': wanted.label, 'id': (planned.current or {}).get('id'), 'outcome': 'unchanged', 'changed': False}
    if planned.notes:
        entry['notes'] = planned.notes
    return entry


def _kinds(call, before):
    """The summary kinds of one call: its kind, or for an edit what it changes."""
    if call.kind == 'edit':
        return sorted(edit_kinds(call.params, before))
    return [call.kind] if call.kind in KIND_COUNTERS else []


def _same_license_twice(wanted_list, found):
    """Errors for entries that found a license an earlier entry found too (one by id, one by comment, say): planned
    twice, it would be renewed twice or resized back and forth."""
    first = {}
    problems = []
    for wanted in wanted_list:
        current = found.get(wanted.index)
        if current is None:
            continue
        earlier = first.setdefault(current['id'], wanted)
        if earlier is not wanted:
            problems.append(wanted.error('names license %s, as %s does' % (current['id'], earlier.in_list), 'id', 'comment'))
    return problems


def _deleted_meanwhile(wanted, first, settled):
    return wanted.id is None and first is not None and first['status'] != 'deleted' and settled['status'] == 'deleted'


def _refused_alone(error):
    """True for an error answer about one license's call (the server works; other licenses may go on)."""
    return isinstance(error, ApiError) and not isinstance(error, AuthError)


def _entry_name(entry, index):
    name = entry.get('name') or (('license %s' % entry['id']) if entry.get('id') is not None else entry.get('comment'))
    return name if name is not None else 'licenses[%d]' % index


def _license_id(planned):
    return planned.current['id'] if planned.current is not None else '(new)'


def _renewal_period(planned):
    return next(call.params['period'] for call in planned.plan.calls if call.kind == 'renewal')
