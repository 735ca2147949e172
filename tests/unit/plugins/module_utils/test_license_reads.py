# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""license_reads: one license by id, the whole paged list (fail closed), selections by product and comment."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils import license_reads
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    AccessDeniedError, AuthError, InvalidValueError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import (
    Account, IdentityError, IncompleteListError, NotUnderstoodError, api_today, get_license, read_account, select_licenses,
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


def one(license_id, comment='', status=2, pricelist=55163):
    return doc('<id>%s</id><pricelist>%s</pricelist><status>%s</status><comment>%s</comment>'
               '<expiredate>2026-12-27</expiredate>' % (license_id, pricelist, status, comment), func='platform.edit')


def ids(found):
    return [item['id'] for item in found]


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
        'in_progress': None, 'suspend_reason': None, 'key_issued': True,
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
    error_doc('missed', 'item', 'Item not found', value='999'),  # ISPsystem's modules: Missed("item", id)
    error_doc('missed', 'id', 'Not found', value='999'),
    error_doc('access', 'elid', 'Access denied', value='999'),
    error_doc('notfound', 'elid', 'Not found', value='999'),
    error_doc('missed', 'elid', 'Object 999 not found'),  # the id only in the message
], ids=['missed-elid', 'missed-item', 'missed-id', 'access-elid', 'notfound', 'id-in-message'])
def test_get_license_returns_none_for_a_not_found_answer_naming_the_id(answer):
    client, transport = scripted([expect('platform.edit', {'elid': 999}).answer(answer)])
    assert get_license(client, 999) is None
    transport.assert_done()


@pytest.mark.parametrize('answer, error', [
    (error_doc('auth', 'badpassword', 'Invalid password'), AuthError),
    (error_doc('missed', 'elid', 'Field is missing'), InvalidValueError),  # a missing parameter, not a missing license
    (error_doc('access', 'elid', 'Access denied'), AccessDeniedError),  # names no id: not proof that it does not exist
    (error_doc('missed', 'elid', 'Object 9990 not found'), InvalidValueError),  # another id
    (error_doc('value', 'pricelist', 'Bad value', value='999'), InvalidValueError),
], ids=['auth', 'missed-parameter', 'access-without-id', 'other-id', 'value'])
def test_get_license_lets_other_errors_through(answer, error):
    client, transport = scripted([expect('platform.edit', {'elid': 999}).answer(answer)])
    with pytest.raises(error):
        get_license(client, 999)
    transport.assert_done()


def test_an_answer_that_is_not_a_license_is_not_understood():
    client, transport = scripted([expect('platform.edit', {'elid': 5}).answer(doc('<slist name="period"/>'))])
    with pytest.raises(NotUnderstoodError, match='none of pricelist, status'):
        get_license(client, 5)
    transport.assert_done()


def test_an_answer_about_another_license_is_not_understood():
    client, transport = scripted([expect('platform.edit', {'elid': 5}).answer(one(6))])
    with pytest.raises(NotUnderstoodError, match='answer shows license 6'):
        get_license(client, 5)
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
    listing = read_account(client, page_size=2)
    transport.assert_done()  # no 4th request for an empty page
    assert len(listing.rows) == 6
    assert listing.describe() == {'page_size_asked': 2, 'page_size_served': 2, 'total_rows': 6, 'rows_read': 6,
                                  'list_requests': 3, 'filter_element': False}


def test_a_short_last_page_reaches_the_total():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=5)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=5)),
        expect('platform', page(3)).answer(list_doc(rows(5), p_elems=5)),
    ])
    assert [row.findtext('id') for row in read_account(client, page_size=2).rows] == ['1', '2', '3', '4', '5']
    transport.assert_done()


def test_a_server_that_serves_fewer_rows_than_asked_is_paged_with_its_size():
    """Issue 8: asked 500, served 2 (its <p_cnt> says so). Stopping at the first short page missed license 5."""
    client, transport = scripted([
        expect('platform', {'p_cnt': 500, 'p_num': 1}).answer(list_doc(rows(1, 2), p_elems=5, p_cnt=2, p_num=1)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=5, p_cnt=2, p_num=2)),
        expect('platform', page(3)).answer(list_doc(rows(5), p_elems=5, p_cnt=2, p_num=3)),
    ])
    assert ids(Account(client).with_comment('c5', 55163)) == [5]
    transport.assert_done()


def test_a_capped_server_that_does_not_say_its_size_but_gives_the_total_is_read_whole():
    client, transport = scripted([
        expect('platform', page(1, 4)).answer(list_doc(rows(1, 2), p_elems=5)),
        expect('platform', page(2, 4)).answer(list_doc(rows(3, 4), p_elems=5)),
        expect('platform', page(3, 4)).answer(list_doc(rows(5), p_elems=5)),
    ])
    assert len(read_account(client, page_size=4).rows) == 5
    transport.assert_done()


def test_rows_skipped_by_a_capped_server_are_caught_by_the_total():
    client, transport = scripted([
        expect('platform', page(1, 4)).answer(list_doc(rows(1, 2), p_elems=6)),
        expect('platform', page(2, 4)).answer(list_doc(rows(5, 6), p_elems=6)),
        expect('platform', page(3, 4)).answer(list_doc([], p_elems=6)),
    ])
    with pytest.raises(IncompleteListError, match='read 4 of 6 rows'):
        read_account(client, page_size=4)
    transport.assert_done()


def test_a_full_page_then_an_empty_page_short_of_p_elems_is_incomplete():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc(rows(1, 2), p_elems=4, p_cnt=2, p_num=1)),  # full: it serves 2
        expect('platform', page(2)).answer(list_doc([], p_elems=4, p_cnt=2, p_num=2)),
    ])
    with pytest.raises(IncompleteListError, match='read 2 of 4 rows'):  # 'c9' may be on a row not served
        Account(client).with_comment('c9', 55163)
    transport.assert_done()


def test_paging_without_p_elems_stops_on_an_empty_page():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2))),
        expect('platform', page(2)).answer(list_doc(rows(3, 4))),
        expect('platform', page(3)).answer(list_doc([])),
    ])
    assert ids(list_licenses(client, page_size=2)) == [1, 2, 3, 4]
    transport.assert_done()


def test_without_totals_a_short_page_is_read_on_until_an_empty_one():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2))),
        expect('platform', page(2)).answer(list_doc(rows(3))),
        expect('platform', page(3)).answer(list_doc([])),
    ])
    assert len(read_account(client, page_size=2).rows) == 3
    transport.assert_done()


def test_without_totals_or_page_size_a_short_page_followed_by_rows_is_an_error():
    client, transport = scripted([
        expect('platform', page(1, 4)).answer(list_doc(rows(1, 2))),
        expect('platform', page(2, 4)).answer(list_doc(rows(5, 6))),
    ])
    with pytest.raises(IncompleteListError, match='rows may have been skipped'):
        read_account(client, page_size=4)
    transport.assert_done()


def test_a_list_longer_than_max_pages_is_an_error(monkeypatch):
    """Pages that never end (without totals, each with new rows) cannot be proven to be the whole list."""
    monkeypatch.setattr(license_reads, 'MAX_PAGES', 2)
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2))),
        expect('platform', page(2)).answer(list_doc(rows(3, 4))),
    ])
    with pytest.raises(IncompleteListError, match='more than 2 pages'):
        read_account(client, page_size=2)
    transport.assert_done()


def test_p_elems_as_an_attribute_of_doc():
    client, transport = scripted([
        expect('platform', page(1)).answer(doc(''.join(rows(1, 2)), func='platform', p_elems='2')),
    ])
    assert ids(list_licenses(client, page_size=2)) == [1, 2]
    transport.assert_done()


def test_a_server_that_ignores_p_num_is_caught_by_the_row_seen_twice():
    """A partial list must never look like "not found": that could order a second license."""
    first_page = list_doc(rows(1, 2), p_elems=6)
    client, transport = scripted([
        expect('platform', page(1)).answer(first_page),
        expect('platform', page(2)).answer(first_page),
    ])
    with pytest.raises(IncompleteListError, match='license 1 came twice'):
        list_licenses(client, page_size=2)
    transport.assert_done()  # a third request would fail here


def test_a_server_that_answers_another_page_number_is_an_error():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=6, p_num=1)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=6, p_num=1)),
    ])
    with pytest.raises(IncompleteListError, match='asked for page 2 .* answered page 1'):
        read_account(client, page_size=2)
    transport.assert_done()


def test_a_total_that_changes_while_reading_is_an_error():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2), p_elems=4)),
        expect('platform', page(2)).answer(list_doc(rows(3, 4), p_elems=5)),
    ])
    with pytest.raises(IncompleteListError, match='changed while it was read'):
        read_account(client, page_size=2)
    transport.assert_done()


def test_a_row_without_an_id_is_not_understood():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc([elem(pricelist='VMmanager 6', status=2)], p_elems=1)),
    ])
    with pytest.raises(NotUnderstoodError, match='row without an id'):
        read_account(client, page_size=2)
    transport.assert_done()


def test_a_server_that_ignores_p_cnt_and_gives_the_total_is_read_once():
    client, transport = scripted([
        expect('platform', page(1)).answer(list_doc(rows(1, 2, 3, 4, 5), p_elems=5)),
    ])
    assert ids(list_licenses(client, page_size=2)) == [1, 2, 3, 4, 5]
    transport.assert_done()


def test_a_server_that_ignores_paging_without_totals_is_an_error():
    """Everything on every page and no total: page 2 repeats page 1; that cannot be proven complete."""
    everything = list_doc(rows(1, 2, 3))
    client, transport = scripted([
        expect('platform', page(1)).answer(everything),
        expect('platform', page(2)).answer(everything),
    ])
    with pytest.raises(IncompleteListError, match='came twice'):
        read_account(client, page_size=2)
    transport.assert_done()


@pytest.mark.parametrize('answer', [list_doc([], p_elems=0), list_doc([])], ids=['with-total', 'without-total'])
def test_empty_account_is_one_request(answer):
    client, transport = scripted([expect('platform', {'p_cnt': 500, 'p_num': 1}).answer(answer)])
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


# -- selections --------------------------------------------------------------------------------------

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
            elem(id=5, pricelist='VMmanager 6', status=2, comment='web '),
            elem(id=6, pricelist='VMmanager 6', status=2, comment='Web'),
        ], p_elems=5), headers=DATE),
    ])
    found = list_licenses(client, comment='web')
    transport.assert_done()
    assert ids(found) == [1, 3, 5]
    assert built == ['1', '3', '5']


def test_a_row_without_a_comment_cell_is_read_on_its_own():
    """Issue 8: no comment cell is not "no match" (that bought a license on every run)."""
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2, comment='db'),
            elem(id=4, pricelist='VMmanager 6', status=2),
        ], p_elems=2)),
        expect('platform.edit', {'elid': 4}).answer(one(4, comment='web')),
    ])
    assert ids(Account(client).with_comment('web', 55163)) == [4]
    transport.assert_done()


def test_a_row_of_a_product_shown_by_an_unknown_name_without_a_comment_cell_is_read_on_its_own():
    """The row shows neither a product this collection knows nor a comment: it may be the license asked for, so it is
    read on its own before an order is decided (leaving it out would order a second license)."""
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=7, pricelist='VMmanager 6 (2026 edition)', status=2),
        ], p_elems=1)),
        expect('platform.edit', {'elid': 7}).answer(one(7, comment='web')),
    ])
    assert ids(Account(client).with_comment('web', 55163)) == [7]
    transport.assert_done()


def test_rows_without_comment_cells_cost_one_read_per_live_license_of_the_product_only():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2),
            elem(id=2, pricelist='VMmanager 6', status=4),  # deleted: never a match, not read
            elem(id=3, pricelist='DCImanager 6', status=2),  # another product: not read
            elem(id=4, pricelist='VMmanager 6', status=3),
        ], p_elems=4)),
        expect('platform.edit', {'elid': 1}).answer(one(1, comment='a')),
        expect('platform.edit', {'elid': 4}).answer(one(4, comment='b', status=3)),
    ])
    assert Account(client).with_comment('web', 55163) == []
    transport.assert_done()


def test_a_candidate_whose_product_is_not_understood_refuses_the_decision():
    """A live license carrying the comment whose product neither its row nor its own read shows in a way this collection
    knows may be the one asked for, or a license of another product: neither ordering nor acting on it is safe."""
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=8, pricelist='VMmanager 6 (2026 edition)', status=2, comment='web'),
        ], p_elems=1)),
        expect('platform.edit', {'elid': 8}).answer(one(8, comment='web', pricelist='VMmanager 6 (2026 edition)')),
    ])
    with pytest.raises(NotUnderstoodError, match='license 8 shows no product this collection knows'):
        Account(client).with_comment('web', 55163)
    transport.assert_done()


def test_a_candidate_whose_status_is_not_understood_refuses_the_decision():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', item_status='Blocked', comment='web'),
        ], p_elems=1)),
    ])
    with pytest.raises(NotUnderstoodError, match=r"license 1 has a status that is not understood \(item_status='Blocked'\)"):
        Account(client).with_comment('web', 55163)
    transport.assert_done()


def test_list_licenses_returns_a_license_not_understood_as_such():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', item_status='Blocked', comment='web'),
        ], p_elems=1)),
    ])
    found = list_licenses(client, comment='web', pricelist=55163, include_deleted=False)
    transport.assert_done()
    assert [(item['id'], item['status'], item['status_seen']) for item in found] == [(1, 'unknown', {'item_status': 'Blocked'})]


def test_pricelist_filter_on_ids_and_display_names():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2),
            elem(id=2, pricelist='55163', status=2),
            elem(id=3, pricelist='DCImanager 6', status=2),
            elem(id=4, pricelist='55161', status=4),
        ])),
        expect('platform', page(2, 500)).answer(list_doc([])),
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
        ], p_elems=3)),
    ])
    found = list_licenses(client, comment='web', pricelist=55163, include_deleted=False)
    transport.assert_done()
    assert ids(found) == [3]


def test_deleted_are_included_by_default_and_days_left_uses_the_server_date():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=4, expiredate='2026-11-20'),
            elem(id=2, pricelist='VMmanager 6', status=2, expiredate='2026-12-27'),
        ], p_elems=2), headers=DATE),
    ])
    found = list_licenses(client)
    transport.assert_done()
    assert [(item['id'], item['status'], item['days_left']) for item in found] == [(1, 'deleted', -7), (2, 'active', 30)]


def test_pricelist_filter_for_a_product_shown_by_an_unknown_name():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2),
            elem(id=7, pricelist='ISPmanager 6 Lite', status=2),
        ], p_elems=2)),
        expect('platform.edit', {'elid': 7}).answer(doc('<id>7</id><pricelist>55200</pricelist><status>2</status>')),
    ])
    found = list_licenses(client, pricelist=55200)
    transport.assert_done()
    assert ids(found) == [7]


@pytest.mark.parametrize('pricelist, expected', [(55200, [7]), (55163, [])])
def test_a_comment_carried_by_a_product_shown_by_an_unknown_name_is_read_on_its_own(pricelist, expected):
    """QA: isp_license with pricelist 55200 (a product outside the catalogue) ordered, then refused its own new license
    ("shows no product this collection knows") on this and every later run. The row shows the product by name; the
    license read by id shows its pricelist as a number."""
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2, comment='web'),
            elem(id=7, pricelist='ISPmanager 6 Lite', status=2, comment='lite'),
            elem(id=8, pricelist='ISPmanager 6 Lite', status=2, comment='other'),  # another comment: not read
        ], p_elems=3)),
        expect('platform.edit', {'elid': 7}).answer(one(7, comment='lite', pricelist=55200)),
    ])
    assert ids(Account(client).with_comment('lite', pricelist)) == expected
    transport.assert_done()


# -- find_license ------------------------------------------------------------------------------------

def test_find_license_by_id_that_does_not_exist_never_orders():
    client, transport = scripted([expect('platform.edit', {'elid': 9}).answer(error_doc('missed', 'item', 'No', value='9'))])
    with pytest.raises(IdentityError, match='license id 9 was not found'):
        Account(client).find(9)
    transport.assert_done()


def test_find_license_by_id_of_another_product_is_refused():
    """Issue 9: isp_license_prolong with id and a product of the other kind renewed it anyway."""
    client, transport = scripted([expect('platform.edit', {'elid': 103}).answer(one(103, pricelist=55161))])
    with pytest.raises(IdentityError, match='license 103 is a dcimanager6 license, not vmmanager6'):
        Account(client).find(103, pricelist=55163)
    transport.assert_done()


def test_find_license_by_id_whose_product_is_not_understood_is_refused_when_a_product_is_named():
    client, transport = scripted([expect('platform.edit', {'elid': 7}).answer(doc('<id>7</id><status>2</status>'))])
    with pytest.raises(NotUnderstoodError, match='shows no product'):
        Account(client).find(7, pricelist=55163)
    transport.assert_done()


def test_find_license_by_comment_refuses_to_guess_between_two():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=1, pricelist='VMmanager 6', status=2, comment='web'),
            elem(id=2, pricelist='VMmanager 6', status=3, comment='web'),
        ], p_elems=2)),
    ])
    with pytest.raises(IdentityError, match=r"comment 'web' matches 2 licenses \(ids 1, 2\)"):
        Account(client).find(comment='web', pricelist=55163)
    transport.assert_done()


def test_find_license_by_comment_reads_addons_when_asked():
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([elem(id=1, pricelist='VMmanager 6', status=2, comment='web')], p_elems=1)),
        expect('platform.edit', {'elid': 1}).answer(doc('<id>1</id><pricelist>55163</pricelist><status>2</status>'
                                                        '<comment>web</comment><addon_55165>3</addon_55165>')),
    ])
    found = Account(client).find(comment='web', pricelist=55163, need_addons=True)
    transport.assert_done()
    assert found['addons'] == {'nodes': 3}


def list_licenses(client, comment=None, pricelist=None, include_deleted=True, page_size=500):
    """The licenses of the account with ``comment`` and of ``pricelist`` (None: any), those not understood included
    (as isp_license_info lists them)."""
    selection = select_licenses(client, read_account(client, page_size), pricelist, comment, live_only=not include_deleted)
    return selection.licenses + [lic for lic, _reason in selection.unclear]


def test_a_row_of_an_unknown_product_whose_license_carries_another_comment_is_not_a_match():
    """Issue 16 (a behaviour no test pinned): the row says 'lite', the license read by id says otherwise (the list
    was stale): the license read on its own decides, and it is not a match."""
    client, transport = scripted([
        expect('platform', page(1, 500)).answer(list_doc([
            elem(id=7, pricelist='ISPmanager 6 Lite', status=2, comment='lite'),
        ], p_elems=1)),
        expect('platform.edit', {'elid': 7}).answer(one(7, comment='renamed', pricelist=55200)),
    ])
    assert Account(client).with_comment('lite', 55200) == []
    transport.assert_done()
