# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""isp_license_prolong: renew to a target, idempotent reruns, max_periods, check mode, lost answers, bad input.

The server's date is 2026-11-27 (the Date header of every answer); the local date is 1999-01-01, so a
renewal planned from the local date would show.
"""

from __future__ import annotations

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import parse_answer
from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license_prolong
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    cells, doc, error_doc, expect,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, USER, ModuleRun, license_row, list_page, read_one, serialized,
)

PROLONG_1 = {'elid': 101, 'period': 1, 'sok': 'ok'}
PROLONG_12 = {'elid': 101, 'period': 12, 'sok': 'ok'}
CALL_1 = {'func': 'service.prolong', 'params': PROLONG_1}


def nested(newexpiredate):
    """The answer the vendor's WHMCS module reads: /doc/doc/newexpiredate."""
    return doc('<doc>%s</doc>' % cells(newexpiredate=newexpiredate), func='service.prolong')


def flat(newexpiredate):
    return doc(cells(newexpiredate=newexpiredate), func='service.prolong')


def prolong(newexpiredate, params=None, shape=nested):
    return expect('service.prolong', params or PROLONG_1).answer(shape(newexpiredate), headers=DATE)


def lost():
    return TransportError('no answer within 30s', sent=True)


def run_of(monkeypatch, script, **kwargs):
    return ModuleRun(monkeypatch, isp_license_prolong, script, **kwargs)


# -- renewing to a target -------------------------------------------------------------------------------------

def test_min_days_left_renews_once_then_a_rerun_does_nothing(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
    ])
    args = dict(AUTH, id=101, period=1, min_days_left=14)
    first = run(args)
    second = run(args)
    run.transport.assert_done()
    assert run.count('service.prolong') == 1
    assert first['changed'] is True
    assert (first['periods'], first['calls']) == (1, [CALL_1])
    assert (first['expiredate_before'], first['expiredate']) == ('2026-12-01', '2027-01-01')
    assert first['license']['expiredate'] == '2027-01-01'
    assert first['license']['days_left'] == 35
    assert 'warnings' not in first
    assert second['changed'] is False
    assert (second['periods'], second['calls']) == (0, [])
    assert (second['expiredate_before'], second['expiredate']) == ('2027-01-01', '2027-01-01')


def test_until_with_period_1_renews_month_by_month(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01'),
        read_one(101, expiredate='2027-01-01'),  # each renewal is read back before the next one is sent
        prolong('2027-02-01'),
        read_one(101, expiredate='2027-02-01'),
        prolong('2027-03-01'),
        read_one(101, expiredate='2027-03-01'),
    ])
    result = run(dict(AUTH, id=101, until='2027-03-01'), diff=True)
    run.transport.assert_done()
    assert run.count('service.prolong') == 3
    assert result['calls'] == [CALL_1] * 3
    assert result['periods'] == 3
    assert result['expiredate'] == '2027-03-01'
    assert result['diff']['before']['expiredate'] == '2026-12-01'
    assert result['diff']['after']['expiredate'] == '2027-03-01'


def test_until_already_reached_is_one_read(monkeypatch):
    run = run_of(monkeypatch, [read_one(101, expiredate='2027-03-01')])
    result = run(dict(AUTH, id=101, until='2027-03-01'))
    run.transport.assert_done()
    assert (result['changed'], result['periods'], result['calls']) == (False, 0, [])


def test_by_comment(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(license_row(100, comment='other'), license_row(101, comment='web', expiredate='2026-12-01')),
        prolong('2027-12-01', PROLONG_12),
        read_one(101, expiredate='2027-12-01'),
    ])
    result = run(dict(AUTH, comment='web', product='vmmanager6', period=12, min_days_left=30))
    run.transport.assert_done()
    assert result['calls'] == [{'func': 'service.prolong', 'params': PROLONG_12}]
    assert result['expiredate'] == '2027-12-01'


def test_force_renews_on_every_run(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2027-06-01'),
        prolong('2028-06-01', PROLONG_12),
        read_one(101, expiredate='2028-06-01'),
        read_one(101, expiredate='2028-06-01'),
        prolong('2029-06-01', PROLONG_12),
        read_one(101, expiredate='2029-06-01'),
    ])
    args = dict(AUTH, id=101, period=12, force=True)
    assert run(args)['expiredate'] == '2028-06-01'
    assert run(args)['expiredate'] == '2029-06-01'
    run.transport.assert_done()
    assert run.count('service.prolong') == 2


def test_a_target_wins_over_force(monkeypatch):
    run = run_of(monkeypatch, [read_one(101, expiredate='2027-06-01')])
    result = run(dict(AUTH, id=101, force=True, min_days_left=14))
    run.transport.assert_done()
    assert result['changed'] is False


def test_a_suspended_license_is_renewed_from_the_server_date(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, status=3, expiredate='2026-11-20'),
        prolong('2026-12-27'),
        read_one(101, status=2, expiredate='2026-12-27'),
    ])
    result = run(dict(AUTH, id=101, min_days_left=14))
    run.transport.assert_done()
    assert result['expiredate'] == '2026-12-27'
    assert result['license']['status'] == 'active'


def test_days_are_counted_from_the_server_date(monkeypatch):
    """Not from the local date (1999-01-01 here) nor the machine's: the server says 2027-03-15."""
    later = {'Date': 'Mon, 15 Mar 2027 09:00:00 GMT'}
    run = run_of(monkeypatch, [
        read_one(101, headers=later, expiredate='2027-03-20'),
        read_one(101, headers=later, expiredate='2027-03-20'),
        expect('service.prolong', PROLONG_1).answer(nested('2027-04-20'), headers=later),
        read_one(101, headers=later, expiredate='2027-04-20'),
    ])
    checked = run(dict(AUTH, id=101, min_days_left=14), check_mode=True)
    assert run.transport.funcs == ['platform.edit']
    result = run(dict(AUTH, id=101, min_days_left=14))
    run.transport.assert_done()
    assert checked['periods'] == result['periods'] == 1
    assert checked['license']['days_left'] == result['license']['days_left'] == 36


def test_a_far_until_fails_on_max_periods(monkeypatch):
    run = run_of(monkeypatch, [read_one(101, expiredate='2026-12-01')])
    result = run(dict(AUTH, id=101, until='9999-12-31'), fails=True)
    run.transport.assert_done()
    assert 'max_periods=12' in result['msg']


# -- max_periods and other refusals: nothing bought -------------------------------------------------------------

def test_max_periods_exceeded_fails_without_writing(monkeypatch):
    run = run_of(monkeypatch, [read_one(101, expiredate='2026-12-01')])
    result = run(dict(AUTH, id=101, until='2028-01-01', max_periods=3), fails=True)
    run.transport.assert_done()
    assert run.count('service.prolong') == 0
    assert 'needs 13 renewals' in result['msg']
    assert 'max_periods=3' in result['msg']
    assert 'nothing was bought' in result['msg']
    assert (result['changed'], result['periods'], result['calls']) == (False, 0, [])


@pytest.mark.parametrize('fields, fragment', [
    ({'period': -100}, 'trial license'),
    ({'status': 4}, 'is deleted and cannot be renewed'),
    ({'status': 1, 'expiredate': None}, 'has no expiry date yet'),
    ({'status': 3, 'expiredate': '2026-11-20'}, 'one period for it at most'),
    ({'status': 3, 'expiredate': '2027-01-10'}, 'suspended with 44 paid day(s) left (until 2027-01-10)'),
    ({'status': 9}, 'license 101 has a status this collection does not know (unknown, code 9); refusing to renew it'),
], ids=['trial', 'deleted', 'ordered', 'expired-suspended-twice', 'suspended-with-paid-days', 'status-not-understood'])
def test_licenses_that_cannot_be_renewed_so_fail_before_any_write(monkeypatch, fields, fragment):
    run = run_of(monkeypatch, [read_one(101, **fields)])
    result = run(dict(AUTH, id=101, min_days_left=60), fails=True)
    run.transport.assert_done()
    assert fragment in result['msg']
    assert result['periods'] == 0


def test_id_not_found(monkeypatch):
    run = run_of(monkeypatch, [
        expect('platform.edit', {'elid': 999}).answer(error_doc('missed', 'elid', 'Object not found', value='999')),
    ])
    result = run(dict(AUTH, id=999, force=True), fails=True)
    run.transport.assert_done()
    assert 'license id 999 was not found' in result['msg']


def test_comment_not_found_never_orders(monkeypatch):
    run = run_of(monkeypatch, [list_page(license_row(100, comment='other'))])
    result = run(dict(AUTH, comment='web', product='vmmanager6', force=True), fails=True)
    run.transport.assert_done()
    assert "no license matches comment 'web'; isp_license_prolong never orders one" in result['msg']


def test_insufficient_funds_half_way_reports_what_was_bought(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
        expect('service.prolong', PROLONG_1).answer(error_doc('money', 'balance', 'Insufficient funds', balance='5.00',
                                                              cost='25.00')),
    ])
    result = run(dict(AUTH, id=101, until='2027-03-01'), fails=True)
    run.transport.assert_done()
    assert (result['changed'], result['periods']) == (True, 1)
    assert result['calls'] == [CALL_1] * 3
    assert 'balance 5.00' in result['msg'] and 'cost 25.00' in result['msg']


@pytest.mark.parametrize('args, fragments', [
    ({'id': 101, 'period': 6, 'force': True}, ['period', '1, 12', '6']),
    ({'id': 101, 'until': '2027-13-01'}, ["until must be a date written YYYY-MM-DD, got '2027-13-01'"]),
    ({'id': 101, 'until': '01.03.2027'}, ['until must be a date written YYYY-MM-DD']),
    ({'id': 101, 'until': 'next year'}, ['until must be a date written YYYY-MM-DD']),
    ({'id': 101, 'min_days_left': -1}, ['min_days_left must be >= 0, got -1']),
    ({'id': 101, 'min_days_left': 14, 'until': '2027-03-01'}, ['mutually exclusive', 'min_days_left', 'until']),
    ({'id': 101}, ['set a target, min_days_left or until, or force=true']),
    ({'id': 101, 'force': False}, ['set a target, min_days_left or until, or force=true']),
    ({'id': 101, 'force': True, 'max_periods': 0}, ['max_periods must be >= 1, got 0']),
    ({'force': True}, ['one of the following is required: id, comment']),
    ({'comment': 'web', 'force': True}, ['product (vmmanager6, dcimanager6) or pricelist is required when the license is identified by comment']),
    ({'comment': 'web', 'product': 'vmmanager6', 'pricelist': 55163, 'force': True}, ['mutually exclusive']),
], ids=['period', 'until-month', 'until-format', 'until-text', 'min-days-negative', 'both-targets', 'no-target',
        'force-false', 'max-periods', 'no-identity', 'no-product', 'product-and-pricelist'])
def test_bad_input_fails_naming_the_option_without_any_request(monkeypatch, args, fragments):
    run = run_of(monkeypatch, [])
    result = run(dict(AUTH, **args), fails=True)
    for fragment in fragments:
        assert fragment in result['msg']
    assert run.transport.requests == []
    run.transport.assert_done()


# -- check mode ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('before, args, answers, after', [
    ({'expiredate': '2026-12-01'}, {'until': '2027-03-01'}, ['2027-01-01', '2027-02-01', '2027-03-01'],
     {'expiredate': '2027-03-01'}),
    ({'expiredate': '2026-12-01'}, {'min_days_left': 14}, ['2027-01-01'], {'expiredate': '2027-01-01'}),
    ({'expiredate': '2027-01-31'}, {'min_days_left': 100}, ['2027-02-28', '2027-03-28'], {'expiredate': '2027-03-28'}),
    ({'status': 3, 'expiredate': '2026-11-20'}, {'force': True}, ['2026-12-27'], {'status': 2, 'expiredate': '2026-12-27'}),
], ids=['until', 'min_days_left', 'month-ends', 'suspended'])
def test_check_mode_predicts_what_the_real_run_reads_back(monkeypatch, before, args, answers, after):
    run = run_of(monkeypatch, [read_one(101, **before), read_one(101, **before)]
                 + [step for day in answers for step in (prolong(day), read_one(101, **dict(after, expiredate=day)))])
    args = dict(AUTH, id=101, **args)
    checked = run(args, check_mode=True, diff=True)
    assert run.transport.funcs == ['platform.edit']
    real = run(args, diff=True)
    run.transport.assert_done()
    assert checked['calls'] == real['calls'] == [CALL_1] * len(answers)
    assert checked['periods'] == real['periods'] == len(answers)
    assert checked['changed'] is real['changed'] is True
    assert checked['expiredate'] == real['expiredate'] == real['license']['expiredate'] == answers[-1]
    assert checked['license']['days_left'] == real['license']['days_left']
    assert checked['expiredate_before'] == real['expiredate_before']
    assert checked['diff']['after']['expiredate'] == answers[-1]
    assert 'warnings' not in real


# -- lost answers ----------------------------------------------------------------------------------------------------

def test_lost_answer_and_the_reread_shows_the_renewal(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        expect('service.prolong', PROLONG_1).raises(lost()),
        read_one(101, expiredate='2027-01-01'),  # confirms it, and is the license read back
    ])
    result = run(dict(AUTH, id=101, min_days_left=14))
    run.transport.assert_done()
    assert run.count('service.prolong') == 1
    assert (result['changed'], result['periods'], result['expiredate']) == (True, 1, '2027-01-01')


def test_lost_answer_confirmed_then_the_next_renewal_goes_on(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        expect('service.prolong', PROLONG_1).raises(lost()),
        read_one(101, expiredate='2027-01-01'),
        prolong('2027-02-01'),
        read_one(101, expiredate='2027-02-01'),
    ])
    result = run(dict(AUTH, id=101, until='2027-02-01'))
    run.transport.assert_done()
    assert run.count('service.prolong') == 2
    assert result['expiredate'] == '2027-02-01'


def test_lost_answer_and_the_expiry_unchanged_fails_after_one_request(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        expect('service.prolong', PROLONG_1).raises(lost()),
        read_one(101, expiredate='2026-12-01'),
    ])
    result = run(dict(AUTH, id=101, until='2027-02-01', confirm_timeout=0), fails=True)
    run.transport.assert_done()
    assert run.count('service.prolong') == 1
    assert 'service.prolong' in result['msg']
    assert 'check the account' in result['msg']
    assert (result['changed'], result['periods']) == (True, 0)  # issue 9: a renewal may have happened
    assert result['calls'] == [CALL_1] * 2
    assert result['calls_sent'] == [dict(CALL_1, outcome='unknown')]


# -- the answer's shape -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('shape', [nested, flat], ids=['nested', 'flat'])
def test_both_answer_shapes_are_read(shape):
    answer = parse_answer(shape('2027-01-01'), 'service.prolong')
    assert isp_license_prolong.new_expiry_from_answer(answer) == '2027-01-01'


def test_an_answer_without_a_date():
    assert isp_license_prolong.new_expiry_from_answer(None) is None
    assert isp_license_prolong.new_expiry_from_answer(parse_answer(doc('<ok/>'), 'service.prolong')) is None


@pytest.mark.parametrize('shape', [nested, flat], ids=['nested', 'flat'])
def test_both_answer_shapes_in_a_run(monkeypatch, shape):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01', shape=shape),
        read_one(101, expiredate='2027-01-01'),
    ])
    agreed = run(dict(AUTH, id=101, force=True))
    run.transport.assert_done()
    assert agreed['expiredate'] == '2027-01-01'
    assert 'warnings' not in agreed


def test_a_flat_newexpiredate_is_no_proof_and_the_read_back_confirms_it(monkeypatch):
    """The prolong form read without sok holds a flat newexpiredate too: only the license read back confirms."""
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01', shape=flat),
        read_one(101, expiredate='2026-12-01'),  # not shown yet: the answer proves nothing, so the account is read again
        read_one(101, expiredate='2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
        prolong('2027-02-01', shape=flat),
        read_one(101, expiredate='2027-01-01'),
    ])
    confirmed = run(dict(AUTH, id=101, force=True))
    never_shown = run(dict(AUTH, id=101, force=True, confirm_timeout=0), fails=True)
    run.transport.assert_done()
    assert confirmed['expiredate'] == '2027-01-01' and confirmed['periods'] == 1
    assert 'does not acknowledge the write' in never_shown['msg']
    assert never_shown['calls_sent'][0]['outcome'] == 'unknown' and never_shown['changed'] is True


def test_a_renewal_the_license_does_not_show_fails_with_changed(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2027-01-01'),
        prolong('2027-02-01'),
        read_one(101, expiredate='2027-01-15'),
    ])
    disagreed = run(dict(AUTH, id=101, force=True, wait=False), fails=True)
    run.transport.assert_done()
    # Issue 8: a renewal the license read back does not show is a failure (it was a warning), with changed: true.
    assert "expiredate is '2027-01-15', expected '2027-02-01'" in disagreed['msg']
    assert (disagreed['changed'], disagreed['periods']) == (True, 1)


def test_an_answer_that_disagrees_with_the_license_read_back_fails(monkeypatch):
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-02'),
        read_one(101, expiredate='2027-01-01'),
    ])
    result = run(dict(AUTH, id=101, force=True), fails=True)
    run.transport.assert_done()
    assert 'the last renewal answered the expiry 2027-01-02, but the license read back shows 2027-01-01' in result['msg']
    assert result['changed'] is True


def test_a_license_of_another_product_given_by_id_is_not_renewed(monkeypatch):
    """Issue 9: isp_license_prolong with id and a product of the other kind renewed it anyway."""
    run = run_of(monkeypatch, [read_one(103, pricelist=55161, expiredate='2026-12-01')])
    result = run(dict(AUTH, id=103, product='vmmanager6', force=True), fails=True)
    run.transport.assert_done()
    assert 'license 103 is a dcimanager6 license, not vmmanager6' in result['msg']
    assert run.count('service.prolong') == 0


# -- the password --------------------------------------------------------------------------------------------------------

def test_the_password_never_appears_in_a_result(monkeypatch):
    secret = 'Zq9:p@ss&word=1'
    run = run_of(monkeypatch, [
        read_one(101, expiredate='2026-12-01'),
        prolong('2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
        read_one(101, expiredate='2026-12-01'),
        expect('service.prolong', PROLONG_1).answer(error_doc('auth', 'badpassword', 'Bad password %s' % secret, value=secret)),
    ], authinfo='%s:%s' % (USER, secret))
    args = dict(AUTH, id=101, min_days_left=14, api_password=secret)
    for result in (run(args, diff=True), run(args, fails=True, diff=True)):
        assert secret not in serialized(result)
    run.transport.assert_done()
