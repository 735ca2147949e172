# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 15: what a run will cost before it pays, max_spend, and the license key."""

from __future__ import annotations

import json

import pytest

from ansible_collections.ispsystem.billmanager.plugins.modules import (
    isp_license, isp_license_info, isp_license_prolong, isp_licenses,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    cells, doc, expect, ok_doc,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, ModuleRun, license_doc, license_row, list_page, read_one,
)

KEY = '0F3A9C61D2E84B7A5C0D1E2F3A4B5C6D'
PROLONG = {'elid': 101, 'period': 1, 'sok': 'ok'}


def prolong_form(price='30.00 EUR'):
    return expect('service.prolong', {'elid': 101, 'period': 1}).answer(
        doc('<elid>101</elid><expiredate>2026-12-01</expiredate><slist name="period"><msg key="1">1 month - %s</msg>'
            '</slist>' % price, func='service.prolong'), headers=DATE)


def renewed(newexpiredate):
    return expect('service.prolong', PROLONG).answer(doc('<doc>%s</doc>' % cells(newexpiredate=newexpiredate)), headers=DATE)


def test_check_mode_states_the_amount_and_the_real_run_spends_it(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [
        read_one(101, expiredate='2026-12-01'), prolong_form(),
        read_one(101, expiredate='2026-12-01'), prolong_form(), renewed('2027-01-01'), read_one(101, expiredate='2027-01-01'),
    ])
    args = dict(AUTH, id=101, min_days_left=14)
    checked = run(args, check_mode=True)
    real = run(args)
    run.transport.assert_done()
    expected = [{'func': 'service.prolong', 'elid': 101, 'kind': 'renewal', 'amount': 30.0, 'currency': 'EUR',
                 'source': 'prolong form'}]
    assert checked['spend'] == real['spend'] == expected
    assert checked['spend_total'] == real['spend_total'] == {'EUR': 30.0}
    assert checked['spend_unknown'] == 0


def test_a_run_with_nothing_to_buy_reads_no_form(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_prolong, [read_one(101, expiredate='2027-06-01')])
    result = run(dict(AUTH, id=101, min_days_left=14, max_spend='10 EUR'))
    run.transport.assert_done()
    assert run.transport.form_reads == [] and result['spend'] == [] and result['spend_total'] == {}


@pytest.mark.parametrize('max_spend, price, allowed', [
    ('30 EUR', '30.00 EUR', True), ('29.99 EUR', '30.00 EUR', False), ('100 RUB', '30.00 EUR', False),
])
def test_max_spend_refuses_before_any_write(monkeypatch, max_spend, price, allowed):
    script = [read_one(101, expiredate='2026-12-01'), prolong_form(price)]
    if allowed:
        script += [renewed('2027-01-01'), read_one(101, expiredate='2027-01-01')]
    run = ModuleRun(monkeypatch, isp_license_prolong, script)
    result = run(dict(AUTH, id=101, min_days_left=14, max_spend=max_spend), fails=not allowed)
    run.transport.assert_done()
    if not allowed:
        assert run.count('service.prolong') == 1  # the form only
        assert 'breaks max_spend' in result['msg'] and 'renewal of license 101: 30.00 EUR' in result['msg']
        assert result['failure']['options'] == ['max_spend'] and result.get('changed') is False


def test_max_spend_refuses_a_resize_whose_amount_is_unknown(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [read_one(101, addons={55165: 3})])
    result = run(dict(AUTH, id=101, addons={'nodes': 4}, max_spend='100 EUR'), fails=True)
    run.transport.assert_done()
    assert 'not stated by the server' in result['msg'] and 'edit of license 101: unknown' in result['msg']
    assert result['spend'][0]['amount'] is None and result['spend_unknown'] == 1


def test_max_spend_is_checked_before_any_request(monkeypatch):
    run = ModuleRun(monkeypatch, isp_licenses, [])
    result = run(dict(AUTH, licenses=[dict(id=101)], max_spend='cheap'), fails=True)
    assert 'max_spend must be an amount and its currency code' in result['msg']


def test_a_fleet_states_each_amount_and_the_total_in_its_summary(monkeypatch):
    rows = [license_row(101, comment='web-1', expiredate='2026-12-01'), license_row(102, comment='web-2', expiredate='2026-12-01')]
    form_102 = expect('service.prolong', {'elid': 102, 'period': 1}).answer(
        doc('<slist name="period"><msg key="1">1 month - 20.00 EUR</msg></slist>'), headers=DATE)
    run = ModuleRun(monkeypatch, isp_licenses, [list_page(*rows), prolong_form(), form_102])
    result = run(dict(AUTH, licenses=[dict(comment='web-1', product='vmmanager6', renew={'min_days_left': 14}),
                                      dict(comment='web-2', product='vmmanager6', renew={'min_days_left': 14}),
                                      dict(comment='web-new', product='vmmanager6')]), check_mode=True)
    run.transport.assert_done()
    assert [item.get('spend', [{}])[0].get('amount') for item in result['results']] == [30.0, 20.0, None]
    assert (result['summary']['spend_total'], result['summary']['spend_unknown']) == ({'EUR': 50.0}, 1)


# -- the license key -------------------------------------------------------------------------------------------------

def test_reveal_key_returns_the_key_and_no_message_ever_shows_it(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_info, [expect('platform.edit', {'elid': 101}).answer(
        license_doc(101).replace(b'LICKEY-101', KEY.encode()), headers=DATE)])
    result = run(dict(AUTH, id=101, reveal_key=True))
    assert result['licenses'][0]['key'] == KEY and result['licenses'][0]['key_issued'] is True
    assert KEY not in json.dumps(result['api'])


def test_without_reveal_key_only_whether_it_was_issued(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_info, [read_one(101)])
    result = run(dict(AUTH, id=101))
    assert 'key' not in result['licenses'][0] and result['licenses'][0]['key_issued'] is True


def test_a_list_read_says_nothing_of_keys_and_costs_no_request_for_them(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_info, [list_page(license_row(101, comment='web'))])
    result = run(dict(AUTH))
    run.transport.assert_done()
    assert 'key_issued' not in result['licenses'][0]


def test_reveal_key_on_a_list_reads_each_license_on_its_own(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license_info, [list_page(license_row(101, comment='web')), read_one(101)])
    result = run(dict(AUTH, reveal_key=True))
    run.transport.assert_done()
    assert result['licenses'][0]['key'] == 'LICKEY-101'


def new_license(key=True):
    body = license_doc(201, status=2, comment='web-new', createdate='2026-11-27', expiredate='2026-12-27')
    return expect('platform.edit', {'elid': 201}).answer(body if key else body.replace(b'<lickey>LICKEY-201</lickey>',
                                                                                       b'<lickey/>'), headers=DATE)


def test_wait_for_key_reads_the_new_license_until_its_key_is_issued(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [
        list_page(),
        expect('platform.order.param', {'sok': 'ok'}, subset=True).answer(ok_doc(id=201), headers=DATE),
        list_page(license_row(201, comment='web-new', createdate='2026-11-27', expiredate='2026-12-27')),
        new_license(key=False), new_license(key=False), new_license(key=True),
    ])
    result = run(dict(AUTH, product='vmmanager6', comment='web-new', wait_for_key=True))
    run.transport.assert_done()
    assert result['license']['key_issued'] is True and result['changed'] is True


def test_wait_for_key_fails_when_the_key_is_not_issued_in_time(monkeypatch):
    run = ModuleRun(monkeypatch, isp_license, [new_license(key=False)] * 4)
    result = run(dict(AUTH, id=201, wait_for_key=True, wait_timeout=3), fails=True)
    assert 'the key of license 201 was not issued within wait_timeout=3s' in result['msg']
    assert result['failure']['options'] == ['wait_for_key', 'wait_timeout']
