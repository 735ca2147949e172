# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""isp_license_info: input validation (no request on bad input), filters, check mode, errors; the HTTP conversation is scripted."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import WITHHELD
from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license_info
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    doc, elem, error_doc, expect, list_doc,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, FIRST_PAGE, URL, ModuleRun,
)

STATUS_LIST = 'ordered, active, suspended, deleted, processing'


class Run(ModuleRun):
    """Runs of isp_license_info against one scripted conversation."""

    def __init__(self, monkeypatch, script, authinfo='demo:demo-secret'):
        super(Run, self).__init__(monkeypatch, isp_license_info, script, authinfo=authinfo)


def account(*extra):
    """The default emulator account as list rows, in the emulator's id order."""
    return list_doc([
        elem(id=101, pricelist='VMmanager 6', period=1, createdate='2026-10-01', expiredate='2026-12-01', autoprolong=1,
             status=2, item_status='Active', comment='web-cluster', cost='25.00 EUR'),
        elem(id=102, pricelist='VMmanager 6', period=1, createdate='2026-09-01', expiredate='2026-11-01', status=3,
             item_status='Suspended', comment='staging', cost='10.00 EUR'),
        elem(id=103, pricelist='DCImanager 6', period=12, createdate='2026-01-10', expiredate='2027-01-10', autoprolong=12,
             status=2, item_status='Active', comment='dc-frankfurt', cost='400.00 EUR'),
        elem(id=104, pricelist='VMmanager 6', period=1, createdate='2026-05-01', expiredate='2026-07-01', status=4,
             item_status='Deleted', comment='old-cluster', cost='10.00 EUR'),
    ] + list(extra), p_elems=4 + len(extra), p_cnt=500, p_num=1)


def edit_answer(license_id, pricelist, status, comment, addons):
    inner = '<elid>%d</elid><id>%d</id><pricelist>%d</pricelist><period>1</period><createdate>2026-10-01</createdate>' \
            '<expiredate>2026-12-01</expiredate><status>%d</status><comment>%s</comment><cost>25.00 EUR</cost>' \
            % (license_id, license_id, pricelist, status, comment)
    inner += ''.join('<addon_%s>%s</addon_%s>' % (addon, value, addon) for addon, value in addons.items())
    return doc(inner, func='platform.edit')


def ids(result):
    return [item['id'] for item in result['licenses']]


# -- bad input: an error that names the option, and no request --------------------------------------

@pytest.mark.parametrize('args, fragments', [
    ({'product': 'vmmanager5'}, ['product', 'vmmanager6, dcimanager6', 'vmmanager5']),
    ({'id': 'abc'}, ["'id'", 'int']),
    ({'id': '12.5'}, ["'id'", 'int']),
    ({'status': ['active', 'frozen']}, ['status', STATUS_LIST, 'frozen']),
    ({'status': 'paused'}, ['status', STATUS_LIST, 'paused']),
    ({'product': 'vmmanager6', 'pricelist': 55163}, ['mutually exclusive', 'product', 'pricelist']),
    ({'pricelist': 'VMmanager 6'}, ["'pricelist'", 'int']),
    ({'details': 'maybe'}, ["'details'", 'bool']),
    ({'unknown_option': 1}, ['Unsupported parameters', 'unknown_option']),
    ({'timeout': 0}, ['timeout must be >= 1, got 0']),
])
def test_bad_input_names_the_option_and_makes_no_request(monkeypatch, args, fragments):
    run = Run(monkeypatch, [])
    result = run(dict(AUTH, **args), fails=True)
    for fragment in fragments:
        assert fragment in result['msg']
    assert run.transport.requests == []
    run.transport.assert_done()


def test_missing_credentials_fail_before_any_request(monkeypatch):
    run = Run(monkeypatch, [])
    result = run({'api_url': URL}, fails=True)
    assert 'api_user' in result['msg']
    assert 'api_password' in result['msg']
    assert not run.created
    assert run.transport.requests == []


def test_credentials_from_the_environment(monkeypatch):
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(list_doc([]))], authinfo='envuser:env-secret')
    monkeypatch.setenv('BILLMGR_API_USER', 'envuser')  # after Run, which clears the BILLMGR_* environment
    monkeypatch.setenv('BILLMGR_API_PASSWORD', 'env-secret')
    monkeypatch.setenv('BILLMGR_API_URL', URL)
    result = run({})
    run.transport.assert_done()
    assert result['licenses'] == []


# -- listing and filters ----------------------------------------------------------------------------

def test_no_filter_lists_every_license_but_deleted_ones(monkeypatch):
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(account(), headers=DATE)])
    result = run(dict(AUTH))
    run.transport.assert_done()
    assert result['changed'] is False
    assert ids(result) == [101, 102, 103]
    assert result['licenses'][0] == {
        'id': 101, 'product': 'vmmanager6', 'pricelist': 55163, 'status': 'active', 'status_code': 2,
        'comment': 'web-cluster', 'period': '1', 'createdate': '2026-10-01', 'expiredate': '2026-12-01',
        'days_left': 4, 'autoprolong': '1', 'addons': None, 'cost': 25.0, 'currency': 'EUR',
        'in_progress': None, 'suspend_reason': None,
    }
    assert result['licenses'][2]['product'] == 'dcimanager6'
    assert run.created == [{'validate_certs': True, 'ca_path': None, 'use_proxy': True}]
    assert run.transport.requests[0]['timeout'] == 30


def test_results_are_sorted_by_id(monkeypatch):
    rows = list_doc([elem(id=9, status=2), elem(id=3, status=2), elem(id=5, status=1)], p_elems=3)
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(rows)])
    assert ids(run(dict(AUTH))) == [3, 5, 9]


@pytest.mark.parametrize('filters, expected', [
    ({'comment': 'staging'}, [102]),
    ({'comment': 'old-cluster'}, []),
    ({'comment': 'old-cluster', 'status': ['deleted']}, [104]),
    ({'comment': 'nothing-like-it'}, []),
    ({'product': 'vmmanager6'}, [101, 102]),
    ({'product': 'dcimanager6'}, [103]),
    ({'pricelist': 55163}, [101, 102]),
    ({'pricelist': 55200}, []),
    ({'status': ['active']}, [101, 103]),
    ({'status': ['suspended', 'deleted']}, [102, 104]),
    ({'status': ['ordered']}, []),
    ({'product': 'vmmanager6', 'status': ['active', 'suspended'], 'comment': 'web-cluster'}, [101]),
])
def test_filters(monkeypatch, filters, expected):
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(account())])
    result = run(dict(AUTH, **filters))
    run.transport.assert_done()
    assert ids(result) == expected
    assert result['changed'] is False


def test_details_reads_each_selected_license(monkeypatch):
    run = Run(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(account()),
        expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'web-cluster', {55165: 3, 55164: 50})),
        expect('platform.edit', {'elid': 102}).answer(edit_answer(102, 55163, 3, 'staging', {55165: 1, 55164: 0})),
    ])
    result = run(dict(AUTH, product='vmmanager6', details=True))
    run.transport.assert_done()
    assert [(item['id'], item['addons']) for item in result['licenses']] == [
        (101, {'nodes': 3, 'vms': 50}), (102, {'nodes': 1, 'vms': 0})]


def test_details_does_not_read_a_license_whose_row_carries_its_addons(monkeypatch):
    """Regression: details=true read every selected license again, even when the list row had its addon values."""
    rows = list_doc([elem(id=101, pricelist='VMmanager 6', status=2, comment='web', addon_55165=3, addon_55164=50),
                     elem(id=102, pricelist='VMmanager 6', status=2, comment='db')], p_elems=2)
    run = Run(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(rows),
        expect('platform.edit', {'elid': 102}).answer(edit_answer(102, 55163, 2, 'db', {55165: 1, 55164: 5})),
    ])
    result = run(dict(AUTH, product='vmmanager6', details=True))
    run.transport.assert_done()  # one list and one read: 101 is not read again
    assert [(item['id'], item['addons']) for item in result['licenses']] == [
        (101, {'nodes': 3, 'vms': 50}), (102, {'nodes': 1, 'vms': 5})]


def test_details_keeps_the_list_row_when_the_license_vanished(monkeypatch):
    run = Run(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(account()),
        expect('platform.edit', {'elid': 103}).answer(error_doc('missed', 'elid', 'Object not found', value='103')),
    ])
    result = run(dict(AUTH, product='dcimanager6', details=True))
    run.transport.assert_done()
    assert ids(result) == [103]
    assert result['licenses'][0]['addons'] is None


# -- by id -------------------------------------------------------------------------------------------

def test_id_reads_that_one_license(monkeypatch):
    run = Run(monkeypatch, [
        expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'web-cluster', {55165: 3, 55164: 50}), headers=DATE),
    ])
    result = run(dict(AUTH, id=101))
    run.transport.assert_done()  # one request, no list
    assert ids(result) == [101]
    assert result['licenses'][0]['addons'] == {'nodes': 3, 'vms': 50}
    assert result['licenses'][0]['days_left'] == 4


def test_id_with_details_is_still_one_request(monkeypatch):
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'x', {55165: 2}))])
    result = run(dict(AUTH, id=101, details=True))
    run.transport.assert_done()
    assert result['licenses'][0]['addons'] == {'nodes': 2}


def test_days_left_without_a_server_date_uses_the_local_utc_date(monkeypatch):
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'x', {}))])
    result = run(dict(AUTH, id=101))
    assert result['licenses'][0]['days_left'] == (datetime.date(2026, 12, 1) - datetime.date(1999, 1, 1)).days


def test_id_as_a_numeric_string_is_accepted(monkeypatch):
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'x', {}))])
    assert ids(run(dict(AUTH, id='101'))) == [101]
    run.transport.assert_done()


@pytest.mark.parametrize('answer', [
    error_doc('missed', 'elid', 'Object not found', value='999'),
    error_doc('missed', 'item', 'Item not found', value='999'),
    error_doc('access', 'elid', 'Access denied', value='999'),
    error_doc('missed', 'id', 'Object 999 does not exist'),
], ids=['missed-elid', 'missed-item', 'not-ours', 'id-in-message'])
def test_id_not_found_gives_an_empty_list(monkeypatch, answer):
    """Issue 8: a not-found answer of another form (missed on item) failed the task instead of returning no license."""
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 999}).answer(answer)])
    result = run(dict(AUTH, id=999))
    run.transport.assert_done()
    assert (result['changed'], result['licenses']) == (False, [])
    assert 'read_one' not in result['api']


def test_an_error_that_does_not_name_the_id_is_not_taken_for_not_found(monkeypatch):
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 999}).answer(error_doc('access', 'elid', 'Access denied'))])
    result = run(dict(AUTH, id=999), fails=True)
    run.transport.assert_done()
    assert "access error on 'elid': Access denied" in result['msg']


@pytest.mark.parametrize('filters, expected', [
    ({'comment': 'web-cluster'}, [101]),
    ({'comment': 'other'}, []),
    ({'product': 'vmmanager6'}, [101]),
    ({'status': ['suspended']}, []),
])
def test_id_with_filters(monkeypatch, filters, expected):
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'web-cluster', {}))])
    assert ids(run(dict(AUTH, id=101, **filters))) == expected
    run.transport.assert_done()


@pytest.mark.parametrize('filters', [{'product': 'dcimanager6'}, {'pricelist': 55161}])
def test_an_id_of_another_product_fails_as_in_every_module(monkeypatch, filters):
    """Issue 16: it returned [] while the user guide says a license given by id of another product fails."""
    run = Run(monkeypatch, [expect('platform.edit', {'elid': 101}).answer(edit_answer(101, 55163, 2, 'web-cluster', {}))])
    result = run(dict(AUTH, id=101, **filters), fails=True)
    assert 'license 101 is a vmmanager6 license, not ' in result['msg']
    assert result['licenses'] == []


def test_id_of_a_deleted_license_is_left_out_unless_asked_for(monkeypatch):
    run = Run(monkeypatch, [
        expect('platform.edit', {'elid': 104}).answer(edit_answer(104, 55163, 4, 'old-cluster', {})),
        expect('platform.edit', {'elid': 104}).answer(edit_answer(104, 55163, 4, 'old-cluster', {})),
    ])
    assert ids(run(dict(AUTH, id=104))) == []
    assert ids(run(dict(AUTH, id=104, status=['deleted']))) == [104]
    run.transport.assert_done()


# -- check mode, connection options, errors -----------------------------------------------------------

def test_check_mode_reads_the_same_and_changes_nothing(monkeypatch):
    run = Run(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(account(), headers=DATE),
        expect('platform', FIRST_PAGE).answer(account(), headers=DATE),
    ])
    normal = run(dict(AUTH, product='vmmanager6'))
    checked = run(dict(AUTH, product='vmmanager6', _ansible_check_mode=True))
    run.transport.assert_done()
    assert checked == normal
    assert checked['changed'] is False
    assert ids(checked) == [101, 102]
    assert run.transport.funcs == ['platform', 'platform']


def test_connection_options_reach_the_transport_and_client(monkeypatch, tmp_path):
    ca_file = tmp_path / 'test-ca.pem'
    ca_file.write_text('-----BEGIN CERTIFICATE-----\n', encoding='ascii')
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(list_doc([]))])
    run(dict(AUTH, validate_certs=False, ca_path=str(ca_file), timeout=7, use_proxy=False))
    run.transport.assert_done()
    assert run.created == [{'validate_certs': False, 'ca_path': str(ca_file), 'use_proxy': False}]
    assert run.transport.requests[0]['timeout'] == 7
    assert run.transport.requests[0]['url'] == URL


def test_api_error_fails_with_details_and_no_password(monkeypatch):
    secret = 'p@ss:w/rd&x=1'
    run = Run(monkeypatch, [
        expect('platform', FIRST_PAGE).answer(error_doc('auth', 'badpassword', 'Invalid password %s for demo' % secret)),
    ], authinfo='demo:' + secret)
    result = run(dict(AUTH, api_password=secret), fails=True)
    run.transport.assert_done()
    assert result['licenses'] == []
    assert result['api_error'] == {'error_type': 'auth', 'error_object': 'badpassword'}
    assert secret not in result['msg']
    assert WITHHELD in result['msg']
    assert result['msg'].startswith("BILLmanager platform failed: auth error on 'badpassword'")


def test_proxy_page_fails_with_the_http_status(monkeypatch):
    run = Run(monkeypatch, [expect('platform', FIRST_PAGE).answer(b'<html><body>Sign in</body></html>', status=200)])
    result = run(dict(AUTH), fails=True)
    run.transport.assert_done()
    assert result['api_error'] == {'status': 200}
    assert 'root element <html>' in result['msg']
    assert result['licenses'] == []
