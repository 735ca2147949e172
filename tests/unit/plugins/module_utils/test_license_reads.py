# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""license_reads: one license by id (platform.edit without sok), the paged list, early filters."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils import license_reads
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import AuthError, InvalidValueError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import (
    IncompleteListError, api_today, get_license, iter_rows, list_licenses,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    FakeTransport, doc, elem, error_doc, expect, list_doc, make_client,
)

DATE = {'Date': 'Fri, 27 Nov 2026 10:00:00 GMT'}
NO_SERVER_DATE = datetime.date(1999, 1, 1)


@pytest.fixture(autouse=True)
def fixed_local_date(monkeypatch):
    """The local UTC date is 1999-01-01 here, so that a use of it instead of the server's date shows."""
    monkeypatch.setattr(license_reads, 'utc_today', lambda: NO_SERVER_DATE)


def scripted(script):
    transport = FakeTransport(script)
    return make_client(transport), transport


def page(number, size=2):
    return {'p_cnt': size, 'p_num': number}


def rows(*ids, **extra):
    return [elem(id=license_id, pricelist='VMmanager 6', status=2, comment='c%d' % license_id, **extra) for license_id in ids]


# -- get_license -------------------------------------------------------------------------------------

def test_get_license_reads_platform_edit_without_sok():
    answer = doc('<elid>101</elid><id>101</id><pricelist>55163</pricelist><period>1</period><createdate>2026-10-01</createdate>'
                 '<expiredate>2026-12-01</expiredate><autoprolong>1</autoprolong><status>2</status><comment>web-cluster</comment>'
                 '<cost>25.00 EUR</cost><addon_55165>3</addon_55165><addon_55164>50</addon_55164><lickey>k</lickey>',
                 func='platform.edit')
    client, transport = scripted([expect('platform.edit', {'elid': 101}).answer(answer, headers=DATE)])
    item = get_license(client, 101)
    transport.assert_done()
    assert item == {
        'id': 101, 'product': 'vmmanager6', 'pricelist': 55163, 'status': 'active', 'status_code': 2,
        'comment': 'web-cluster', 'period': '1', 'createdate': '2026-10-01', 'expiredate': '2026-12-01',
        'days_left': 4, 'autoprolong': '1', 'addons': {'nodes': 3, 'vms': 50}, 'cost': 25.0, 'currency': 'EUR',
    }


def test_get_license_fills_in_the_id_when_the_doc_has_none():
    client, transport = scripted([expect('platform.edit', {'elid': 42}).answer(doc('<pricelist>55161</pricelist><status>3</status>'))])
    item = get_license(client, 42)
    transport.assert_done()
    assert item['id'] == 42
    assert item['status'] == 'suspended'
    assert item['product'] == 'dcimanager6'


@pytest.mark.parametrize('answer', [
    error_doc('missed', 'elid', 'Object not found', value='999'),
    error_doc('notfound', 'elid', 'Not found', value='999'),
    error_doc('access', 'elid', 'Access denied'),
], ids=['missed-elid', 'notfound', 'access'])
def test_get_license_returns_none_when_not_found_or_not_ours(answer):
    client, transport = scripted([expect('platform.edit', {'elid': 999}).answer(answer)])
    assert get_license(client, 999) is None
    transport.assert_done()


def test_get_license_lets_other_errors_through():
    client, transport = scripted([expect('platform.edit', {'elid': 1}).answer(error_doc('auth', 'badpassword', 'Invalid password'))])
    with pytest.raises(AuthError):
        get_license(client, 1)
    transport.assert_done()
    client, transport = scripted([expect('platform.edit', {'elid': 1}).answer(error_doc('missed', 'elid', 'Field is missing'))])
    with pytest.raises(InvalidValueError):
        get_license(client, 1)
    transport.assert_done()


def test_api_today_prefers_the_server_date():
    client, transport = scripted([expect('platform').answer(list_doc([]), headers={'Date': 'Mon, 01 Mar 2027 23:59:59 GMT'})])
    assert api_today(client) == NO_SERVER_DATE
    client.read('platform')
    transport.assert_done()
    assert api_today(client) == datetime.date(2027, 3, 1)


# -- paging ------------------------------------------------------------------------------------------

def test_three_pages_stop_when_p_elems_is_reached():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=6, p_cnt=2, p_num=1)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=6, p_cnt=2, p_num=2)),
        expect('platform', page(3)).answer(list_doc(rows(5, 6), p_elems=6, p_cnt=2, p_num=3)),
    ])
    found = list_licenses(client, page_size=2)
    transport.assert_done()  # no 4th request for an empty page
    assert [item['id'] for item in found] == [1, 2, 3, 4, 5, 6]


def test_three_pages_stop_on_a_short_last_page():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=5)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=5)),
        expect('platform', page(3)).answer(list_doc(rows(5), p_elems=5)),
    ])
    assert [row.findtext('id') for row in iter_rows(client, page_size=2)] == ['1', '2', '3', '4', '5']
    transport.assert_done()


def test_paging_without_p_elems_stops_on_an_empty_page():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2))),
        expect('platform', page(2)).answer(list_doc(rows(3, 4))),
        expect('platform', page(3)).answer(list_doc([])),
    ])
    assert [item['id'] for item in list_licenses(client, page_size=2)] == [1, 2, 3, 4]
    transport.assert_done()


def test_p_elems_as_an_attribute_of_doc():
    client, transport = scripted([
        expect('platform', page(1)).answer(doc(''.join(rows(1, 2)), func='platform', p_elems='2')),
    ])
    assert [item['id'] for item in list_licenses(client, page_size=2)] == [1, 2]
    transport.assert_done()


def test_server_that_ignores_p_num_is_not_read_forever_and_a_partial_list_is_an_error():
    """A partial list must never look like "not found": that could order a second license."""
    first_page = list_doc(rows(1, 2), p_elems=6)
    client, transport = scripted([
        expect('platform', page(1)).answer(first_page),
        expect('platform', page(2)).answer(first_page),
    ])
    with pytest.raises(IncompleteListError, match='read 2 of 6 rows'):
        list_licenses(client, page_size=2)
    transport.assert_done()  # a third request would fail here


def test_server_that_ignores_p_num_without_p_elems_is_an_error_too():
    first_page = list_doc(rows(1, 2))
    client, transport = scripted([
        expect('platform', page(1)).answer(first_page),
        expect('platform', page(2)).answer(first_page),
    ])
    with pytest.raises(IncompleteListError):
        list_licenses(client, page_size=2)
    transport.assert_done()


def test_server_that_ignores_p_cnt_is_read_once():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2, 3, 4, 5))),
    ])
    assert [item['id'] for item in list_licenses(client, page_size=2)] == [1, 2, 3, 4, 5]
    transport.assert_done()


def test_empty_account_is_one_request():
    client, transport = scripted([expect('platform', {'p_cnt': 500, 'p_num': 1}).answer(list_doc([], p_elems=0))])
    assert not list_licenses(client)
    transport.assert_done()


def test_error_on_a_later_page_is_raised():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=4)),
        expect('platform', page(2)).answer(error_doc('auth', 'badpassword', 'Session expired')),
    ])
    with pytest.raises(AuthError):
        list_licenses(client, page_size=2)
    transport.assert_done()


# -- filters -----------------------------------------------------------------------------------------

def test_comment_filter_is_applied_before_building_dicts(monkeypatch):
    built = []
    original = license_reads.license_from_row

    def counting(row, today=None):
        built.append(row.findtext('id'))
        return original(row, today)

    monkeypatch.setattr(license_reads, 'license_from_row', counting)
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2, comment='web'),
            elem(id=2, pricelist='VMmanager 6', status=2, comment='db'),
            elem(id=3, pricelist='DCImanager 6', status=2, comment='web'),
            elem(id=4, pricelist='VMmanager 6', status=2),
            elem(id=5, pricelist='VMmanager 6', status=2, comment='web '),
            elem(id=6, pricelist='VMmanager 6', status=2, comment='Web'),
        ]), headers=DATE),
    ])
    found = list_licenses(client, comment='web')
    transport.assert_done()
    assert [item['id'] for item in found] == [1, 3, 5]
    assert built == ['1', '3', '5']


def test_pricelist_filter_on_ids_and_display_names():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2),
            elem(id=2, pricelist='55163', status=2),
            elem(id=3, pricelist='DCImanager 6', status=2),
            elem(id=4, pricelist='55161', status=4),
            elem(id=5, status=2),
        ])),
    ])
    found = list_licenses(client, pricelist=55163)
    transport.assert_done()
    assert [(item['id'], item['product']) for item in found] == [(1, 'vmmanager6'), (2, 'vmmanager6')]


def test_comment_and_pricelist_together_and_deleted_left_out():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=4, comment='web'),
            elem(id=2, pricelist='DCImanager 6', status=2, comment='web'),
            elem(id=3, pricelist='VMmanager 6', status=2, comment='web'),
        ])),
    ])
    found = list_licenses(client, comment='web', pricelist=55163, include_deleted=False)
    transport.assert_done()
    assert [item['id'] for item in found] == [3]


def test_deleted_are_included_by_default_and_days_left_uses_the_server_date():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=4, expiredate='2026-11-20'),
            elem(id=2, pricelist='VMmanager 6', status=2, expiredate='2026-12-27'),
        ]), headers=DATE),
    ])
    found = list_licenses(client)
    transport.assert_done()
    assert [(item['id'], item['status'], item['days_left']) for item in found] == [(1, 'deleted', -7), (2, 'active', 30)]


def test_pricelist_filter_for_a_product_shown_by_an_unknown_name():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2),
            elem(id=7, pricelist='ISPmanager 6 Lite', status=2),
        ])),
        expect('platform.edit', {'elid': 7}).answer(doc('<id>7</id><pricelist>55200</pricelist><status>2</status>')),
    ])
    found = list_licenses(client, pricelist=55200)
    assert [item['id'] for item in found] == [7]
