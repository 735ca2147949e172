# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""isp_license: order, check mode, idempotency, resize, lost answers, refusals; the HTTP conversation is scripted.

Every test writes down the whole conversation: a request more or less than the script fails the test.
"""

from __future__ import annotations

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    error_doc, expect, list_doc, ok_doc,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, FIRST_PAGE, USER, ModuleRun, license_doc, license_row, list_page, read_one, serialized,
)

ORDER = {
    'clicked_button': 'finish', 'sok': 'ok', 'skipbasket': 'on', 'pricelist': 55163, 'period': 1, 'autoprolong': '1',
    'comment': 'web-new', 'addon_55164': 200, 'addon_55165': 3,
}
ORDER_ARGS = dict(AUTH, product='vmmanager6', comment='web-new', addons={'nodes': 3, 'vms': 200}, autoprolong='1')
NEW_LICENSE = dict(status=2, comment='web-new', createdate='2026-11-27', expiredate='2026-12-27', autoprolong=1,
                   addons={55165: 3, 55164: 200})
OTHER = license_row(101, comment='web-old')


def read_new(**changes):
    """A step: the read of the new license 201, with ``changes`` to its fields."""
    fields = dict(NEW_LICENSE)
    fields.update(changes)
    return read_one(201, **fields)


def after_order(*rows):
    """A step: the list read again after the order (the order gate's second half), by default showing only 201."""
    return list_page(*(rows or (OTHER, license_row(201, comment='web-new'))))


def order_step(params=None):
    return expect('platform.order.param', dict(ORDER, **(params or {})))


def order_answer(license_id=201, order_id=9001):
    return ok_doc(func='platform.order.param', id=license_id, **{'billorder.id': order_id})


def lost(message='connection reset by peer'):
    return TransportError(message, sent=True)


def run_of(monkeypatch, script, **kwargs):
    return ModuleRun(monkeypatch, isp_license, script, **kwargs)


# -- ordering -----------------------------------------------------------------------------------------------

def test_order_by_comment(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(OTHER, license_row(102, comment='web-new', status=4)),  # a deleted namesake does not count
        order_step().answer(order_answer(), headers=DATE),
        after_order(OTHER, license_row(102, comment='web-new', status=4), license_row(201, comment='web-new')),
        read_new(),
    ])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert result['changed'] is True
    assert result['calls'] == [{'func': 'platform.order.param', 'params': ORDER}]
    assert result['order_id'] == 9001
    lic = result['license']
    assert (lic['id'], lic['status'], lic['comment'], lic['product']) == (201, 'active', 'web-new', 'vmmanager6')
    assert lic['addons'] == {'nodes': 3, 'vms': 200}
    assert (lic['expiredate'], lic['days_left']) == ('2026-12-27', 30)
    assert 'warnings' not in result
    assert 'diff' not in result


def test_check_mode_reads_only_and_plans_what_the_real_run_does(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(OTHER),
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
        after_order(),
        read_new(),
    ])
    checked = run(ORDER_ARGS, check_mode=True, diff=True)
    assert run.transport.funcs == ['platform']
    real = run(ORDER_ARGS, diff=True)
    run.transport.assert_done()
    assert checked['changed'] is True
    assert checked['calls'] == real['calls']
    assert 'order_id' not in checked
    predicted, found = checked['license'], real['license']
    assert predicted['id'] is None
    for key in ('product', 'pricelist', 'status', 'status_code', 'comment', 'createdate', 'expiredate', 'days_left',
                'autoprolong', 'addons'):
        assert predicted[key] == found[key], key
    assert checked['diff'] == {'before': {}, 'after': predicted}
    assert real['diff'] == {'before': {}, 'after': found}


def test_check_mode_dates_the_new_license_by_the_server(monkeypatch):
    """Not by the local date (1999-01-01 here) nor the machine's: the server says 2027-03-15."""
    run = run_of(monkeypatch, [list_page(OTHER, headers={'Date': 'Mon, 15 Mar 2027 09:00:00 GMT'})])
    predicted = run(dict(ORDER_ARGS, period='12', autoprolong='12'), check_mode=True)['license']
    run.transport.assert_done()
    assert (predicted['createdate'], predicted['expiredate'], predicted['days_left']) == ('2027-03-15', '2028-03-15', 366)


def test_an_order_whose_license_is_still_being_made_is_waited_for(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(),
        order_step().answer(order_answer(), headers=DATE),
        after_order(license_row(201, comment='web-new', status=5)),
        read_new(status=5),
        read_new(),
    ])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert result['license']['status'] == 'active'
    assert 0 < sum(run.clock.sleeps) <= 2.0


def test_no_wait_returns_the_license_as_read(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(),
        order_step().answer(order_answer(), headers=DATE),
        after_order(license_row(201, comment='web-new', status=5)),
        read_new(status=5),
    ])
    result = run(dict(ORDER_ARGS, wait=False))
    run.transport.assert_done()
    assert result['license']['status'] == 'processing'


def test_order_into_the_cart_warns_in_check_mode_and_in_a_real_run(monkeypatch):
    params = dict(ORDER, skipbasket='off')
    run = run_of(monkeypatch, [
        list_page(),
        list_page(),
        order_step(params).answer(ok_doc(func='platform.order.param', **{'billorder.id': 9002}), headers=DATE),
    ])
    args = dict(ORDER_ARGS, skip_basket=False)
    checked = run(args, check_mode=True)
    real = run(args)
    run.transport.assert_done()
    for result in (checked, real):
        assert result['changed'] is True
        assert result['license'] is None
        assert result['calls'] == [{'func': 'platform.order.param', 'params': params}]
        assert len(result['warnings']) == 1
        assert 'skip_basket=false' in result['warnings'][0]
        assert 'not idempotent' in result['warnings'][0]
    assert real['order_id'] == 9002


# -- idempotency and changes ----------------------------------------------------------------------------------

def test_rerun_by_id_is_exactly_one_request(monkeypatch):
    run = run_of(monkeypatch, [read_new()])
    result = run(dict(AUTH, id=201, comment='web-new', product='vmmanager6', addons={'nodes': 3, 'vms': 200},
                      state='active'), diff=True)
    run.transport.assert_done()
    assert len(run.transport.requests) == 1
    assert result['changed'] is False
    assert result['calls'] == []
    assert result['license']['id'] == 201
    assert result['diff']['before'] == result['diff']['after']


def test_rerun_by_comment_lists_then_reads_the_addons(monkeypatch):
    run = run_of(monkeypatch, [list_page(OTHER, license_row(201, comment='web-new')), read_new()])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert result['changed'] is False
    assert result['calls'] == []


def test_resize_is_one_edit_with_only_the_changed_addon(monkeypatch):
    run = run_of(monkeypatch, [
        read_new(),
        expect('platform.edit', {'elid': 201, 'addon_55165': 4, 'sok': 'ok'}).answer(ok_doc(), headers=DATE),
        read_new(addons={55165: 4, 55164: 200}),
    ])
    result = run(dict(AUTH, id=201, addons={'nodes': 4, 'vms': 200}), diff=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert result['calls'] == [{'func': 'platform.edit', 'params': {'elid': 201, 'addon_55165': 4, 'sok': 'ok'}}]
    assert result['license']['addons'] == {'nodes': 4, 'vms': 200}
    assert result['diff']['before']['addons'] == {'nodes': 3, 'vms': 200}
    assert result['diff']['after']['addons'] == {'nodes': 4, 'vms': 200}


def test_diff_in_check_mode_predicts_the_change(monkeypatch):
    run = run_of(monkeypatch, [read_new(), list_page(OTHER)])  # the list: is 'renamed' free?
    result = run(dict(AUTH, id=201, comment='renamed', addons={'vms': 150}, state='suspended'), check_mode=True, diff=True)
    run.transport.assert_done()
    assert [call['func'] for call in result['calls']] == ['platform.edit', 'platform.suspend']
    assert result['calls'][0]['params'] == {'elid': 201, 'comment': 'renamed', 'addon_55164': 150, 'sok': 'ok'}
    before, after = result['diff']['before'], result['diff']['after']
    assert (before['comment'], before['addons'], before['status']) == ('web-new', {'nodes': 3, 'vms': 200}, 'active')
    assert (after['comment'], after['addons'], after['status']) == ('renamed', {'nodes': 3, 'vms': 150}, 'suspended')
    assert result['license'] == after


def test_suspend_then_resume_by_id(monkeypatch):
    run = run_of(monkeypatch, [
        read_new(),
        expect('platform.suspend', {'elid': 201}).answer(ok_doc(), headers=DATE),
        read_new(status=3),
        read_new(status=3),
        expect('platform.resume', {'elid': 201}).answer(ok_doc(), headers=DATE),
        read_new(),
    ])
    suspended = run(dict(AUTH, id=201, state='suspended'))
    resumed = run(dict(AUTH, id=201, state='active'))
    run.transport.assert_done()
    assert (suspended['changed'], suspended['license']['status']) == (True, 'suspended')
    assert (resumed['changed'], resumed['license']['status']) == (True, 'active')


def test_delete_and_rerun(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(license_row(201, comment='web-new')),
        expect('platform.delete', {'elid': 201}).answer(ok_doc(), headers=DATE),
        read_new(status=4),
        list_page(license_row(201, comment='web-new', status=4)),
    ])
    args = dict(AUTH, product='vmmanager6', comment='web-new', state='absent')
    deleted = run(args)
    again = run(args)
    run.transport.assert_done()
    assert deleted['calls'] == [{'func': 'platform.delete', 'params': {'elid': 201}}]
    assert deleted['license']['status'] == 'deleted'
    assert (again['changed'], again['calls'], again['license']) == (False, [], None)


# -- lost answers -----------------------------------------------------------------------------------------------

def test_lost_order_answer_found_again_by_comment(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().raises(lost()),
        list_page(OTHER, license_row(201, comment='web-new')),  # reread: the order happened
        read_new(),  # the license reported: read by the id the re-read found, no second list
    ])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert run.count('platform.order.param') == 1
    assert result['changed'] is True
    assert result['license']['id'] == 201
    assert result['calls'] == [{'func': 'platform.order.param', 'params': ORDER}]
    assert 'order_id' not in result


def test_lost_order_answer_and_nothing_found_fails_without_a_second_order(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().raises(lost()),
        list_page(OTHER),
        list_page(OTHER),
        list_page(OTHER),
    ])
    result = run(dict(ORDER_ARGS, confirm_timeout=3), fails=True)
    run.transport.assert_done()
    assert run.count('platform.order.param') == 1
    assert run.clock.sleeps == [1.0, 2.0]  # read again for confirm_timeout=3 seconds
    assert 'platform.order.param' in result['msg']
    assert 'check the account' in result['msg']
    assert 'Sent before the failure: platform.order.param (outcome unknown)' in result['msg']
    assert 'may still be completed by the server' in result['msg']
    # issue 9, late commits: a rerun cannot see what the server completes later, on any controller; say how long to wait
    assert 'on this controller or any other' in result['msg']
    assert 'wait at least as long as the server may hold a request' in result['msg']
    assert result['msg'].count('before rerunning') == 1  # QA: the advice was given twice
    assert result['calls'] == [{'func': 'platform.order.param', 'params': ORDER}]
    assert result['calls_completed'] == 0
    assert result['changed'] is True  # issue 9: an order may have happened
    assert result['calls_sent'] == [{'func': 'platform.order.param', 'params': ORDER, 'outcome': 'unknown'}]


def test_an_order_turned_away_with_429_beyond_the_retry_budget_is_no_change(monkeypatch):
    """Issue 9: a 429 that outlasts the client's retry budget did nothing, yet the task said changed, "outcome unknown"
    and "may still be completed by the server"."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(b'<html>429 Too Many Requests</html>', status=429, headers={'Retry-After': '120'}),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert not result.get('changed')  # a failure without a write leaves changed out (false)
    assert result['msg'].startswith('BILLmanager platform.order.param: HTTP 429 from ')
    assert 'Sent before the failure' not in result['msg'] and 'outcome unknown' not in result['msg']
    assert result['calls_sent'] == [{'func': 'platform.order.param', 'params': ORDER, 'outcome': 'refused'}]
    assert result['calls_completed'] == 0


def test_an_order_committed_after_the_client_gave_up_is_found_and_not_bought_again(monkeypatch):
    """Issue 9: a slow server commits the order at 6 s, the client timed out at 3 s; reading again finds it."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().raises(lost('no answer within 3s')),
        list_page(OTHER),
        list_page(OTHER),
        list_page(OTHER, license_row(201, comment='web-new')),
        read_new(),
    ])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert run.count('platform.order.param') == 1
    assert run.clock.sleeps == [1.0, 2.0]
    assert result['changed'] is True
    assert result['license']['id'] == 201


def test_lost_answer_of_an_edit_confirmed_by_the_reread(monkeypatch):
    resized = {55165: 5, 55164: 200}
    run = run_of(monkeypatch, [
        read_new(),
        expect('platform.edit', {'elid': 201, 'addon_55165': 5, 'sok': 'ok'}).answer(b'<html>504</html>', status=504),
        read_new(addons=resized),
    ])
    result = run(dict(AUTH, id=201, addons={'nodes': 5}))
    run.transport.assert_done()
    assert run.count('platform.edit') == 3  # two reads (the one that confirmed is the one read back) and one write
    assert result['changed'] is True
    assert result['license']['addons'] == {'nodes': 5, 'vms': 200}


# -- refusals ----------------------------------------------------------------------------------------------------

def test_insufficient_funds_fails_with_balance_and_cost(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(),
        order_step().answer(error_doc('money', 'balance', 'Insufficient funds', balance='10.00', cost='45.00'), headers=DATE),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert 'Insufficient funds' in result['msg']
    assert 'balance 10.00' in result['msg']
    assert 'cost 45.00' in result['msg']
    assert result['api_error'] == {'error_type': 'money', 'error_object': 'balance'}
    assert result['calls_completed'] == 0
    assert 'license' not in result


def test_id_not_found_fails_without_an_order(monkeypatch):
    run = run_of(monkeypatch, [
        expect('platform.edit', {'elid': 999}).answer(error_doc('missed', 'elid', 'Object not found', value='999')),
    ])
    result = run(dict(ORDER_ARGS, id=999), fails=True)
    run.transport.assert_done()
    assert 'license id 999 was not found' in result['msg']
    assert 'never ordered' in result['msg']
    assert result['calls'] == []


def test_comment_matching_two_licenses_fails_listing_both(monkeypatch):
    run = run_of(monkeypatch, [list_page(license_row(201, comment='web-new'), OTHER, license_row(305, comment='web-new'))])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert "comment 'web-new' matches 2 licenses (ids 201, 305)" in result['msg']
    assert result['calls'] == []


def test_state_suspended_never_orders(monkeypatch):
    run = run_of(monkeypatch, [list_page(OTHER)])
    result = run(dict(ORDER_ARGS, state='suspended'), fails=True)
    run.transport.assert_done()
    assert "no license matches comment 'web-new'; state=suspended never orders one" in result['msg']


def test_absent_and_missing_changes_nothing(monkeypatch):
    run = run_of(monkeypatch, [list_page(OTHER)])
    result = run(dict(ORDER_ARGS, state='absent'), diff=True)
    run.transport.assert_done()
    assert (result['changed'], result['calls'], result['license']) == (False, [], None)
    assert result['diff'] == {'before': {}, 'after': {}}


@pytest.mark.parametrize('check_mode', [False, True], ids=['real', 'check'])
def test_addons_the_api_does_not_show_are_not_compared_and_no_edit_is_planned(monkeypatch, check_mode):
    """The license read by id shows no addon cell: its counts are unknown, and an edit "to fix them" would be a paid
    platform.edit sent on every run. The run refuses instead, in check mode too, before any write."""
    run = run_of(monkeypatch, [read_one(201, comment='web-new')])
    result = run(dict(AUTH, id=201, addons={'nodes': 3, 'vms': 200}), fails=True, check_mode=check_mode)
    run.transport.assert_done()
    assert 'the API did not show the addon values of license 201, so they cannot be compared' in result['msg']
    assert result['calls'] == []
    assert result.get('changed') is not True


def test_an_empty_page_while_p_elems_says_more_never_orders(monkeypatch):
    """The order gate: page 1 is full (the 2 rows the server says it serves), page 2 is empty, yet p_elems says 4.
    The comment may be on the rows that were not served: the list is incomplete and nothing is ordered."""
    run = run_of(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(list_doc([OTHER, license_row(102, comment='web-old2')], p_elems=4, p_cnt=2,
                                                       p_num=1), headers=DATE),
        expect('platform', {'p_cnt': 2, 'p_num': 2}).answer(list_doc([], p_elems=4, p_cnt=2, p_num=2), headers=DATE),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert 'the license list is incomplete: read 2 of 4 rows' in result['msg']
    assert run.count('platform.order.param') == 0
    assert result['calls'] == []


def test_a_license_of_another_product_is_refused(monkeypatch):
    run = run_of(monkeypatch, [read_new()])
    result = run(dict(AUTH, id=201, product='dcimanager6'), fails=True)
    run.transport.assert_done()
    assert 'license 201 is a vmmanager6 license, not dcimanager6' in result['msg']


def test_an_expired_suspended_license_is_not_resumed(monkeypatch):
    run = run_of(monkeypatch, [read_new(status=3, expiredate='2026-11-20')])
    result = run(dict(AUTH, id=201, state='active'), fails=True)
    run.transport.assert_done()
    assert 'expired on 2026-11-20' in result['msg']


@pytest.mark.parametrize('args, fragment', [
    ({}, 'one of the following is required: id, comment'),
    ({'comment': 'web-new'}, 'product (vmmanager6, dcimanager6) or pricelist is required'),
    ({'comment': '', 'product': 'vmmanager6'}, "comment '' cannot be used: it is empty"),
    ({'comment': 'web\n', 'product': 'vmmanager6'}, 'ends with a line break (a YAML "|" block adds one'),
    ({'comment': ' web', 'product': 'vmmanager6'}, 'starts with whitespace'),
    ({'comment': 'web\x01', 'product': 'vmmanager6'}, 'control character (U+0001)'),
    ({'id': 201, 'comment': 'a\r\nb'}, 'holds a line break'),
    ({'id': 201, 'ca_path': '/nonexistent/ca.pem'}, 'ca_path: /nonexistent/ca.pem does not exist'),
    ({'id': 201, 'confirm_timeout': -1}, 'confirm_timeout must be >= 0'),
    ({'id': 201, 'wait_timeout': -1}, 'wait_timeout must be >= 0'),
    ({'comment': 'x', 'product': 'vmmanager6', 'addons': {'cpus': 1}}, "'cpus' is not an addon of vmmanager6"),
    ({'comment': 'x', 'product': 'vmmanager6', 'addons': {'nodes': -1}}, "the count of 'nodes' must be a whole number"),
    ({'comment': 'x', 'product': 'vmmanager6', 'state': 'gone'}, 'state'),
    ({'comment': 'x', 'product': 'vmmanager6', 'period': '6'}, 'period'),
    ({'comment': 'x', 'product': 'vmmanager6', 'pricelist': 55163}, 'mutually exclusive'),
])
def test_bad_input_fails_before_any_request(monkeypatch, args, fragment):
    run = run_of(monkeypatch, [])
    result = run(dict(AUTH, **args), fails=True)
    assert fragment in result['msg']
    assert run.transport.requests == []
    run.transport.assert_done()


# -- the password -------------------------------------------------------------------------------------------------

SECRET = 'Zq9:p@ss&word=1'


def secret_runs():
    """(name, script, args, fails): runs whose results must not contain the password anywhere."""
    echo = 'Invalid password %s for %s' % (SECRET, USER)
    return [
        ('order', [list_page(), order_step().answer(order_answer(), headers=DATE), after_order(), read_new()],
         ORDER_ARGS, False, False),
        ('check', [list_page()], ORDER_ARGS, False, True),
        ('resize', [read_new(),
                    expect('platform.edit', {'elid': 201, 'addon_55165': 4, 'sok': 'ok'}).answer(ok_doc()),
                    read_new(addons={55165: 4, 55164: 200})], dict(AUTH, id=201, addons={'nodes': 4}), False, False),
        ('api-error', [list_page(), order_step().answer(error_doc('auth', 'badpassword', echo, value=SECRET))],
         ORDER_ARGS, True, False),
        ('lost', [list_page(), order_step().raises(lost('reset while sending authinfo=%s:%s' % (USER, SECRET))),
                  list_page()], dict(ORDER_ARGS, confirm_timeout=0), True, False),
    ]


@pytest.mark.parametrize('name, script, args, fails, check_mode', secret_runs(), ids=[item[0] for item in secret_runs()])
def test_the_password_never_appears_in_a_result(monkeypatch, name, script, args, fails, check_mode):
    run = run_of(monkeypatch, script, authinfo='%s:%s' % (USER, SECRET))
    result = run(dict(args, api_password=SECRET), fails=fails, check_mode=check_mode, diff=True)
    run.transport.assert_done()
    text = serialized(result)
    assert SECRET not in text, name
    assert '"authinfo"' not in text


# -- verified writes and reporting after a write ----------------------------------------------------------------

def test_a_write_the_license_does_not_show_fails_with_changed_and_the_calls_sent(monkeypatch):
    """Issue 8: a write answered <ok/> whose effect the license read back does not show is not success."""
    run = run_of(monkeypatch, [
        read_new(),
        expect('platform.edit', {'elid': 201, 'addon_55165': 4, 'sok': 'ok'}).answer(ok_doc(), headers=DATE),
        read_new(),
    ])
    result = run(dict(AUTH, id=201, addons={'nodes': 4}, wait=False), fails=True)
    run.transport.assert_done()
    assert 'addons.nodes is 3, expected 4' in result['msg']
    assert 'Sent before the failure: platform.edit (done)' in result['msg']
    assert result['changed'] is True
    assert result['calls_completed'] == 1


def test_a_write_answered_with_its_form_is_not_success(monkeypatch):
    """Issue 8: a sok=ok write answered with its form (no <ok/>) and nothing applied reported success."""
    run = run_of(monkeypatch, [
        read_new(),
        expect('platform.suspend', {'elid': 201}).answer(license_doc(201), headers=DATE),
        read_new(),
    ])
    result = run(dict(AUTH, id=201, state='suspended', confirm_timeout=0), fails=True)
    run.transport.assert_done()
    assert 'does not acknowledge the write' in result['msg']
    assert run.count('platform.suspend') == 1
    assert result['calls_sent'][0]['outcome'] == 'unknown'


def test_the_second_of_two_writes_failing_reports_the_first(monkeypatch):
    """Issue 9: the first of two writes done and the second failing reported changed: false."""
    run = run_of(monkeypatch, [
        read_new(status=3),
        expect('platform.resume', {'elid': 201}).answer(ok_doc(), headers=DATE),
        read_new(),
        expect('platform.edit', {'elid': 201, 'addon_55165': 9, 'sok': 'ok'}).answer(
            error_doc('money', 'balance', 'Insufficient funds', balance='1.00', cost='9.00')),
    ])
    result = run(dict(AUTH, id=201, state='active', addons={'nodes': 9}), fails=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert result['calls_completed'] == 1
    assert [call['outcome'] for call in result['calls_sent']] == ['done', 'refused']
    assert 'Sent before the failure: platform.resume (done), platform.edit (refused)' in result['msg']


def test_a_failing_read_back_after_an_order_reports_the_order(monkeypatch):
    """Issue 9: the read-back after an order failed and the task said changed: false."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
    ] + [expect('platform', FIRST_PAGE).answer(b'<html>503</html>', status=503)] * 7)  # reads retry for 30 s
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert (result['order_id'], result['license_id']) == (9001, 201)
    assert 'HTTP 503' in result['msg']
    assert 'Sent before the failure: platform.order.param (done); order id 9001, license id 201' in result['msg']
    assert '. Sent before the failure' in result['msg']  # QA: the error's sentence was not ended first


def test_an_order_that_times_out_waiting_reports_the_license(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(),
        order_step().answer(order_answer(), headers=DATE),
        after_order(license_row(201, comment='web-new', status=5)),
        read_new(status=5),
        read_new(status=5),
    ])
    result = run(dict(ORDER_ARGS, wait_timeout=1), fails=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert result['license_id'] == 201
    assert 'license 201 is still processing after wait_timeout=1s' in result['msg']


def test_two_licenses_with_the_comment_after_an_order_fail_loudly_and_delete_nothing(monkeypatch):
    """Issue 8: a concurrent run ordered too; name every id, delete nothing."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
        after_order(OTHER, license_row(201, comment='web-new'), license_row(202, comment='web-new')),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert "after the order, 2 live licenses carry comment 'web-new': ids 201, 202" in result['msg']
    assert 'Nothing was deleted' in result['msg']
    assert result['changed'] is True
    assert run.count('platform.delete') == 0


def test_a_lost_order_answer_then_two_licenses_with_the_comment_fail_loudly(monkeypatch):
    """The order's answer was lost and the list read again shows two licenses with the comment (a concurrent run
    ordered too): neither is taken for the one ordered; the run fails naming both, and orders or deletes nothing."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().raises(lost()),
        list_page(OTHER, license_row(201, comment='web-new'), license_row(202, comment='web-new')),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert "after the order, 2 live licenses carry comment 'web-new': ids 201, 202" in result['msg']
    assert result['changed'] is True
    assert run.count('platform.order.param') == 1
    assert run.count('platform.delete') == 0


def test_an_order_whose_comment_shows_on_another_license_than_the_one_answered_fails(monkeypatch):
    """The order answered license 201, but the one live license with the comment is 202 (not the one bought): the run
    fails naming both, and does not report 202 as the license it ordered."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
        after_order(OTHER, license_row(202, comment='web-new')),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert "the order answered license id 201, but the license with comment 'web-new' is 202" in result['msg']
    assert result['changed'] is True
    assert result['license_id'] == 201


def test_a_new_license_that_does_not_show_what_was_ordered_fails(monkeypatch):
    """The new license shows 2 nodes where 3 were ordered: the order is not reported as done as asked."""
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
        after_order(),
        read_new(addons={55165: 2, 55164: 200}),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert 'does not show what they should have done: addons.nodes is 2, expected 3' in result['msg']
    assert result['changed'] is True
    assert (result['license_id'], result['order_id']) == (201, 9001)


def test_an_order_whose_comment_comes_back_otherwise_fails_saying_so(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(OTHER),
        order_step().answer(order_answer(), headers=DATE),
        after_order(OTHER, license_row(201, comment='web-ne')),
        read_new(comment='web-ne'),
    ])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert ("the order was accepted and made license 201, but the server stored its comment as 'web-ne', not as sent "
            "('web-new': the comment cut at 6 characters)") in result['msg']
    assert 'A rerun with this comment would order again' in result['msg']  # 6 characters: not a length of the limits
    assert 'Do not rerun it as it is: add 6 to comment_length_limits (then a rerun refuses), manage license 201 by its id' \
        in result['msg']
    assert 'a rerun reads the state first' not in result['msg']  # the advice of the error, not the generic one besides
    assert result['failure']['options'] == ['comment', 'comment_length_limits']
    assert result['failure']['money_may_have_moved'] is True
    assert result['changed'] is True


def test_a_rename_to_a_comment_another_license_carries_is_refused(monkeypatch):
    """Issue 9: the rename was accepted, and later runs failed as ambiguous."""
    run = run_of(monkeypatch, [read_new(), list_page(OTHER, license_row(201, comment='web-new'))])
    result = run(dict(AUTH, id=201, comment='web-old'), fails=True)
    run.transport.assert_done()
    assert "comment 'web-old' is already carried by license 101 of the same product" in result['msg']
    assert run.transport.funcs == ['platform.edit', 'platform']  # a read, then the list: no write


def test_a_candidate_whose_status_is_not_understood_blocks_the_order(monkeypatch):
    row = license_row(201, comment='web-new').replace('<status>2</status>', '').replace('Active', 'Blocked')
    run = run_of(monkeypatch, [list_page(OTHER, row)])
    result = run(ORDER_ARGS, fails=True)
    run.transport.assert_done()
    assert "license 201 has a status that is not understood (item_status='Blocked')" in result['msg']
    assert run.count('platform.order.param') == 0


def test_a_row_without_a_comment_is_read_before_ordering(monkeypatch):
    """Issue 8: rows without a comment cell made every run order a new license."""
    run = run_of(monkeypatch, [list_page(OTHER, license_row(201)), read_new()])
    result = run(ORDER_ARGS)
    run.transport.assert_done()
    assert result['changed'] is False
    assert result['license']['id'] == 201
