# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""isp_licenses: one read and one plan for a fleet, spend limits, stop at the first failure; scripted conversations."""

from __future__ import annotations

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.modules import isp_licenses
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    error_doc, expect, ok_doc,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, ModuleRun, license_row, list_page, read_one,
)

ROWS = [license_row(101, comment='web-1', expiredate='2027-01-20'), license_row(102, comment='web-2', expiredate='2027-01-20'),
        license_row(103, comment='dc-1', pricelist=55161, period=12, expiredate='2027-03-15')]
ADDONS = {101: {55165: 3, 55164: 50}, 102: {55165: 1, 55164: 10}, 103: {55171: 20}}


def one(license_id, **fields):
    base = dict(comment={101: 'web-1', 102: 'web-2', 103: 'dc-1'}.get(license_id, 'new'),
                pricelist=55161 if license_id == 103 else 55163, period=12 if license_id == 103 else 1,
                expiredate='2027-03-15' if license_id == 103 else '2027-01-20', addons=ADDONS.get(license_id))
    base.update(fields)
    return read_one(license_id, **base)


def vm(comment, **options):
    return dict(comment=comment, product='vmmanager6', **options)


def run_of(monkeypatch, script):
    return ModuleRun(monkeypatch, isp_licenses, script)


def outcomes(result):
    return [(item['name'], item['outcome']) for item in result['results']]


# -- no change ------------------------------------------------------------------------------------------------

def test_a_no_op_fleet_is_one_list_read_when_the_rows_show_everything(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, licenses=[vm('web-1'), vm('web-2'), dict(id=103)]))
    run.transport.assert_done()
    assert result['changed'] is False
    assert result['api_requests'] == 1
    assert outcomes(result) == [('web-1', 'unchanged'), ('web-2', 'unchanged'), ('license 103', 'unchanged')]
    assert result['summary']['unchanged'] == 3
    # Issue 17: a license that needs nothing gets a compact entry; full_results gives it whole, as before 2.0.0.
    assert result['results'][0] == {'name': 'web-1', 'id': 101, 'outcome': 'unchanged', 'changed': False}


def test_full_results_give_every_entry_whole(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, full_results=True, licenses=[vm('web-1')]))
    entry = result['results'][0]
    assert entry['after'] == entry['before'] and entry['before']['id'] == 101 and entry['calls'] == []
    # ... and the echo of the options holds each entry with its defaults, without the sub-options left unset.
    assert result['invocation']['module_args']['licenses'] == [{'comment': 'web-1', 'product': 'vmmanager6', 'period': '1',
                                                                'autoprolong': 'off', 'state': 'present', 'allow_shrink': True}]


def test_the_echo_of_the_options_gives_the_number_of_entries_not_the_entries(monkeypatch):
    # Issue 17: Ansible echoed every entry, each with all its sub-options: 70 % of a no-op result over 1,000 licenses.
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, licenses=[vm('web-1'), vm('web-2')]))
    echo = result['invocation']['module_args']
    assert echo['licenses'] == '2 entries, not echoed (full_results=true echoes them)'
    assert echo['api_user'] == AUTH['api_user']  # the other options as they were (Ansible masks the password)


def test_a_failed_run_echoes_the_options_in_the_same_way(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, licenses=[vm('web-1', addons={'nodes': 3}), vm('web-1')]), fails=True)
    assert result['invocation']['module_args']['licenses'] == '2 entries, not echoed (full_results=true echoes them)'


def test_addons_are_read_only_for_licenses_whose_rows_do_not_show_them(monkeypatch):
    rows = [license_row(101, comment='web-1').replace('</elem>', '<addon_55165>3</addon_55165><addon_55164>50</addon_55164></elem>'),
            ROWS[1]]
    run = run_of(monkeypatch, [list_page(*rows), one(102)])
    result = run(dict(AUTH, licenses=[vm('web-1', addons={'nodes': 3}), vm('web-2', addons={'nodes': 1})]))
    run.transport.assert_done()
    assert result['api_requests'] == 2
    assert not result['changed']


def test_a_few_licenses_by_id_are_read_by_id(monkeypatch):
    run = run_of(monkeypatch, [one(101), one(102)])
    result = run(dict(AUTH, licenses=[dict(id=101), dict(id=102)]))
    run.transport.assert_done()
    assert result['api_requests'] == 2


# -- a plan for all, applied in order ----------------------------------------------------------------------------

def test_check_mode_plans_everything_and_writes_nothing(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS), one(101)])  # only web-1's addons are needed
    licenses = [vm('web-1', addons={'nodes': 5}), vm('web-2', state='suspended', renew={'min_days_left': 60}),
                vm('web-new', addons={'nodes': 1})]
    result = run(dict(AUTH, licenses=licenses), check_mode=True, diff=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert [item['calls'] and [call['func'] for call in item['calls']] for item in result['results']] == [
        ['platform.edit'], ['service.prolong', 'platform.suspend'], ['platform.order.param']]
    assert result['summary'] == {
        'licenses': 3, 'changed': 3, 'unchanged': 0, 'failed': 0, 'not_tried': 0, 'orders': 1, 'renewals': 1,
        'resizes_up': 1, 'resizes_down': 0, 'renames': 0, 'suspensions': 1, 'resumptions': 0, 'deletions': 0,
        # the renewal of web-2 by its own period priced from its list row; the resize and the order: no stated price
        'spend_total': {'EUR': 25.0}, 'spend_unknown': 2}
    assert [diff['before_header'] for diff in result['diff']] == ['web-1', 'web-2', 'web-new']
    assert result['results'][1]['after']['expiredate'] == '2027-02-20'


def test_a_real_run_applies_in_order_verifies_and_checks_the_order(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        one(101),
        expect('platform.edit', {'elid': 101, 'addon_55165': 5, 'sok': 'ok'}).answer(ok_doc(), headers=DATE),
        one(101, addons={55165: 5, 55164: 50}),
        expect('platform.order.param', {'sok': 'ok', 'comment': 'web-new'}, subset=True).answer(
            ok_doc(id=1000, **{'billorder.id': 5000}), headers=DATE),
        list_page(*(ROWS + [license_row(1000, comment='web-new', createdate='2026-11-27', expiredate='2026-12-27')])),
        one(1000, comment='web-new', createdate='2026-11-27', expiredate='2026-12-27', addons={55165: 1, 55164: 0}),
    ])
    result = run(dict(AUTH, licenses=[vm('web-1', addons={'nodes': 5}), vm('web-new', addons={'nodes': 1})]))
    run.transport.assert_done()
    assert result['changed'] is True
    assert outcomes(result) == [('web-1', 'changed'), ('web-new', 'changed')]
    assert result['results'][1]['id'] == 1000
    assert result['results'][1]['order_id'] == 5000
    assert result['summary']['orders'] == 1 and result['summary']['resizes_up'] == 1


def test_resize_down_is_counted_and_allow_shrink_false_keeps_the_count(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS), one(101), one(102)])
    result = run(dict(AUTH, licenses=[vm('web-1', addons={'nodes': 2}), vm('web-2', addons={'vms': 5}, allow_shrink=False)]),
                 check_mode=True)
    run.transport.assert_done()
    assert result['summary']['resizes_down'] == 1
    assert 'calls' not in result['results'][1]  # needs nothing: compact, with its note
    assert result['results'][1]['notes'] == ['vms kept at the current 10 (wanted 5; shrinking is not allowed)']


def test_a_license_the_api_refuses_fails_alone_and_the_others_are_tried(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('platform.suspend', {'elid': 101}).answer(ok_doc(), headers=DATE),
        one(101, status=3),
        expect('platform.suspend', {'elid': 102}).answer(error_doc('value', 'elid', 'License is locked')),
        expect('platform.suspend', {'elid': 103}).answer(ok_doc(), headers=DATE),
        one(103, status=3),
    ])
    licenses = [vm('web-1', state='suspended'), vm('web-2', state='suspended'), dict(id=103, state='suspended')]
    result = run(dict(AUTH, licenses=licenses), fails=True)
    run.transport.assert_done()
    assert outcomes(result) == [('web-1', 'changed'), ('web-2', 'failed'), ('license 103', 'changed')]
    assert result['changed'] is True
    assert result['msg'].startswith("licenses[1] (web-2): BILLmanager platform.suspend failed: value error on 'elid'")
    assert 'Done: 2 license(s) (2 changed). Failed: web-2. Not tried: 0.' in result['msg']
    assert result['results'][1]['calls_sent'] == [{'func': 'platform.suspend', 'params': {'elid': 102}, 'outcome': 'refused'}]
    assert result['summary']['failed'] == 1 and result['summary']['not_tried'] == 0 and result['summary']['suspensions'] == 2


@pytest.mark.parametrize('steps, words', [
    ([expect('platform.suspend', {'elid': 101}).answer(error_doc('auth', 'badpassword', 'Session expired'))], 'auth error'),
    # a free call whose answer is lost twice: read (not done), sent again, lost again
    ([expect('platform.suspend', {'elid': 101}).answer(b'<html>502</html>', status=502), one(101),
      expect('platform.suspend', {'elid': 101}).answer(b'<html>502</html>', status=502)], 'HTTP 502'),
    # acknowledged, but the license reads back unchanged
    ([expect('platform.suspend', {'elid': 101}).answer(ok_doc(), headers=DATE), one(101)], 'does not show what they should have done'),
], ids=['auth', 'lost-answer', 'not-verified'])
def test_a_failure_that_is_not_a_refusal_stops_the_run(monkeypatch, steps, words):
    """The server does not answer as expected: the licenses after it are not tried (and say so)."""
    run = run_of(monkeypatch, [list_page(*ROWS)] + steps)
    licenses = [vm('web-1', state='suspended'), vm('web-2', state='suspended')]
    result = run(dict(AUTH, licenses=licenses, confirm_timeout=0, wait=False), fails=True)
    run.transport.assert_done()  # nothing is sent for web-2
    assert outcomes(result) == [('web-1', 'failed'), ('web-2', 'not tried')]
    assert words in result['msg']
    assert 'Not tried: 1 (web-2).' in result['msg']


# -- refused before any write ---------------------------------------------------------------------------------

def test_max_orders_refuses_before_any_write_and_lists_the_orders(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    licenses = [vm('new-%d' % number) for number in range(3)]
    result = run(dict(AUTH, licenses=licenses, max_orders=2), fails=True)
    run.transport.assert_done()
    assert 'the plan orders 3 license(s), more than max_orders=2; nothing was written' in result['msg']
    assert "licenses[0] (new-0) 55163 comment 'new-0'" in result['msg']
    assert [item['outcome'] for item in result['results']] == ['planned'] * 3
    assert result['changed'] is False


def test_a_refused_plan_reports_the_same_in_check_mode_as_in_a_real_run(monkeypatch):
    """QA: with max_orders=0, --check said changed (outcome changed, summary orders 1), the real run not."""
    reports = []
    for check_mode in (True, False):
        run = run_of(monkeypatch, [list_page(*ROWS)])
        result = run(dict(AUTH, licenses=[vm('new-1'), vm('web-1')], max_orders=0), fails=True, check_mode=check_mode)
        run.transport.assert_done()
        reports.append(result)
    checked, real = reports
    for result in (checked, real):
        assert result['changed'] is False
        assert outcomes(result) == [('new-1', 'planned'), ('web-1', 'planned')]
        assert result['summary']['orders'] == 0
        assert result['results'][0]['calls'][0]['func'] == 'platform.order.param'  # what it would have bought
        assert result['results'][0]['after'] is None
    assert checked['results'] == real['results'] and checked['summary'] == real['summary']


def test_an_entry_by_id_and_one_by_comment_for_the_same_license_are_refused(monkeypatch):
    """QA: {id: 101} and {comment: web-1} were both planned: two renewals, or resizes back and forth on every run."""
    run = run_of(monkeypatch, [list_page(*ROWS)])
    licenses = [dict(id=101, renew={'min_days_left': 90}), vm('web-1', renew={'min_days_left': 90})]
    result = run(dict(AUTH, licenses=licenses), fails=True)
    run.transport.assert_done()
    assert 'licenses[1] (web-1): names license 101, as licenses[0] (101) does' in result['msg']
    assert 'nothing was written' in result['msg']
    assert result['changed'] is False
    assert run.count('service.prolong') == 0


def test_the_default_max_orders_is_ten(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, licenses=[vm('new-%d' % number) for number in range(11)]), fails=True)
    assert 'more than max_orders=10' in result['msg']
    assert '... and' not in result['msg']


def test_max_renewals_counts_periods_over_all_licenses(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    licenses = [vm('web-1', renew={'until': '2027-04-01'}), vm('web-2', renew={'min_days_left': 60})]
    result = run(dict(AUTH, licenses=licenses, max_renewals=3), fails=True)
    run.transport.assert_done()
    assert 'the plan buys 4 renewal period(s), more than max_renewals=3; nothing was written' in result['msg']
    assert 'licenses[0] (web-1) license 101 3 x 1 month(s); licenses[1] (web-2) license 102 1 x 1 month(s)' in result['msg']


def test_a_plan_exactly_at_the_spend_limits_is_allowed(monkeypatch):
    """max_orders and max_renewals are the most a run may buy: a plan of exactly that many goes ahead."""
    run = run_of(monkeypatch, [list_page(*ROWS)])
    licenses = [vm('new-0'), vm('new-1'), vm('web-1', renew={'until': '2027-04-01'}), vm('web-2', renew={'min_days_left': 60})]
    result = run(dict(AUTH, licenses=licenses, max_orders=2, max_renewals=4), check_mode=True)
    run.transport.assert_done()
    assert (result['summary']['orders'], result['summary']['renewals']) == (2, 4)
    assert result['changed'] is True


def test_every_planning_problem_is_listed_and_nothing_is_written(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('platform.edit', {'elid': 999}).answer(error_doc('missed', 'elid', 'Object not found', value='999')),
    ])
    licenses = [dict(id=999), vm('web-1', state='suspended'), dict(id=103, product='vmmanager6'), vm('nobody', state='suspended')]
    result = run(dict(AUTH, licenses=licenses), fails=True)
    run.transport.assert_done()
    message = result['msg']
    assert message.startswith('3 of 4 licenses cannot be planned; nothing was written: ')
    assert 'licenses[0] (999): license id 999 was not found' in message
    assert 'licenses[2] (103): license 103 is a dcimanager6 license, not vmmanager6' in message
    assert "licenses[3] (nobody): no license matches comment 'nobody'; state=suspended never orders one" in message
    # Each result is the one of its own entry (they were shifted when an entry before them could not be planned).
    assert [(item['name'], item['id'], item['outcome']) for item in result['results']] == [
        ('license 999', 999, 'planned'), ('web-1', 101, 'planned'), ('license 103', 103, 'planned'), ('nobody', None, 'planned')]
    assert result['results'][1]['calls'] == [{'func': 'platform.suspend', 'params': {'elid': 101}}]
    assert result['results'][0]['calls'] == []


@pytest.mark.parametrize('licenses, fragment', [
    ([vm('web-1'), vm('web-1')], "licenses[1] (web-1): names the same license as licenses[0] (web-1) (comment 'web-1')"),
    ([dict(id=101), dict(id=101, name='again')], 'licenses[1] (again): names the same license as licenses[0] (101)'),
    ([dict(comment='x')], 'licenses[0] (x): product (vmmanager6, dcimanager6) or pricelist is required'),
    ([vm('bad\n')], 'cannot be used: it ends with a line break'),
    ([vm('x', addons={'cpus': 1})], "licenses[0] (x): addons: 'cpus' is not an addon of vmmanager6"),
    ([vm('x', renew={'min_days_left': -1})], 'renew: min_days_left must be >= 0'),
    ([vm('x', renew={'until': 'soon'})], "renew: until must be a date written YYYY-MM-DD, got 'soon'"),
    ([vm('x', renew={'until': '2027-01-01', 'max_periods': 0})], 'renew: max_periods must be >= 1'),
    ([vm('x', renew={})], 'one of the following is required: min_days_left, until'),
    ([dict(product='vmmanager6')], 'one of the following is required: id, comment'),
    ([vm('x', state='gone')], 'state'),
])
def test_bad_input_fails_before_any_request(monkeypatch, licenses, fragment):
    run = run_of(monkeypatch, [])
    result = run(dict(AUTH, licenses=licenses), fails=True)
    assert fragment in result['msg']
    run.transport.assert_done()


@pytest.mark.parametrize('option', ['max_orders', 'max_renewals', 'wait_timeout'])
def test_negative_limits_are_refused(monkeypatch, option):
    run = run_of(monkeypatch, [])
    result = run(dict(AUTH, licenses=[vm('x')], **{option: -1}), fails=True)
    assert '%s must be >= 0, got -1' % option in result['msg']


def test_a_rename_to_a_comment_another_entry_identifies_is_refused(monkeypatch):
    run = run_of(monkeypatch, [list_page(*ROWS)])
    result = run(dict(AUTH, licenses=[dict(id=101, comment='web-3'), vm('web-3')]), fails=True)
    run.transport.assert_done()
    assert "comment 'web-3' is wanted by another license of this run (web-3); license 101 is not renamed to it" in result['msg']


# -- the order gate and suspended licenses ---------------------------------------------------------------------

def test_two_licenses_with_an_ordered_comment_fail_loudly(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('platform.order.param', {'comment': 'web-new'}, subset=True).answer(ok_doc(id=1000), headers=DATE),
        expect('platform.suspend', {'elid': 103}).answer(ok_doc(), headers=DATE),
        one(103, status=3),
        list_page(*(ROWS + [license_row(1000, comment='web-new'), license_row(1001, comment='web-new')])),
    ])
    result = run(dict(AUTH, licenses=[vm('web-new'), dict(id=103, state='suspended')]), fails=True)
    run.transport.assert_done()
    assert "after the order, 2 live licenses carry comment 'web-new': ids 1000, 1001" in result['msg']
    assert outcomes(result) == [('web-new', 'failed'), ('license 103', 'changed')]  # orders are checked after the others
    assert result['changed'] is True


def test_a_license_suspended_with_paid_days_is_resumed_before_it_is_renewed(monkeypatch):
    """Issue 9: renewing first would count from today and throw the paid days away."""
    rows = [license_row(102, comment='web-2', status=3, expiredate='2026-12-05')]
    run = run_of(monkeypatch, [list_page(*rows)])
    result = run(dict(AUTH, licenses=[vm('web-2', state='active', renew={'min_days_left': 14})]), check_mode=True)
    run.transport.assert_done()
    assert [call['func'] for call in result['results'][0]['calls']] == ['platform.resume', 'service.prolong']
    assert result['results'][0]['after']['expiredate'] == '2027-01-05'  # from the expiry, not from today


def test_an_expired_suspended_license_is_renewed_and_reactivated_in_check_mode_too(monkeypatch):
    """Issue 9: check mode failed on a license suspended because it expired, while the real run renewed it."""
    rows = [license_row(102, comment='web-2', status=3, expiredate='2026-11-20')]
    run = run_of(monkeypatch, [list_page(*rows)])
    result = run(dict(AUTH, licenses=[vm('web-2', state='active', renew={'min_days_left': 14})]), check_mode=True)
    run.transport.assert_done()
    assert [call['func'] for call in result['results'][0]['calls']] == ['service.prolong']
    after = result['results'][0]['after']
    assert (after['status'], after['expiredate']) == ('active', '2026-12-27')


def test_a_license_suspended_with_paid_days_and_state_present_is_not_renewed(monkeypatch):
    rows = [license_row(102, comment='web-2', status=3, expiredate='2026-12-05')]
    run = run_of(monkeypatch, [list_page(*rows)])
    result = run(dict(AUTH, licenses=[vm('web-2', renew={'min_days_left': 14})]), fails=True)
    run.transport.assert_done()
    assert 'suspended with 8 paid day(s) left' in result['msg']


def test_a_trial_is_not_renewed_and_says_so(monkeypatch):
    rows = [license_row(101, comment='web-1', period=-100, expiredate='2026-12-01')]
    run = run_of(monkeypatch, [list_page(*rows)])
    result = run(dict(AUTH, licenses=[vm('web-1', renew={'min_days_left': 14})]))
    run.transport.assert_done()
    assert 'calls' not in result['results'][0]
    assert result['results'][0]['notes'] == [
        'a trial license is not renewed (BILLmanager does not prolong trials); order a paid one to keep it']


# -- behaviours no test pinned (issue 16) -----------------------------------------------------------------------

def test_after_a_failure_that_stops_the_run_later_orders_are_not_tried_and_counted_so(monkeypatch):
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('platform.suspend', {'elid': 101}).answer(error_doc('auth', 'badpassword', 'Session expired')),
    ])
    licenses = [vm('web-1', state='suspended'), vm('new-1'), vm('new-2')]
    result = run(dict(AUTH, licenses=licenses), fails=True)
    run.transport.assert_done()  # no order is sent
    assert outcomes(result) == [('web-1', 'failed'), ('new-1', 'not tried'), ('new-2', 'not tried')]
    assert [item['changed'] for item in result['results']] == [False, False, False]  # refused, untried, untried
    assert (result['summary']['failed'], result['summary']['not_tried'], result['summary']['orders']) == (1, 2, 0)
    assert result['changed'] is False


@pytest.mark.parametrize('confirm_timeout, outcome, fails', [(5, 'confirmed', False), (0, 'unknown', True)])
def test_renewals_confirmed_by_a_read_or_unknown_are_counted_in_the_summary(monkeypatch, confirm_timeout, outcome, fails):
    """A renewal whose answer was lost counts as bought: confirmed by the read, or unknown (it may still happen)."""
    shown = '2027-02-20' if outcome == 'confirmed' else '2027-01-20'
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('service.prolong', {'elid': 101, 'period': 1, 'sok': 'ok'}).raises(TransportError('reset', sent=True)),
        one(101, expiredate=shown),
    ])
    result = run(dict(AUTH, confirm_timeout=confirm_timeout, licenses=[vm('web-1', renew={'min_days_left': 60})]),
                 fails=fails)
    assert result['results'][0]['changed'] is True
    assert result['summary']['renewals'] == 1
    if fails:
        assert result['results'][0]['calls_sent'][0]['outcome'] == 'unknown'
        assert result['failure']['money_may_have_moved'] is True


def test_an_entry_with_bad_input_fails_alone_and_the_others_go_on(monkeypatch):
    """Issue 16: one bad comment failed every entry of the batch (the role README promises the others go on), and only
    the first bad comment was named."""
    run = run_of(monkeypatch, [
        list_page(*ROWS),
        expect('platform.suspend', {'elid': 101}).answer(ok_doc(), headers=DATE),
        one(101, status=3),
    ])
    licenses = [vm('bad\n'), vm('web-1', state='suspended'), vm(' worse')]
    result = run(dict(AUTH, licenses=licenses), fails=True)
    run.transport.assert_done()
    assert outcomes(result) == [('bad\n', 'failed'), ('web-1', 'changed'), (' worse', 'failed')]
    assert result['results'][0]['failure']['options'] == ['comment']
    assert result['results'][0]['failure']['entry'] == {'index': 0, 'name': 'bad\n'}
    assert 'it ends with a line break' in result['results'][0]['msg']
    assert 'it starts with whitespace' in result['results'][2]['msg']
    assert result['changed'] is True
    assert 'Done: 1 license(s) (1 changed). Failed: bad\n,  worse. Not tried: 0.' in result['msg']  # both named
