# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fleet of wanted licenses (``isp_licenses``): one read, one plan, spend limits, apply in order, report.

The per-license work is the one of ``isp_license`` (reconcile.py); this adds what only a fleet needs: one read
of the account for everyone, every planning problem reported at once, the spend limits, going on after a license
the API refused but stopping when the server misbehaves, and a result license by license with a summary.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import addon_key
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import ApiError, AuthError, BillmgrError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import COMMENT_LENGTH_LIMITS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import (
    Account, IdentityError, NotUnderstoodError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import WRITTEN
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import InProgressError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import get_license
from ansible_collections.ispsystem.billmanager.plugins.module_utils.reconcile import (
    ORDER, Applier, check_distinct, check_near_matches, check_renames, check_wanted, plan_wanted,
)

# With at most this many wanted licenses, all given by id, each is read by id instead of reading the whole list.
ID_READS_LIMIT = 20
# How many items a message lists before it says "and N more".
SHOWN = 20
SUMMARY_KEYS = ('licenses', 'changed', 'unchanged', 'failed', 'not_tried', 'orders', 'renewals', 'resizes_up',
                'resizes_down', 'renames', 'suspensions', 'resumptions', 'deletions')
CALL_COUNTERS = {ORDER: 'orders', 'service.prolong': 'renewals', 'platform.suspend': 'suspensions',
                 'platform.resume': 'resumptions', 'platform.delete': 'deletions'}


class FleetPlanningError(BillmgrError):
    """The fleet could not be planned, or its plan breaks a spend limit; nothing was written."""


def listed(items):
    """'a; b; c' for at most SHOWN items, then '... and N more'."""
    shown = '; '.join(items[:SHOWN])
    return shown if len(items) <= SHOWN else '%s; ... and %d more' % (shown, len(items) - SHOWN)


class Fleet:
    """One run of isp_licenses."""

    def __init__(self, client, params, check_mode=False):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.account = Account(client, params.get('comment_length_limits') or COMMENT_LENGTH_LIMITS)
        self.applier = Applier(client, self.account, params['confirm_timeout'], params['wait'], params['wait_timeout'])
        self.found = {}  # index in the list -> the license it found (None: nothing)
        self.wanted = []
        self.planned = []  # the Planned of every wanted license that could be planned, in the order of the list
        self._planned_at = {}  # index in the list -> its Planned
        self.writing = False
        self.refused = False  # the plan was refused as a whole (planning problems, spend limits): nothing is done

    # -- planning ---------------------------------------------------------------------------------------------

    def plan(self):
        """Check every entry, read the account, plan every license, check the spend limits; write nothing."""
        try:
            self._plan()
        except FleetPlanningError:
            self.refused = True
            raise

    def _plan(self):
        self.wanted = [check_wanted(entry, where=_where(index, entry)) for index, entry in enumerate(self.params['licenses'])]
        check_distinct(self.wanted)
        if any(wanted.id is None for wanted in self.wanted) or len(self.wanted) > ID_READS_LIMIT:
            self.account.read_list()
        problems = []
        found = {}
        for index, wanted in enumerate(self.wanted):
            try:
                found[index] = self.account.find(wanted.id, wanted.comment, wanted.pricelist, need_addons=bool(wanted.addons))
            except (IdentityError, NotUnderstoodError) as exc:
                problems.append(_prefixed(wanted, exc))
        problems.extend(_same_license_twice(self.wanted, found))
        found = self.applier.waits.settled_all(found, lambda license_id: get_license(self.client, license_id))
        self.found = found
        today = self.account.today()  # after the reads: the server's date, from their answers
        for index, wanted in enumerate(self.wanted):
            if index not in found:
                continue
            current = found[index]
            try:
                planned = plan_wanted(wanted, current, today)
                self.applier.check_in_flux(planned)
            except (InvalidOptionError, InProgressError) as exc:
                problems.append(_prefixed(wanted, exc))
                continue
            self._planned_at[index] = planned
            self.planned.append(planned)
        if problems:
            raise FleetPlanningError('%d of %d licenses cannot be planned; nothing was written: %s'
                                     % (len(problems), len(self.wanted), listed(problems)))
        try:
            check_renames(self.account, self.planned)
            check_near_matches(self.account, self.planned)
        except (InvalidOptionError, IdentityError, NotUnderstoodError) as exc:
            raise FleetPlanningError('%s; nothing was written' % exc) from None
        self.check_limits()

    def check_limits(self):
        orders = [planned for planned in self.planned if planned.orders]
        max_orders = self.params.get('max_orders')
        if max_orders is not None and len(orders) > max_orders:
            raise FleetPlanningError(
                'the plan orders %d license(s), more than max_orders=%d; nothing was written. It would order: %s. '
                'Raise max_orders if these orders are meant' % (len(orders), max_orders, listed([
                    '%s %s comment %r' % (planned.wanted.where.rstrip(': '), planned.orders[0].params['pricelist'],
                                          planned.wanted.comment) for planned in orders])))
        renewals = [(planned, _count(planned.plan.calls, 'service.prolong')) for planned in self.planned]
        renewals = [(planned, count) for planned, count in renewals if count]
        total = sum(count for _planned, count in renewals)
        max_renewals = self.params.get('max_renewals')
        if max_renewals is not None and total > max_renewals:
            raise FleetPlanningError(
                'the plan buys %d renewal period(s), more than max_renewals=%d; nothing was written. It would renew: %s. '
                'Raise max_renewals if these renewals are meant' % (total, max_renewals, listed([
                    '%s license %s %d x %s month(s)' % (planned.wanted.where.rstrip(': '), planned.current['id'], count,
                                                        _renewal_period(planned)) for planned, count in renewals])))

    # -- applying -----------------------------------------------------------------------------------------------

    def apply(self):
        """Apply the plans in the order of the list. Orders made are checked in any case.

        After the API refused a call of one license (an error answer: nothing was written by that call) the others
        are still tried; after any other failure (authentication, a lost or unacknowledged answer, a license that
        does not read back as predicted, an answer not understood) the server is not answering as expected, and the
        licenses that come later are not tried.
        """
        applier = self.applier
        self.writing = True
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
                planned.outcome, planned.error = 'failed', exc
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
            planned.outcome, planned.error = 'failed', exc
            return False
        if planned.outcome is None:
            planned.outcome = 'ok'
        return True

    def failed(self):
        """The first license that failed, or None (the others are in the results)."""
        return next((planned for planned in self.planned if planned.outcome == 'failed'), None)

    def progress(self):
        """Which licenses were done, which failed, which were not tried."""
        done = [planned for planned in self.planned if planned.outcome == 'ok']
        failed = [planned for planned in self.planned if planned.outcome == 'failed']
        waiting = [planned for planned in self.planned if planned.outcome is None]
        return 'Done: %d license(s) (%d changed). Failed: %s. Not tried: %d%s.' % (
            len(done), sum(1 for planned in done if planned.plan), ', '.join(p.wanted.label for p in failed) or 'none',
            len(waiting), ' (%s)' % listed([p.wanted.label for p in waiting]) if waiting else '')

    # -- the result --------------------------------------------------------------------------------------------

    def report(self, diff=False):
        results = [self._result(index, wanted) for index, wanted in enumerate(self.wanted)]
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

    def _result(self, index, wanted):
        planned = self._planned_at.get(index)
        if planned is None:
            found = self.found.get(index)
            return {'name': wanted.label, 'id': found['id'] if found else wanted.id, 'outcome': 'planned', 'changed': False,
                    'before': found, 'after': None, 'calls': [], 'notes': []}
        result = {
            'name': wanted.label,
            'id': (planned.after or planned.current or {}).get('id') or planned.spent.get('license_id'),
            'outcome': self._outcome(planned),
            'changed': self._changed(planned),
            'before': planned.current,
            'after': self._after(planned),
            'calls': planned.plan.as_result(),
            'notes': planned.notes,
        }
        if 'order_id' in planned.spent:
            result['order_id'] = planned.spent['order_id']
        if planned.outcome == 'failed':
            result['msg'] = '%s' % self.client.redact(planned.error)
            if planned.plan.outcomes:
                result['calls_sent'] = planned.plan.sent_report()
        return result

    def _outcome(self, planned):
        if self.refused:
            return 'planned'
        if self.check_mode or planned.outcome == 'ok':
            return 'changed' if planned.plan else 'unchanged'
        if planned.outcome == 'failed':
            return 'failed'
        return 'not tried' if self.writing else 'planned'

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
            key = {'changed': 'changed', 'unchanged': 'unchanged', 'failed': 'failed', 'not tried': 'not_tried'}.get(result['outcome'])
            if key:
                counts[key] += 1
        for planned in [] if self.refused else self.planned:
            calls = planned.plan.calls if self.check_mode else \
                [call for call, outcome in zip(planned.plan.calls, planned.plan.outcomes) if outcome in WRITTEN]
            for call in calls:
                _count_call(counts, call, planned.current)
        return counts


def _same_license_twice(wanted_list, found):
    """Problems for entries that found a license an earlier entry found too (one by id, one by comment, say): planned
    twice, it would be renewed twice or resized back and forth."""
    first = {}
    problems = []
    for index, wanted in enumerate(wanted_list):
        current = found.get(index)
        if current is None:
            continue
        earlier = first.setdefault(current['id'], wanted)
        if earlier is not wanted:
            problems.append('%snames license %s, as %s does' % (wanted.where, current['id'], earlier.where.rstrip(': ')))
    return problems


def _refused_alone(error):
    """True for an error answer about one license's call (the server works; other licenses may go on)."""
    return isinstance(error, ApiError) and not isinstance(error, AuthError)


def _where(index, entry):
    label = entry.get('name') or (entry.get('id') if entry.get('id') is not None else entry.get('comment'))
    return 'licenses[%d]%s: ' % (index, ' (%s)' % label if label is not None else '')


def _prefixed(wanted, exc):
    text = '%s' % exc
    return text if text.startswith(wanted.where) else '%s%s' % (wanted.where, text)


def _count(calls, func):
    return sum(1 for call in calls if call.func == func)


def _renewal_period(planned):
    return next(call.params['period'] for call in planned.plan.calls if call.func == 'service.prolong')


def _count_call(counts, call, before):
    if call.func in CALL_COUNTERS:
        counts[CALL_COUNTERS[call.func]] += 1
        return
    if call.func != 'platform.edit':
        return
    if 'comment' in call.params:
        counts['renames'] += 1
    known = (before or {}).get('addons') or {}
    changes = [(count, known.get(addon_key(before['pricelist'], int(name[len('addon_'):]))))
               for name, count in call.params.items() if name.startswith('addon_')]
    if any(now is None or count > now for count, now in changes):
        counts['resizes_up'] += 1
    if any(now is not None and count < now for count, now in changes):
        counts['resizes_down'] += 1
