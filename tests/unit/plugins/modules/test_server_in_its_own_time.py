# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 14: the server works in its own time and keeps state of its own; no run pays twice.

Each test scripts the HTTP conversation call by call: an extra write (a second renewal, a second order) fails it.
The server's date is 2026-11-27.
"""

from __future__ import annotations

import pytest

from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license, isp_license_prolong, isp_licenses
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    doc, expect, list_doc, ok_doc,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, FIRST_PAGE, ModuleRun, license_row, list_page, read_one,
)

PROLONG = {'elid': 101, 'period': 1, 'sok': 'ok'}
IN_FLUX = '<special_status>1</special_status>'


def prolong_ok():
    """The executed renewal answered with a bare <ok/> (no newexpiredate): its effect shows later."""
    return expect('service.prolong', PROLONG).answer(ok_doc(func='service.prolong'), headers=DATE)


def renewing(expiredate='2026-12-01'):
    """The license while the server processes a renewal: status 5, orig 5_prolong, the old expiry."""
    return read_one(101, status=5, orig='5_prolong', expiredate=expiredate, extra=IN_FLUX)


# -- renewals applied later ----------------------------------------------------------------------------------------

def test_a_renewal_applied_later_is_read_until_it_shows_and_the_rerun_buys_nothing(monkeypatch):
    """The issue's first case: the server answers <ok/>, shows 5_prolong for a while, then the new expiry. The run
    that paid waits for it; the immediate rerun reads the new expiry and renews nothing."""
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01'),
        prolong_ok(),
        renewing(),
        renewing(),
        read_one(101, expiredate='2027-01-01'),
        read_one(101, expiredate='2027-01-01'),
    ])
    args = dict(AUTH, id=101, min_days_left=14)
    first = run(args)
    rerun = run(args)
    run.transport.assert_done()
    assert run.count('service.prolong') == 1
    assert (first['changed'], first['periods'], first['expiredate']) == (True, 1, '2027-01-01')
    assert run.clock.sleeps == [1.0, 2.0]
    assert (rerun['changed'], rerun['periods']) == (False, 0)


@pytest.mark.parametrize('in_flux', [
    dict(status=5, orig='5_prolong'),
    dict(status=5),
    dict(status=2, extra=IN_FLUX),
], ids=['orig-5_prolong', 'status-5', 'special_status-1'])
def test_a_rerun_while_the_renewal_is_processing_waits_and_does_not_renew_again(monkeypatch, in_flux):
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01', **in_flux),
        read_one(101, expiredate='2027-01-01'),
    ])
    result = run(dict(AUTH, id=101, min_days_left=14))
    run.transport.assert_done()
    assert run.count('service.prolong') == 0
    assert (result['changed'], result['expiredate_before']) == (False, '2027-01-01')


def test_a_license_in_progress_is_never_written_to_when_wait_is_false(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [renewing()])
    result = run(dict(AUTH, id=101, min_days_left=14, wait=False), fails=True)
    run.transport.assert_done()
    assert 'license 101 shows a change in progress (prolong, status processing)' in result['msg']
    assert 'wait is false' in result['msg'] and 'nothing was written' in result['msg']
    assert result['changed'] is False and 'calls_sent' not in result


def test_a_license_that_does_not_settle_in_time_fails_before_any_write_naming_the_state(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [renewing(), renewing(), renewing()])
    result = run(dict(AUTH, id=101, min_days_left=14, wait_timeout=3), fails=True)
    run.transport.assert_done()
    assert run.count('service.prolong') == 0
    assert 'prolong' in result['msg'] and 'did not settle within wait_timeout=3s' in result['msg']


def test_a_renewal_still_in_progress_after_the_wait_is_not_sent_again_and_the_rerun_refuses(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01'),
        prolong_ok(),
        renewing(), renewing(), renewing(),
        renewing(),
    ])
    first = run(dict(AUTH, id=101, min_days_left=14, wait_timeout=3), fails=True)
    rerun = run(dict(AUTH, id=101, min_days_left=14, wait=False), fails=True)
    run.transport.assert_done()
    assert run.count('service.prolong') == 1
    assert first['changed'] is True and first['calls_sent'][0]['outcome'] == 'done'
    assert 'still shows a change in progress (prolong' in first['msg'] and 'not sent again' in first['msg']
    assert rerun['changed'] is False and 'shows a change in progress' in rerun['msg']


def test_an_effect_later_than_the_wait_with_no_sign_fails_and_says_what_to_check(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01'),
        prolong_ok(),
        read_one(101, expiredate='2026-12-01'),
        read_one(101, expiredate='2026-12-01'),
        read_one(101, expiredate='2026-12-01'),
    ])
    result = run(dict(AUTH, id=101, min_days_left=14, wait_timeout=3), fails=True)
    run.transport.assert_done()
    assert result['changed'] is True
    assert "expiredate is '2026-12-01', expected '2027-01-01'" in result['msg']
    assert 'read back for up to wait_timeout=3s' in result['msg']
    assert 'Check the license (isp_license_info) until it shows the change before rerunning' in result['msg']
    assert result['msg'].count('before rerunning') == 1


# -- suspends, resumes, deletes applied later -------------------------------------------------------------------------

@pytest.mark.parametrize('state, func, during, after', [
    ('suspended', 'platform.suspend', dict(status=5, orig='5_suspend'), dict(status=3)),
    ('active', 'platform.resume', dict(status=5, orig='5_resume'), dict(status=2)),
], ids=['suspend', 'resume'])
def test_a_status_change_applied_later_is_waited_for(monkeypatch, state, func, during, after):
    before = dict(status=3, expiredate='2027-01-20') if state == 'active' else dict(status=2, expiredate='2027-01-20')
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(101, **before),
        expect(func, {'elid': 101}).answer(ok_doc(), headers=DATE),
        read_one(101, expiredate='2027-01-20', **during),
        read_one(101, expiredate='2027-01-20', **after),
        read_one(101, expiredate='2027-01-20', **after),
    ])
    first = run(dict(AUTH, id=101, state=state))
    rerun = run(dict(AUTH, id=101, state=state))
    run.transport.assert_done()
    assert run.count(func) == 1
    assert first['changed'] is True and first['license']['status'] == ('active' if state == 'active' else 'suspended')
    assert rerun['changed'] is False


def test_a_delete_applied_later_is_waited_for(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(101),
        expect('platform.delete', {'elid': 101}).answer(ok_doc(), headers=DATE),
        read_one(101, status=5, orig='5_close'),
        read_one(101, status=4),
    ])
    result = run(dict(AUTH, id=101, state='absent'))
    run.transport.assert_done()
    assert result['changed'] is True and result['license']['status'] == 'deleted'


def test_the_next_write_waits_until_the_first_one_settled(monkeypatch):
    """A resume applied later: the edit is sent only once the license shows active and nothing in progress."""
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(101, status=3, expiredate='2027-01-20', addons={55165: 3}),
        expect('platform.resume', {'elid': 101}).answer(ok_doc(), headers=DATE),
        read_one(101, status=2, expiredate='2027-01-20', addons={55165: 3}, extra=IN_FLUX),
        read_one(101, status=2, expiredate='2027-01-20', addons={55165: 3}),
        expect('platform.edit', {'elid': 101, 'addon_55165': 4, 'sok': 'ok'}).answer(ok_doc(), headers=DATE),
        read_one(101, status=2, expiredate='2027-01-20', addons={55165: 4}),
    ])
    result = run(dict(AUTH, id=101, state='active', addons={'nodes': 4}))
    run.transport.assert_done()
    assert result['license']['addons'] == {'nodes': 4}


# -- saved filters ---------------------------------------------------------------------------------------------------

def filtered_page(p_filter, *rows):
    body = list_doc(list(rows), p_elems=len(rows), p_cnt=500, p_num=1)
    body = body.replace(b'<p_cnt>', p_filter.encode('utf-8') + b'<p_cnt>', 1)
    return expect('platform', FIRST_PAGE).answer(body, headers=DATE)


ORDER_WEB = dict(AUTH, product='vmmanager6', comment='web-new')


def test_a_saved_filter_is_not_the_whole_account_and_nothing_is_ordered(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [filtered_page('<p_filter>comment: web-old</p_filter>',
                                                             license_row(101, comment='web-old'))])
    result = run(ORDER_WEB, fails=True)
    run.transport.assert_done()
    assert "shows a filter saved for this API user on the server (p_filter: 'comment: web-old')" in result['msg']
    assert 'reset its filter' in result['msg']
    assert not result.get('changed') and 'calls_sent' not in result


def test_an_empty_p_filter_means_no_filter(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [filtered_page('<p_filter/>', license_row(101, comment='web-new'))])
    result = run(ORDER_WEB, check_mode=True)
    run.transport.assert_done()
    assert result['changed'] is False and result['license']['id'] == 101


def test_isp_license_info_fails_on_a_saved_filter_and_reports_it_in_api(monkeypatch):
    from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license_info
    run = ModuleRun(monkeypatch, isp_license_info, [filtered_page('<p_filter>status: 2</p_filter>')])
    result = run(dict(AUTH), fails=True)
    assert result['api']['list']['saved_filter'] == 'status: 2'
    assert result['api']['list']['filter_element'] is True
    assert any('filter saved on the server' in note for note in result['api']['notes'])


# -- comments the server altered ---------------------------------------------------------------------------------------

LONG = 'customer-acme-production-cluster-frankfurt-1'  # 44 characters


@pytest.mark.parametrize('stored, reason', [
    (LONG[:32], 'the comment cut at 32 characters'),
    ('Web-New', 'equal to it after HTML unescaping and case and whitespace folding'),
], ids=['cut', 'case'])
def test_a_near_match_refuses_the_order_and_names_the_license(monkeypatch, stored, reason):
    wanted = LONG if len(stored) == 32 else 'web-new'
    run = ModuleRun(monkeypatch, isp_license, [list_page(license_row(101, comment=stored))])
    result = run(dict(AUTH, product='vmmanager6', comment=wanted), fails=True)
    run.transport.assert_done()
    assert 'no live license of vmmanager6 carries comment %r exactly, but license 101 carries %r (%s)' % (
        wanted, stored, reason) in result['msg']
    assert 'nothing was ordered' in result['msg']


def test_an_html_escaped_comment_is_a_near_match(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [list_page(license_row(101, comment='a&amp;b'))])
    result = run(dict(AUTH, product='vmmanager6', comment='a&b'), fails=True)
    assert "license 101 carries 'a&amp;b'" in result['msg']


def test_a_bare_prefix_is_not_a_near_match(monkeypatch):
    """Fleets name licenses web-1, web-10: web-1 existing never stops the order of web-10."""
    run = ModuleRun(monkeypatch, isp_license, [list_page(license_row(101, comment='web-1'))])
    result = run(dict(AUTH, product='vmmanager6', comment='web-10'), check_mode=True)
    run.transport.assert_done()
    assert [call['func'] for call in result['calls']] == ['platform.order.param']


def test_comment_length_limits_are_an_option(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [list_page(license_row(101, comment=LONG[:32]))] * 2)
    refused = run(dict(AUTH, product='vmmanager6', comment=LONG, comment_length_limits=[32]), fails=True)
    allowed = run(dict(AUTH, product='vmmanager6', comment=LONG, comment_length_limits=[40]), check_mode=True)
    assert 'cut at 32 characters' in refused['msg']
    assert [call['func'] for call in allowed['calls']] == ['platform.order.param']


def test_a_comment_length_limit_below_one_is_refused_before_any_request(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [])
    result = run(dict(ORDER_WEB, comment_length_limits=[32, 0]), fails=True)
    assert 'comment_length_limits: each limit must be >= 1, got 0' in result['msg']


# -- suspension reasons --------------------------------------------------------------------------------------------

@pytest.mark.parametrize('orig', ['3_employeesuspend', '3_abusesuspend'])
def test_a_license_suspended_by_staff_is_neither_resumed_nor_renewed(monkeypatch, orig):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='web-1', status=3, orig=orig,
                                                                      expiredate='2026-11-20'))] * 2)
    resume = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', state='active')]), fails=True)
    renew = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', renew={'min_days_left': 14})]), fails=True)
    run.transport.assert_done()
    for result in (resume, renew):
        assert 'was suspended by the provider (%s)' % orig[2:] in result['msg'] and 'contact the provider' in result['msg']
        assert result['changed'] is False


def test_an_unknown_suspension_reason_is_not_acted_on(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='web-1', status=3,
                                                                      orig='3_legalhold', expiredate='2026-11-20'))])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', state='active')]), fails=True)
    assert 'suspended for a reason this collection does not know (legalhold)' in result['msg']


def test_an_owner_suspended_expired_license_is_renewed_then_resumed_when_wanted_active(monkeypatch):
    """The issue: it used to be charged, predicted active, and fail (the renewal does not reactivate it)."""
    row = license_row(101, comment='web-1', status=3, orig='3_usersuspend', expiredate='2026-11-20')
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(row)])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', state='active',
                                           renew={'min_days_left': 14})]), check_mode=True)
    entry = result['results'][0]
    assert [call['func'] for call in entry['calls']] == ['service.prolong', 'platform.resume']
    assert (entry['after']['status'], entry['after']['expiredate']) == ('active', '2026-12-27')


@pytest.mark.parametrize('module, args', [
    (isp_license_prolong, dict(id=101, min_days_left=14)),
    (isp_licenses, dict(licenses=[dict(id=101, renew={'min_days_left': 14})])),
], ids=['prolong', 'fleet-state-present'])
def test_an_owner_suspended_expired_license_is_not_renewed_unless_it_is_resumed_after(monkeypatch, module, args):
    run = ModuleRun(monkeypatch, module, [read_one(101, status=3, orig='3_usersuspend', expiredate='2026-11-20')])
    result = run(dict(AUTH, **args), fails=True)
    run.transport.assert_done()
    assert 'suspended by its owner (usersuspend) and has expired since' in result['msg']
    assert 'nothing was bought' in result['msg']


def test_state_suspended_with_a_renewal_of_an_expired_suspended_license_is_refused(monkeypatch):
    """The issue: it bought a period and suspended the license, so the paid month ran unused."""
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='web-1', status=3,
                                                                      expiredate='2026-11-20'))])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', state='suspended',
                                           renew={'min_days_left': 14})]), fails=True)
    assert 'renewing it with state=suspended would pay for time that runs unused' in result['msg']
    assert result['results'][0]['id'] == 101  # the issue: results[].id was null for a found license failing at planning


def test_the_reason_the_server_names_wins_over_the_dates(monkeypatch):
    """Suspended with days left: by the dates, its owner suspended it (never renewed); autosuspend says otherwise."""
    row = license_row(101, comment='web-1', status=3, orig='3_autosuspend', expiredate='2026-12-20')
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(row)])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', renew={'min_days_left': 30})]),
                 check_mode=True)
    entry = result['results'][0]
    assert [call['func'] for call in entry['calls']] == ['service.prolong']
    assert entry['after']['status'] == 'active'


# -- more server facts -------------------------------------------------------------------------------------------

def test_real_expiredate_wins_over_a_text_expiry(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [read_one(101, expiredate='Daily charge',
                                                                extra='<real_expiredate>2027-01-01</real_expiredate>')])
    result = run(dict(AUTH, id=101, min_days_left=14))
    assert (result['changed'], result['expiredate']) == (False, '2027-01-01')


def test_an_expiry_that_is_not_a_date_is_unknown_and_never_renewed(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [read_one(101, expiredate='Daily charge')])
    result = run(dict(AUTH, id=101, min_days_left=14), fails=True)
    assert "shows an expiry that is not a date ('Daily charge')" in result['msg']


def test_autoprolong_that_differs_from_the_period_is_refused_before_ordering(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [list_page()])
    result = run(dict(ORDER_WEB, period='1', autoprolong='12'), fails=True)
    run.transport.assert_done()
    assert 'autoprolong 12 differs from period 1' in result['msg'] and 'nothing was ordered' in result['msg']


def test_a_cart_order_answered_with_billorder_is_acknowledged(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [
        list_page(),
        expect('platform.order.param', {'skipbasket': 'off'}, subset=True).answer(
            doc('<ok>func=order</ok><billorder>5001</billorder>', func='platform.order.param'), headers=DATE),
    ])
    result = run(dict(ORDER_WEB, skip_basket=False))
    run.transport.assert_done()
    assert result['changed'] is True and result['order_id'] == 5001
    assert any('cart' in warning for warning in result['warnings'])


# -- fleets ----------------------------------------------------------------------------------------------------------

def test_an_order_with_a_renew_target_renews_in_the_same_run_and_the_rerun_is_a_no_op(monkeypatch):
    """The issue: isp_licenses ordered and ignored the target, so the rerun bought a renewal."""
    new = dict(comment='web-new', createdate='2026-11-27', expiredate='2026-12-27')
    renewed = {**new, 'expiredate': '2027-01-27'}
    entry = dict(comment='web-new', product='vmmanager6', renew={'min_days_left': 40})
    run = ModuleRun(monkeypatch, isp_licenses, [
        list_page(),
        list_page(),
        expect('platform.order.param', {'comment': 'web-new'}, subset=True).answer(ok_doc(id=1000), headers=DATE),
        list_page(license_row(1000, **new)),
        read_one(1000, **new),
        expect('service.prolong', {'elid': 1000, 'period': 1, 'sok': 'ok'}).answer(
            doc('<doc><newexpiredate>2027-01-27</newexpiredate></doc>'), headers=DATE),
        read_one(1000, **renewed),
        list_page(license_row(1000, **renewed)),
    ])
    checked = run(dict(AUTH, licenses=[entry]), check_mode=True)
    real = run(dict(AUTH, licenses=[entry]))
    rerun = run(dict(AUTH, licenses=[entry]))
    run.transport.assert_done()
    planned_calls = [call['func'] for call in checked['results'][0]['calls']]
    assert planned_calls == [call['func'] for call in real['results'][0]['calls']] == ['platform.order.param', 'service.prolong']
    assert checked['results'][0]['calls'][1]['params']['elid'] is None  # not known before the order
    assert real['results'][0]['calls'][1]['params']['elid'] == 1000
    assert checked['summary']['renewals'] == real['summary']['renewals'] == 1
    assert real['results'][0]['after']['expiredate'] == '2027-01-27'
    assert rerun['changed'] is False


def test_an_absent_entry_with_a_leftover_renew_never_renews(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='web-1', expiredate='2026-11-30'))])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', state='absent',
                                           renew={'min_days_left': 60})]), check_mode=True)
    assert [call['func'] for call in result['results'][0]['calls']] == ['platform.delete']
    assert result['summary']['renewals'] == 0


@pytest.mark.parametrize('renew', [{'until': '9999-12-31', 'max_periods': 100000},
                                   {'min_days_left': 3000000, 'max_periods': 100000}], ids=['until', 'min_days_left'])
def test_a_target_at_the_end_of_the_calendar_is_a_clear_option_error(monkeypatch, renew):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='web-1'))])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', renew=renew)]), fails=True)
    assert 'needs more than 1200 renewals' in result['msg'] and 'nearer target' in result['msg']
    assert 'Traceback' not in result['msg']


def test_a_license_that_does_not_become_active_fails_alone_and_the_later_ones_are_still_waited_for(monkeypatch):
    """The issue: after one license failed its wait, later licenses were reported done while processing."""
    run = ModuleRun(monkeypatch, isp_licenses, [
        read_one(101, status=3, expiredate='2027-01-20'),
        read_one(102, status=3, expiredate='2027-01-20'),
        expect('platform.resume', {'elid': 101}).answer(ok_doc(), headers=DATE),
        read_one(101, expiredate='2027-01-20', status=2),
        expect('platform.resume', {'elid': 102}).answer(ok_doc(), headers=DATE),
        read_one(102, expiredate='2027-01-20', status=2),
    ])
    result = run(dict(AUTH, licenses=[dict(id=101, state='active'), dict(id=102, state='active')]))
    run.transport.assert_done()
    assert [item['outcome'] for item in result['results']] == ['changed', 'changed']


def test_fleet_licenses_in_progress_are_waited_for_together_before_planning(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [
        read_one(101, status=5, orig='5_prolong', expiredate='2026-12-01'),
        read_one(102, expiredate='2026-12-01'),
        read_one(101, expiredate='2027-01-01'),
    ])
    result = run(dict(AUTH, licenses=[dict(id=101, renew={'min_days_left': 14}), dict(id=102)]), check_mode=True)
    run.transport.assert_done()
    assert [item['outcome'] for item in result['results']] == ['unchanged', 'unchanged']


def test_a_fleet_license_that_stays_in_progress_stops_the_run_before_any_write(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [
        read_one(101, status=5, orig='5_prolong', expiredate='2026-12-01'),
        read_one(102, status=3, expiredate='2027-01-20'),
    ])
    result = run(dict(AUTH, wait=False, licenses=[dict(id=101, renew={'min_days_left': 14}),
                                                  dict(id=102, state='active')]), fails=True)
    run.transport.assert_done()
    assert 'licenses[0] (101): license 101 shows a change in progress (prolong' in result['msg']
    assert 'nothing was written' in result['msg']
    assert result['results'][0]['id'] == 101


def test_a_license_in_progress_that_needs_nothing_is_not_a_failure_but_a_warning(monkeypatch):
    """wait=false: nothing would be written, so nothing is refused; the warning says to check it once it settles."""
    run = ModuleRun(monkeypatch, isp_license, [read_one(101, status=5, orig='5_open')])
    result = run(dict(AUTH, id=101, wait=False))
    run.transport.assert_done()
    assert result['changed'] is False
    assert result['warnings'] == ['license 101 shows a change in progress (open, status processing): nothing is planned '
                                  'for it now; rerun once it settles to check it against what is wanted']


# -- found by QA trying issue 14 as a new user would (each failed before its fix) -------------------------------------

def test_f1_a_renewal_taken_and_not_shown_with_wait_false_never_invites_a_rerun(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01'),
        expect('service.prolong', PROLONG).answer(doc('<doc><newexpiredate>2027-01-01</newexpiredate></doc>'), headers=DATE),
        read_one(101, expiredate='2026-12-01'),
    ])
    result = run(dict(AUTH, id=101, min_days_left=30, wait=False), fails=True)
    assert 'read back once (wait is false)' in result['msg'] and 'may still apply the change later' in result['msg']
    assert 'a rerun may make the call again' in result['msg']
    assert 'a rerun reads the state first' not in result['msg']


def test_f2_an_order_with_a_renew_target_over_max_renewals_is_a_clear_refusal(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page()])
    entry = dict(comment='new-a', product='vmmanager6', renew={'min_days_left': 45})
    result = run(dict(AUTH, max_renewals=0, licenses=[entry]), fails=True)
    assert 'more than max_renewals=0' in result['msg'] and 'license (new) 1 x 1 month(s)' in result['msg']


@pytest.mark.parametrize('second_read', [
    dict(status=3, expiredate='2027-01-10'),  # no sign, the resume not shown yet
    dict(status=5, orig='5_resume', expiredate='2027-01-10'),  # shown in progress
], ids=['no-sign', 'in-progress'])
def test_f3_the_next_call_is_never_sent_before_the_last_one_shows(monkeypatch, second_read):
    run = ModuleRun(monkeypatch, isp_licenses, [
        read_one(101, status=3, expiredate='2027-01-10'),
        expect('platform.resume', {'elid': 101}).answer(ok_doc(), headers=DATE),
        read_one(101, **second_read),
    ])
    result = run(dict(AUTH, wait=False, licenses=[dict(id=101, state='active', renew={'min_days_left': 60})]), fails=True)
    run.transport.assert_done()  # no renewal sent
    assert 'the calls after it (service.prolong) were not sent' in result['msg']
    assert run.count('service.prolong') == 0


def test_f4_a_lost_delete_sent_again_and_refused_stays_unknown_and_changed(monkeypatch):
    from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
    from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import error_doc
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(103),
        expect('platform.delete', {'elid': 103}).raises(TransportError('reset', sent=True)),
        read_one(103),
        expect('platform.delete', {'elid': 103}).answer(error_doc('value', 'elid', 'License is deleted')),
    ])
    result = run(dict(AUTH, id=103, state='absent'), fails=True)
    assert result['changed'] is True and result['calls_sent'][0]['outcome'] == 'unknown'
    assert 'The first one may have been taken' in result['msg']


def test_f5_absent_by_comment_with_a_near_match_fails_naming_it(monkeypatch):
    stored = 'customer-frankfurt-cluster-node-'  # 32 characters of the wanted one
    run = ModuleRun(monkeypatch, isp_license, [list_page(license_row(1000, comment=stored))])
    result = run(dict(AUTH, product='vmmanager6', comment=stored + 'blue-1', state='absent'), fails=True)
    assert 'license 1000 carries %r' % stored in result['msg']
    assert 'state=absent would find nothing and leave it' in result['msg']


def test_f6_a_rename_the_server_stores_escaped_fails_at_once(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(101, comment='web'),
        list_page(license_row(101, comment='web')),  # no other license carries the new comment
        expect('platform.edit', {'elid': 101, 'comment': 'web & cluster', 'sok': 'ok'}).answer(ok_doc(), headers=DATE),
        read_one(101, comment='web &amp; cluster'),
    ])
    result = run(dict(AUTH, id=101, comment='web & cluster'), fails=True)
    run.transport.assert_done()  # one read back, not wait_timeout of them
    assert "carries comment 'web &amp; cluster' after the rename, not 'web & cluster' as sent" in result['msg']
    assert run.clock.sleeps == []


def test_f8_a_license_found_by_comment_and_deleted_while_waiting_says_to_rerun(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [
        list_page(license_row(101, comment='web-cluster', status=5, orig='5_close')),
        read_one(101, comment='web-cluster', status=4),
    ])
    result = run(dict(AUTH, product='vmmanager6', comment='web-cluster'), fails=True)
    assert 'license 101 (found by its comment) was deleted while the run waited for it to settle' in result['msg']
    assert 'remove id' not in result['msg']


def test_f9_a_license_given_by_id_and_gone_when_read_again_is_never_ordered(monkeypatch):
    from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import error_doc
    run = ModuleRun(monkeypatch, isp_license, [
        read_one(101, status=5, orig='5_close'),
        expect('platform.edit', {'elid': 101}).answer(error_doc('missed', 'elid', 'Object not found', value='101')),
    ])
    result = run(dict(AUTH, id=101, product='vmmanager6', comment='renamed-101'), fails=True)
    run.transport.assert_done()
    assert 'license 101 was gone while the run waited for it to settle; nothing was written' in result['msg']


def test_f10_an_empty_comment_length_limits_means_the_same_in_both_modules(monkeypatch):
    row = license_row(101, comment=LONG[:32])
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(row)])
    result = run(dict(AUTH, comment_length_limits=[], licenses=[dict(comment=LONG, product='vmmanager6')]), check_mode=True)
    assert [call['func'] for call in result['results'][0]['calls']] == ['platform.order.param']


def test_f11_check_mode_predicts_no_suspension_reason_after_a_resume(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [read_one(101, status=3, orig='3_usersuspend', expiredate='2027-01-10')])
    result = run(dict(AUTH, id=101, state='active'), check_mode=True)
    assert (result['license']['status'], result['license']['suspend_reason']) == ('active', None)


def test_f12_the_wait_false_refusal_says_to_set_wait_not_to_raise_wait_timeout(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [renewing()])
    result = run(dict(AUTH, id=101, min_days_left=14, wait=False), fails=True)
    assert 'Rerun later, or set wait to true' in result['msg'] and 'raise wait_timeout' not in result['msg']


def test_f12_a_saved_filter_still_notes_the_total_the_answer_gave(monkeypatch):
    from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license_info
    run = ModuleRun(monkeypatch, isp_license_info, [filtered_page('<p_filter>status: 2</p_filter>', license_row(101))])
    result = run(dict(AUTH), fails=True)
    assert result['api']['list']['total_rows'] == 1
    assert not any('no total' in note for note in result['api']['notes'])


def test_f12_every_near_match_of_a_fleet_is_named(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(license_row(101, comment='R&amp;D'),
                                                          license_row(102, comment='O&#39;Neil'))])
    result = run(dict(AUTH, licenses=[dict(comment='R&D', product='vmmanager6'), dict(comment="O'Neil", product='vmmanager6')]),
                 fails=True)
    assert '2 of 2 licenses cannot be planned' in result['msg']
    assert [item['failure']['options'] for item in result['results']] == [['comment', 'comment_length_limits']] * 2


def test_the_renewals_of_a_new_license_never_exceed_what_the_plan_approved(monkeypatch):
    """The new license expires earlier than predicted: its target now needs two renewals, one was planned (and counted
    against max_renewals): none is bought, and the run says so."""
    new = dict(comment='web-new', createdate='2026-11-27', expiredate='2026-12-10')
    run = ModuleRun(monkeypatch, isp_licenses, [
        list_page(),
        expect('platform.order.param', {'comment': 'web-new'}, subset=True).answer(ok_doc(id=1000), headers=DATE),
        list_page(license_row(1000, **new)),
        read_one(1000, **new),
    ])
    result = run(dict(AUTH, licenses=[dict(comment='web-new', product='vmmanager6', renew={'min_days_left': 45})]),
                 fails=True)
    run.transport.assert_done()
    assert 'its renewal target now needs 2 renewal(s), more than the 1 planned; none was bought' in result['msg']
    assert run.count('service.prolong') == 0
