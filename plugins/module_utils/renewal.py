# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renewal planning: dates, the vendor's rule, suspended licenses, and the plan.

The vendor's rule: renewing an active license extends it from its expiry date; renewing a
suspended one extends it from the renewal date (today).

Suspended licenses (``suspension``): the reason comes from the ``orig`` sub-state of status 3 where the server
names one (``suspend_reason``), else from the dates:
- ``staff``: suspended by the provider's staff (``employeesuspend``, ``abusesuspend``). It cannot be resumed or
  reactivated by its owner: never renewed, never resumed.
- ``expired``: suspended for non-payment (``autosuspend``, or no reason shown and the expiry is not after today). A
  renewal extends it from today and reactivates it (predicted status active, verified after the run). One period
  per run at most: if the server does not reactivate it, a second period would again count from today.
- ``by_owner``: suspended by its owner with paid days left (``usersuspend``, or no reason shown and the expiry is
  after today). Renewing it now would throw the paid days away: never renewed while suspended; resume it first
  (the bulk module and the role resume before they renew, when the wanted state is active).
- ``by_owner_expired``: suspended by its owner (``usersuspend``) and expired since. A renewal extends it from today
  but does not reactivate it: it is renewed only when the wanted state is active, and then resumed after it.
- ``unknown``: a reason this collection does not know. Never renewed, never resumed.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import (
    DEFAULT_MAX_PERIODS, FUNCS, LIVE_STATUSES, STATUS_NAMES, SUSPENDED_BY_OWNER, SUSPENDED_BY_STAFF, SUSPENDED_FOR_NONPAYMENT, parse_iso_date,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import Plan

# How many renewals a plan is walked for at most: 100 years of monthly periods; past it, only "more" is told.
MAX_WALK = 1200


class BeyondCalendarError(InvalidOptionError):
    """A renewal target lies beyond the last date the calendar can hold (9999-12-31)."""


def add_months(day, months):
    """``day`` plus ``months`` calendar months, the day clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    if year > datetime.MAXYEAR:
        raise BeyondCalendarError('a renewal would end after %s, the last date this collection can compute'
                                  % datetime.date.max.isoformat())
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def to_date(value):
    return parse_iso_date(value) if value else None


def needs_renewal(lic, today, min_days_left=None, until=None):
    """True when ``lic`` is short of the target (min_days_left or until); False without an expiry or a target."""
    expiry = to_date(lic['expiredate'])
    if expiry is None or (min_days_left is None and until is None):
        return False
    return not _target_reached(expiry, today, min_days_left, until)


def suspension(lic, today):
    """Why a suspended license is suspended (see the module's docstring); None when it is not suspended."""
    if lic['status'] != 'suspended':
        return None
    reason = lic.get('suspend_reason')
    paid_days_left = bool(lic['expiredate']) and to_date(lic['expiredate']) > today
    if reason in SUSPENDED_BY_STAFF:
        return 'staff'
    if reason in SUSPENDED_FOR_NONPAYMENT:
        return 'expired'
    if reason in SUSPENDED_BY_OWNER:
        return 'by_owner' if paid_days_left else 'by_owner_expired'
    if reason is not None:
        return 'unknown'
    return 'by_owner' if paid_days_left else 'expired'


def suspension_problem(lic, today, action):
    """Why a suspended license cannot be ``action`` ('renewed', 'resumed') whatever the plan, or None."""
    kind = suspension(lic, today)
    if kind == 'staff':
        return ('license %s was suspended by the provider (%s): a renewal would be charged and would not reactivate it, '
                'and it cannot be %s through the API; contact the provider' % (lic['id'], lic['suspend_reason'], action))
    if kind == 'unknown':
        return ('license %s is suspended for a reason this collection does not know (%s); it is not %s on a guess: '
                'check it in the BILLmanager web interface or with the provider' % (lic['id'], lic['suspend_reason'], action))
    return None


def check_renewable(lic):
    """Raise InvalidOptionError when ``lic`` cannot be renewed at all."""
    if lic['status'] == 'deleted':
        raise InvalidOptionError('license %s is deleted and cannot be renewed' % lic['id'])
    if lic['period'] == 'trial':
        raise InvalidOptionError(
            'license %s is a trial license: BILLmanager does not prolong trials. Order a paid license with '
            'ispsystem.billmanager.isp_license (period 1 or 12) before the trial ends' % lic['id'])
    if not lic['expiredate'] and lic.get('expiry_seen'):
        raise InvalidOptionError('license %s shows an expiry that is not a date (%r): its expiry is unknown, so it is not '
                                 'renewed on a guess' % (lic['id'], lic['expiry_seen']))
    if not lic['expiredate']:
        raise InvalidOptionError('license %s has no expiry date yet (status %s); rerun when it is active'
                                 % (lic['id'], lic['status']))
    if lic['status'] not in LIVE_STATUSES:
        raise InvalidOptionError('license %s has a status this collection does not know (%s, code %s); refusing to '
                                 'renew it' % (lic['id'], lic['status'], lic['status_code']))


def check_paid_days(lic, today, resumes_after=False):
    """Refuse to renew a suspended license whose renewal would lose paid days, not reactivate it, or is not allowed.

    ``resumes_after``: the plan resumes the license right after the renewal (the wanted state is active).
    """
    problem = suspension_problem(lic, today, 'renewed')
    if problem:
        raise InvalidOptionError(problem)
    kind = suspension(lic, today)
    if kind == 'by_owner_expired' and not resumes_after:
        raise InvalidOptionError(
            'license %s was suspended by its owner (%s) and has expired since (%s): a renewal would be charged from today '
            'and would not reactivate it, so the paid time would run unused; nothing was bought. Renew and resume it in '
            'one run: ispsystem.billmanager.isp_licenses (or the role) with state active and a renew target'
            % (lic['id'], lic['suspend_reason'], lic['expiredate']))
    if kind == 'by_owner':
        days = (to_date(lic['expiredate']) - today).days
        raise InvalidOptionError(
            'license %s is suspended with %d paid day(s) left (until %s): BILLmanager renews a suspended license from '
            'the renewal date, so renewing it now would throw those days away. Resume it first '
            '(ispsystem.billmanager.isp_license with state=active), then renew' % (lic['id'], days, lic['expiredate']))


def renewal_dates(lic, period, today, min_days_left=None, until=None, force=False, limit=MAX_WALK):
    """The expiry dates after each renewal the target needs (empty when none is needed).

    Stops after ``limit`` + 1 dates, so a far target is never walked to the end of the calendar.
    """
    expiry = to_date(lic['expiredate'])
    suspended = lic['status'] == 'suspended'
    dates = []
    while force and not dates or not force and not _target_reached(expiry, today, min_days_left, until):
        if suspended and dates:
            raise InvalidOptionError(
                'license %s expired on %s and is suspended: BILLmanager renews it from the renewal date, so one run buys '
                'one period for it at most, and the target needs more. Use period 12, or rerun after this renewal '
                '(the renewal reactivates it; later renewals extend it from its new expiry)' % (lic['id'], lic['expiredate']))
        if len(dates) > limit:
            break
        expiry = add_months(today if suspended else expiry, period)
        dates.append(expiry)
    return dates


def _target_reached(expiry, today, min_days_left, until):
    if min_days_left is not None:
        return (expiry - today).days >= min_days_left
    return expiry >= until


def plan_renewal(lic, period, today, min_days_left=None, until=None, force=False, max_periods=DEFAULT_MAX_PERIODS,
                 resumes_after=False):
    """The ``service.prolong`` calls that bring ``lic`` to the target, and the expiry after each.

    ``resumes_after``: the caller resumes the license after the renewal (see ``check_paid_days``).
    """
    check_renewable(lic)
    if force or not _target_reached(to_date(lic['expiredate']), today, min_days_left, until):
        check_paid_days(lic, today, resumes_after)
    dates = renewal_dates(lic, period, today, min_days_left, until, force, MAX_WALK)
    if len(dates) > MAX_WALK:
        # Whatever max_periods allows: a target this far is a typo, and walking on would reach the end of the calendar.
        raise InvalidOptionError('reaching the target needs more than %d renewals of %d month(s) (expiry %s)%s; nothing '
                                 'was bought. Set a nearer target (min_days_left or until)'
                                 % (MAX_WALK, period, lic['expiredate'],
                                    ', more than max_periods=%d' % max_periods if max_periods <= MAX_WALK else ''),
                                 ['min_days_left', 'until', 'max_periods'])
    if len(dates) > max_periods:
        raise InvalidOptionError('reaching the target needs %d renewals of %d month(s) (expiry %s -> %s), more than '
                                 'max_periods=%d; nothing was bought. Raise max_periods or use a longer period'
                                 % (len(dates), period, lic['expiredate'], dates[-1].isoformat(), max_periods),
                                 ['max_periods', 'period'])
    plan = Plan()
    previous = lic['expiredate']
    reactivates = suspension(lic, today) == 'expired'
    for new_expiry in dates:
        plan.add(FUNCS['renewal'], {'elid': lic['id'], 'period': period, 'sok': 'ok'}, spends_money=True,
                 predict=_with_expiry(new_expiry, today, reactivates),
                 confirm=_expiry_moved(previous, new_expiry),
                 changes=['expiredate', 'status'] if reactivates else ['expiredate'])
        previous = new_expiry.isoformat()
    return plan


def _with_expiry(new_expiry, today, reactivates):
    def predict(lic):
        lic['expiredate'] = new_expiry.isoformat()
        lic['days_left'] = (new_expiry - today).days
        if reactivates:
            lic['status'], lic['status_code'], lic['suspend_reason'] = 'active', STATUS_NAMES['active'], None
        return lic
    return predict


def _expiry_moved(before, after):
    """After a lost answer: the renewal happened when the expiry is no longer ``before``."""
    def confirm(found):
        return found is not None and found['expiredate'] not in (None, before) and found['expiredate'] >= after.isoformat()
    return confirm
