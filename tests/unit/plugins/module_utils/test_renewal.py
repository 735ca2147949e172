# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""renewal: calendar months, the renewals a target needs, the vendor's rule for suspended licenses, the plan."""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import RENEWAL_PERIODS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.renewal import (
    MAX_WALK, add_months, check_renewable, plan_renewal, renewal_dates, suspension, to_date,
)

TODAY = datetime.date(2026, 11, 27)
D = datetime.date


def lic(status='active', expiredate='2026-12-01', period='1', license_id=101):
    return {'id': license_id, 'status': status, 'status_code': None, 'period': period, 'expiredate': expiredate,
            'days_left': None, 'comment': 'web', 'addons': None}


def isodates(dates):
    return [day.isoformat() for day in dates]


# -- dates ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('day, months, expected', [
    (D(2027, 1, 31), 1, D(2027, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2026, 12, 15), 1, D(2027, 1, 15)),
    (D(2026, 12, 31), 1, D(2027, 1, 31)),
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2028, 2, 29), 48, D(2032, 2, 29)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 1, 31), 12, D(2027, 1, 31)),
    (D(2026, 5, 15), 0, D(2026, 5, 15)),
    (D(2026, 1, 15), -1, D(2025, 12, 15)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_to_date():
    assert to_date('2026-11-27') == TODAY
    assert to_date('2028-02-29') == D(2028, 2, 29)
    assert to_date(None) is None
    assert to_date('') is None


def test_renewal_periods():
    assert RENEWAL_PERIODS == (1, 12)


# -- min_days_left -------------------------------------------------------------------------------------

@pytest.mark.parametrize('min_days_left, expected', [
    (0, []),
    (3, []),
    (4, []),  # 4 days left: exactly the target, nothing to buy
    (5, ['2027-01-01']),
    (14, ['2027-01-01']),
    (35, ['2027-01-01']),
    (36, ['2027-01-01', '2027-02-01']),
    (60, ['2027-01-01', '2027-02-01']),
])
def test_min_days_left_with_period_1(min_days_left, expected):
    assert isodates(renewal_dates(lic(expiredate='2026-12-01'), 1, TODAY, min_days_left=min_days_left)) == expected


def test_min_days_left_on_an_expired_active_license_renews_from_its_expiry():
    dates = renewal_dates(lic(expiredate='2026-09-30'), 1, TODAY, min_days_left=0)
    assert isodates(dates) == ['2026-10-30', '2026-11-30']


def test_min_days_left_with_period_12():
    assert isodates(renewal_dates(lic(), 12, TODAY, min_days_left=60)) == ['2027-12-01']


def test_renewals_chain_from_each_new_expiry():
    """Month ends clamp, and each renewal starts from the previous new expiry (as the emulator does)."""
    dates = renewal_dates(lic(expiredate='2027-01-31'), 1, D(2027, 1, 30), min_days_left=50)
    assert isodates(dates) == ['2027-02-28', '2027-03-28']


# -- until ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize('until, expected', [
    (D(2026, 11, 1), []),
    (D(2026, 12, 1), []),  # exactly reached: no renewal
    (D(2026, 12, 2), ['2027-01-01']),
    (D(2027, 3, 1), ['2027-01-01', '2027-02-01', '2027-03-01']),
    (D(2027, 3, 2), ['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01']),
])
def test_until_with_period_1(until, expected):
    assert isodates(renewal_dates(lic(expiredate='2026-12-01'), 1, TODAY, until=until)) == expected


def test_until_with_period_12():
    assert isodates(renewal_dates(lic(), 12, TODAY, until=D(2028, 6, 1))) == ['2027-12-01', '2028-12-01']


# -- force --------------------------------------------------------------------------------------------

@pytest.mark.parametrize('period, expected', [(1, ['2030-02-01']), (12, ['2031-01-01'])])
def test_force_renews_exactly_once_whatever_is_left(period, expected):
    assert isodates(renewal_dates(lic(expiredate='2030-01-01'), period, TODAY, force=True)) == expected


def test_force_on_an_expired_license_still_renews_once():
    assert isodates(renewal_dates(lic(expiredate='2026-01-01'), 1, TODAY, force=True)) == ['2026-02-01']


# -- suspended: renewed from today, one period at most ---------------------------------------------------------

def test_suspended_renews_from_today():
    dates = renewal_dates(lic(status='suspended', expiredate='2026-11-20'), 1, TODAY, min_days_left=14)
    assert isodates(dates) == ['2026-12-27']


def test_suspended_until_reached_by_one_period():
    dates = renewal_dates(lic(status='suspended', expiredate='2026-11-20'), 12, TODAY, until=D(2027, 6, 1))
    assert isodates(dates) == ['2027-11-27']


def test_suspended_force_renews_once_from_today():
    dates = renewal_dates(lic(status='suspended', expiredate='2026-11-01'), 1, TODAY, force=True)
    assert isodates(dates) == ['2026-12-27']


def test_suspended_that_reached_the_target_is_not_renewed():
    assert renewal_dates(lic(status='suspended', expiredate='2027-02-01'), 1, TODAY, min_days_left=14) == []


@pytest.mark.parametrize('target', [{'min_days_left': 40}, {'until': D(2027, 1, 15)}], ids=['min_days_left', 'until'])
def test_expired_suspended_needing_a_second_period_is_refused(target):
    with pytest.raises(InvalidOptionError) as info:
        plan_renewal(lic(status='suspended', expiredate='2026-11-20'), 1, TODAY, **target)
    message = '%s' % info.value
    assert 'license 101 expired on 2026-11-20 and is suspended' in message
    assert 'one period for it at most' in message
    assert 'Use period 12, or rerun after this renewal' in message
    assert 'resume' not in message.lower()  # issue 9: an expired license cannot be resumed; no circular advice


@pytest.mark.parametrize('expiredate, kind', [
    ('2026-11-20', 'expired'), ('2026-11-27', 'expired'), ('2026-11-28', 'by_owner'), ('2027-02-01', 'by_owner'),
])
def test_suspension_is_told_by_the_expiry_date(expiredate, kind):
    assert suspension(lic(status='suspended', expiredate=expiredate), TODAY) == kind
    assert suspension(lic(status='active', expiredate=expiredate), TODAY) is None


@pytest.mark.parametrize('target', [{'force': True}, {'min_days_left': 90}, {'until': D(2027, 3, 1)}, {'min_days_left': 70}],
                         ids=['force', 'min_days_left', 'until', 'one-period-would-reach-it'])
def test_a_license_suspended_with_paid_days_is_never_renewed_while_suspended(target):
    """Issue 9: renewing it would count from today and throw the paid days away."""
    with pytest.raises(InvalidOptionError) as info:
        plan_renewal(lic(status='suspended', expiredate='2027-02-01'), 1, TODAY, **target)
    message = '%s' % info.value
    assert 'license 101 is suspended with 66 paid day(s) left (until 2027-02-01)' in message
    assert 'throw those days away' in message
    assert 'Resume it first' in message


def test_a_license_suspended_with_paid_days_that_reached_the_target_is_left_alone():
    assert len(plan_renewal(lic(status='suspended', expiredate='2027-02-01'), 1, TODAY, min_days_left=14)) == 0


# -- what cannot be renewed -----------------------------------------------------------------------------

@pytest.mark.parametrize('license_, fragments', [
    (lic(period='trial'), ['license 101 is a trial license', 'does not prolong trials', 'isp_license']),
    (lic(status='deleted'), ['license 101 is deleted and cannot be renewed']),
    (lic(status='ordered', expiredate=None), ['license 101 has no expiry date yet (status ordered)']),
    (lic(status='processing', expiredate=None), ['no expiry date yet (status processing)']),
], ids=['trial', 'deleted', 'ordered', 'processing'])
def test_not_renewable(license_, fragments):
    with pytest.raises(InvalidOptionError) as info:
        check_renewable(license_)
    for fragment in fragments:
        assert fragment in '%s' % info.value
    with pytest.raises(InvalidOptionError):
        plan_renewal(license_, 1, TODAY, force=True)


def test_renewable():
    check_renewable(lic())
    check_renewable(lic(status='suspended'))
    check_renewable(lic(status='processing'))


# -- plan_renewal -------------------------------------------------------------------------------------------

def test_plan_has_one_prolong_per_period():
    before = lic()
    plan = plan_renewal(before, 1, TODAY, until=D(2027, 3, 1))
    assert plan.as_result() == [{'func': 'service.prolong', 'params': {'elid': 101, 'period': 1, 'sok': 'ok'}}] * 3
    assert all(call.spends_money for call in plan.calls)
    assert all(call.confirm is not None for call in plan.calls)


def test_plan_predicts_the_final_expiry_and_days_left():
    before = lic()
    saved = copy.deepcopy(before)
    after = plan_renewal(before, 1, TODAY, until=D(2027, 3, 1)).predict(before)
    assert after['expiredate'] == '2027-03-01'
    assert after['days_left'] == (D(2027, 3, 1) - TODAY).days
    assert after['status'] == 'active'
    assert before == saved


def test_plan_with_period_12():
    plan = plan_renewal(lic(), 12, TODAY, min_days_left=4)
    assert plan.as_result() == []
    plan = plan_renewal(lic(), 12, TODAY, min_days_left=60)
    assert plan.as_result() == [{'func': 'service.prolong', 'params': {'elid': 101, 'period': 12, 'sok': 'ok'}}]
    assert plan.predict(lic())['expiredate'] == '2027-12-01'


def test_no_renewal_needed_is_an_empty_plan():
    plan = plan_renewal(lic(), 1, TODAY, min_days_left=4)
    assert not plan
    assert plan.predict(lic()) == lic()


def test_max_periods_reached_exactly_is_allowed():
    assert len(plan_renewal(lic(), 1, TODAY, until=D(2027, 6, 1), max_periods=6)) == 6


def test_max_periods_exceeded_fails_without_a_plan():
    with pytest.raises(InvalidOptionError) as info:
        plan_renewal(lic(), 1, TODAY, until=D(2027, 6, 1), max_periods=5)
    message = '%s' % info.value
    assert 'needs 6 renewals of 1 month(s)' in message
    assert '2026-12-01 -> 2027-06-01' in message
    assert 'max_periods=5' in message
    assert 'nothing was bought' in message


def test_default_max_periods_is_12():
    assert len(plan_renewal(lic(), 1, TODAY, until=D(2027, 12, 1))) == 12
    with pytest.raises(InvalidOptionError, match='max_periods=12'):
        plan_renewal(lic(), 1, TODAY, until=D(2028, 1, 1))


def test_a_far_target_fails_on_max_periods_not_on_the_calendar():
    with pytest.raises(InvalidOptionError, match='max_periods=12'):
        plan_renewal(lic(), 1, TODAY, until=D(9999, 12, 31))


def test_plan_for_an_expired_suspended_license_predicts_it_active_again():
    plan = plan_renewal(lic(status='suspended', expiredate='2026-11-20'), 1, TODAY, min_days_left=14)
    assert len(plan) == 1
    after = plan.predict(lic(status='suspended', expiredate='2026-11-20'))
    assert (after['expiredate'], after['status'], after['status_code']) == ('2026-12-27', 'active', 2)
    assert plan.changed_fields() == ['expiredate', 'status']


def test_plan_for_an_active_license_changes_only_the_expiry():
    plan = plan_renewal(lic(), 1, TODAY, until=D(2027, 3, 1))
    assert plan.changed_fields() == ['expiredate']
    assert plan.predict(lic())['status'] == 'active'


# -- confirm: after a lost answer, did the renewal happen? ------------------------------------------------------

def test_confirm_of_the_first_renewal():
    confirm = plan_renewal(lic(), 1, TODAY, until=D(2027, 3, 1)).calls[0].confirm
    assert confirm(None) is False
    assert confirm(lic(expiredate=None)) is False
    assert confirm(lic(expiredate='2026-12-01')) is False  # unchanged: not renewed
    assert confirm(lic(expiredate='2026-12-15')) is False  # moved, but short of the new expiry
    assert confirm(lic(expiredate='2027-01-01')) is True
    assert confirm(lic(expiredate='2027-02-01')) is True


def test_confirm_of_a_later_renewal_starts_from_the_previous_new_expiry():
    confirm = plan_renewal(lic(), 1, TODAY, until=D(2027, 3, 1)).calls[1].confirm
    assert confirm(lic(expiredate='2027-01-01')) is False
    assert confirm(lic(expiredate='2027-02-01')) is True


def test_confirm_of_a_suspended_renewal():
    confirm = plan_renewal(lic(status='suspended', expiredate='2026-11-20'), 1, TODAY, force=True).calls[0].confirm
    assert confirm(lic(status='suspended', expiredate='2026-11-20')) is False
    assert confirm(lic(status='active', expiredate='2026-12-27')) is True


@pytest.mark.parametrize('max_periods', [MAX_WALK + 1, 5000])
def test_a_target_just_beyond_the_walk_limit_is_refused_not_bought_short(max_periods):
    """Issue 16 (a behaviour no test pinned): with max_periods above the walk limit, a target that needs one renewal
    more than the walk was bought short (the first MAX_WALK + 1 renewals)."""
    target = lic(expiredate='2026-12-01')
    walked = renewal_dates(target, 1, TODAY, until=D(2027, 1, 1), limit=MAX_WALK)
    assert len(walked) == 1
    until = add_months(D(2026, 12, 1), MAX_WALK + 1)  # one renewal beyond the walk
    with pytest.raises(InvalidOptionError, match='needs more than %d renewals' % MAX_WALK):
        plan_renewal(target, 1, TODAY, until=until, max_periods=max_periods)
    assert len(plan_renewal(target, 1, TODAY, until=add_months(D(2026, 12, 1), MAX_WALK), max_periods=max_periods)) == MAX_WALK
