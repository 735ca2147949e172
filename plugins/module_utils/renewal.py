# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Renewal planning for ``isp_license_prolong``: dates, the vendor's rule, and the plan.

The vendor's rule: renewing an active license extends it from its expiry date; renewing a
suspended one extends it from the renewal date (today). A suspended license stays in the plan
for one period at most: whether it becomes active afterwards depends on why it was suspended,
which the API does not show, so a second renewal in the same run could be bought for nothing.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime

from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import InvalidOptionError, Plan

RENEWAL_PERIODS = (1, 12)
# How many renewals a plan is walked for at most: 100 years of monthly periods; past it, only "more" is told.
MAX_WALK = 1200


def add_months(day, months):
    """``day`` plus ``months`` calendar months, the day clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def to_date(value):
    return datetime.date(*map(int, value.split('-'))) if value else None


def check_renewable(lic):
    """Raise InvalidOptionError when ``lic`` cannot be renewed at all."""
    if lic['status'] == 'deleted':
        raise InvalidOptionError('license %s is deleted and cannot be renewed' % lic['id'])
    if lic['period'] == 'trial':
        raise InvalidOptionError(
            'license %s is a trial license: BILLmanager does not prolong trials. Order a paid license with '
            'ispsystem.billmanager.isp_license (period 1 or 12) before the trial ends' % lic['id'])
    if not lic['expiredate']:
        raise InvalidOptionError('license %s has no expiry date yet (status %s); rerun when it is active'
                                 % (lic['id'], lic['status']))


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
                'license %s is suspended: BILLmanager renews a suspended license from the renewal date, so one run '
                'buys one period at most for it, and the target needs more. Use a longer period, or resume the license '
                'and rerun' % lic['id'])
        if len(dates) > limit:
            break
        new_expiry = add_months(today if suspended else expiry, period)
        if new_expiry <= expiry:
            raise InvalidOptionError(
                'license %s is suspended and expires on %s: BILLmanager would renew it from today, to %s, which does not '
                'extend it. Resume it first' % (lic['id'], expiry.isoformat(), new_expiry.isoformat()))
        expiry = new_expiry
        dates.append(expiry)
    return dates


def _target_reached(expiry, today, min_days_left, until):
    if min_days_left is not None:
        return (expiry - today).days >= min_days_left
    return expiry >= until


def plan_renewal(lic, period, today, min_days_left=None, until=None, force=False, max_periods=12):
    """The ``service.prolong`` calls that bring ``lic`` to the target, and the expiry after each."""
    check_renewable(lic)
    dates = renewal_dates(lic, period, today, min_days_left, until, force, max(max_periods, MAX_WALK))
    if len(dates) > max_periods:
        if len(dates) > MAX_WALK:
            needed = 'more than %d renewals of %d month(s) (expiry %s)' % (MAX_WALK, period, lic['expiredate'])
        else:
            needed = '%d renewals of %d month(s) (expiry %s -> %s)' % (len(dates), period, lic['expiredate'], dates[-1].isoformat())
        raise InvalidOptionError('reaching the target needs %s, more than max_periods=%d; nothing was bought. '
                                 'Raise max_periods or use a longer period' % (needed, max_periods))
    plan = Plan()
    previous = lic['expiredate']
    for new_expiry in dates:
        plan.add('service.prolong', {'elid': lic['id'], 'period': period, 'sok': 'ok'}, spends_money=True,
                 predict=_with_expiry(new_expiry, today),
                 confirm=_expiry_moved(previous, new_expiry))
        previous = new_expiry.isoformat()
    return plan


def _with_expiry(new_expiry, today):
    def predict(lic):
        lic['expiredate'] = new_expiry.isoformat()
        lic['days_left'] = (new_expiry - today).days
        return lic
    return predict


def _expiry_moved(before, after):
    """After a lost answer: the renewal happened when the expiry is no longer ``before``."""
    def confirm(found):
        return found is not None and found['expiredate'] not in (None, before) and found['expiredate'] >= after.isoformat()
    return confirm
