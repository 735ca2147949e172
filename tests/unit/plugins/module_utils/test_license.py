# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The license model: license_from_row on list rows and platform.edit documents, and the cell parsers."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils import license as model
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import addon_key
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import (
    comment_alteration, comment_problem, license_from_row, parse_autoprolong, parse_date, parse_money, parse_period, parse_pricelist,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import parse_answer
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import doc, elem, list_doc

TODAY = datetime.date(2026, 11, 27)
LICENSE_KEYS = {'id', 'product', 'pricelist', 'status', 'status_code', 'comment', 'period', 'createdate', 'expiredate',
                'days_left', 'autoprolong', 'addons', 'cost', 'currency', 'in_progress', 'suspend_reason'}


@pytest.fixture(autouse=True)
def no_clock(monkeypatch):
    """Every test passes its own ``today``; a model that looked at the real clock would see 1999."""
    monkeypatch.setattr(model, 'utc_today', lambda: datetime.date(1999, 1, 1))


def row_of(**fields):
    """The first <elem> of a list answer, parsed the way the client parses it."""
    return parse_answer(list_doc([elem(**fields)]), 'platform').find('elem')


def edit_doc(inner, **attributes):
    return parse_answer(doc(inner, func='platform.edit', **attributes), 'platform.edit')


def test_list_row_of_the_emulator():
    row = row_of(id=101, pricelist='VMmanager 6', period=1, createdate='2026-10-01', expiredate='2026-12-01', autoprolong=1,
                 status=2, item_status='Active', comment='web-cluster', cost='25.00 EUR', processingmodule='ISPsystem licenses')
    assert license_from_row(row, TODAY) == {
        'id': 101, 'product': 'vmmanager6', 'pricelist': 55163, 'status': 'active', 'status_code': 2,
        'comment': 'web-cluster', 'period': '1', 'createdate': '2026-10-01', 'expiredate': '2026-12-01',
        'days_left': 4, 'autoprolong': '1', 'addons': None, 'cost': 25.0, 'currency': 'EUR',
        'in_progress': None, 'suspend_reason': None,
    }


def test_platform_edit_doc_with_addons_and_attributes_on_doc():
    root = edit_doc('<elid>101</elid><id>101</id><pricelist>55163</pricelist><period>12</period>'
                    '<createdate>2026-01-15</createdate><expiredate>2027-01-15</expiredate><autoprolong>12</autoprolong>'
                    '<status>2</status><comment/><cost>250.00 EUR</cost><addon_55165>3</addon_55165>'
                    '<addon_55164>50</addon_55164><lickey>opaque-key</lickey>',
                    binary='/manager/billmgr', elid='101', p_elems='1')
    assert license_from_row(root, TODAY) == {
        'id': 101, 'product': 'vmmanager6', 'pricelist': 55163, 'status': 'active', 'status_code': 2,
        'comment': '', 'period': '12', 'createdate': '2026-01-15', 'expiredate': '2027-01-15',
        'days_left': 49, 'autoprolong': '12', 'addons': {'nodes': 3, 'vms': 50}, 'cost': 250.0, 'currency': 'EUR',
        'in_progress': None, 'suspend_reason': None, 'key_issued': True,
    }


def test_edit_doc_with_elid_only():
    root = edit_doc('<elid>202</elid><pricelist>55161</pricelist><status>3</status>')
    item = license_from_row(root, TODAY)
    assert item['id'] == 202
    assert item['product'] == 'dcimanager6'
    assert item['status'] == 'suspended'


@pytest.mark.parametrize('shown, pricelist, product', [
    ('VMmanager 6', 55163, 'vmmanager6'),
    ('vmmanager6', 55163, 'vmmanager6'),
    ('VMmanager-6', 55163, 'vmmanager6'),
    ('DCImanager 6', 55161, 'dcimanager6'),
    ('55163', 55163, 'vmmanager6'),
    ('55161', 55161, 'dcimanager6'),
    ('55200', 55200, None),
    ('ISPmanager 6 Lite', None, None),
    ('', None, None),
])
def test_pricelist_as_id_or_display_name(shown, pricelist, product):
    item = license_from_row(row_of(id=1, pricelist=shown, status=2), TODAY)
    assert item['pricelist'] == pricelist
    assert item['product'] == product


@pytest.mark.parametrize('status, item_status, code, name', [
    ('1', None, 1, 'ordered'),
    ('2', 'Suspended', 2, 'active'),  # the code wins over the text
    ('3', None, 3, 'suspended'),
    ('4', None, 4, 'deleted'),
    ('5', None, 5, 'processing'),
    ('Active', None, 2, 'active'),
    ('Stopped', None, 3, 'suspended'),
    ('In progress', None, 5, 'processing'),
    ('', 'Suspended', 3, 'suspended'),
    (None, 'Deleted', 4, 'deleted'),
    ('9', None, 9, 'unknown'),
    ('Frozen', 'Frozen', None, 'unknown'),
    (None, None, None, 'unknown'),
])
def test_status_code_or_text(status, item_status, code, name):
    item = license_from_row(row_of(id=1, status=status, item_status=item_status), TODAY)
    assert item['status_code'] == code
    assert item['status'] == name


def test_status_msg_is_a_message_not_a_status():
    """status_msg (the v5 list's processing message) is not a status: a row with only it is not understood."""
    item = license_from_row(row_of(id=1, status_msg='Processing'), TODAY)
    assert (item['status_code'], item['status']) == (None, 'unknown')


def status_row(inner):
    return parse_answer(list_doc(['<elem><id>1</id>%s</elem>' % inner]), 'platform').find('elem')


@pytest.mark.parametrize('inner, code', [
    ('<item_status>2</item_status>', 2),  # a numeric item_status (site-builder docs)
    ('<item_status orig="2_2_16">Active</item_status>', 2),  # a text whose orig attribute holds the code
    ('<item_status orig="3_3_0">\u0410\u043a\u0442\u0438\u0432\u043d\u0430</item_status>', 3),  # orig wins over the text
    ('<item_status orig="5">In progress</item_status>', 5),
    ('<status>4</status><item_status orig="4_4_0">Deleted</item_status>', 4),
    ('<item_status>\u0410\u043a\u0442\u0438\u0432\u043d\u0430</item_status>', 2),  # Russian text, last resort
    ('<item_status>\u041e\u0441\u0442\u0430\u043d\u043e\u0432\u043b\u0435\u043d\u0430</item_status>', 3),
    ('<item_status>\u0423\u0434\u0430\u043b\u0435\u043d\u0430</item_status>', 4),
    ('<item_status>\u0417\u0430\u043a\u0430\u0437\u0430\u043d\u0430</item_status>', 1),
    ('<item_status>\u041e\u0431\u0440\u0430\u0431\u0430\u0442\u044b\u0432\u0430\u0435\u0442\u0441\u044f</item_status>', 5),
])
def test_status_forms_of_real_servers(inner, code):
    item = license_from_row(status_row(inner), TODAY)
    assert item['status_code'] == code
    assert 'status_seen' not in item


@pytest.mark.parametrize('inner, seen', [
    ('<status>2</status><item_status orig="3_3_0">Suspended</item_status>', {'status': '2', 'item_status': 'Suspended',
                                                                             'item_status@orig': '3_3_0'}),
    ('<status>2</status><item_status>3</item_status>', {'status': '2', 'item_status': '3'}),
    ('<item_status orig="x_1">Blocked</item_status>', {'item_status': 'Blocked', 'item_status@orig': 'x_1'}),
    ('<item_status>Blocked</item_status>', {'item_status': 'Blocked'}),
    ('<status>Active</status><item_status>Deleted</item_status>', {'status': 'Active', 'item_status': 'Deleted'}),
    ('', {}),
])
def test_a_status_not_understood_is_unknown_and_says_what_it_saw(inner, seen):
    """Codes that disagree, unknown texts or no status at all: unknown, with the cells seen (for the refusal)."""
    item = license_from_row(status_row(inner), TODAY)
    assert (item['status'], item['status_code']) == ('unknown', None)
    assert item['status_seen'] == seen


def test_missing_fields_give_none_not_errors():
    item = license_from_row(row_of(id=7), TODAY)
    assert set(item) == LICENSE_KEYS | {'status_seen'}
    assert item == {
        'id': 7, 'product': None, 'pricelist': None, 'status': 'unknown', 'status_code': None, 'comment': '',
        'period': None, 'createdate': None, 'expiredate': None, 'days_left': None, 'autoprolong': 'off',
        'addons': None, 'cost': None, 'currency': None, 'in_progress': None, 'suspend_reason': None, 'status_seen': {},
    }


def test_empty_row_and_empty_value_elements():
    assert license_from_row(row_of(), TODAY)['id'] is None
    item = license_from_row(row_of(id='', pricelist='', status='', comment='', createdate='', expiredate='', autoprolong='',
                                   cost='', period=''), TODAY)
    assert item['id'] is None
    assert item['comment'] == ''
    assert item['autoprolong'] == 'off'
    assert item['period'] is None
    assert item['cost'] is None
    assert item['expiredate'] is None


def test_unknown_fields_and_flags_are_ignored():
    row = row_of(id=101, pricelist=55163, status=2, poweron=True, special_status=0, ip='10.0.0.1', update_expiredate='',
                 account='demo', project='default', datacentername='DC1')
    item = license_from_row(row, TODAY)
    assert set(item) == LICENSE_KEYS
    assert item['status'] == 'active'
    assert item['addons'] is None


def test_flag_elements_are_read_as_set():
    row = row_of(id=1, poweron=True, blocked='')
    cells = model._cells(row)  # pylint: disable=protected-access
    assert cells['poweron'] == 'on'
    assert cells['blocked'] == 'on'
    assert cells['id'] == '1'


def test_comment_keeps_inner_spaces_and_is_stripped():
    item = license_from_row(row_of(id=1, comment='  web  cluster & co  '), TODAY)
    assert item['comment'] == 'web  cluster & co'


@pytest.mark.parametrize('comment', ['web-1', 'VM cluster #2 (Frankfurt)', 'кластер 1', '\u00e9t\u00e9', 'a',
                                     'x' * 500, '\U0001f600 emoji', 'tabs\\tliteral'])
def test_comments_that_round_trip_are_accepted(comment):
    assert comment_problem(comment) is None


@pytest.mark.parametrize('comment, words', [
    ('', 'empty'),
    (' web', 'starts with whitespace'),
    ('web ', 'ends with whitespace'),
    ('   ', 'whitespace'),
    ('web\n', 'YAML "|" block'),
    ('web\r\n', 'line break'),
    ('\nweb', 'starts with a line break'),
    ('web\nsite', 'holds a line break'),
    ('web\r\nsite', 'holds a line break'),
    ('web\x01', 'control character (U+0001)'),
    ('web\tsite', 'control character (U+0009)'),
    ('web\x7f', 'control character'),
    ('web\u200bsite', 'invisible formatting character'),
    ('web\ufeff', 'invisible formatting character'),
    ('web\u00a0site', 'space character other than the plain space (U+00A0)'),
    ('web\u2028site', 'line separator'),
    ('web  site', 'two spaces in a row'),
    ('e\u0301t\u00e9', 'NFC'),
    ('web\uffff', 'non-character'),
])
def test_comments_that_may_not_round_trip_are_refused(comment, words):
    problem = comment_problem(comment)
    assert problem is not None and words in problem, problem


@pytest.mark.parametrize('value, expected', [
    ('2026-12-01', '2026-12-01'),
    ('2026-12-01 13:45:00', '2026-12-01'),
    ('01.12.2026', '2026-12-01'),
    ('2026/12/01', '2026-12-01'),
    ('0000-00-00', None),
    ('0000-00-00 00:00:00', None),
    ('', None),
    (None, None),
    ('next tuesday', None),
    ('2026-02-30', None),
])
def test_dates(value, expected):
    assert parse_date(value) == expected


def test_dates_in_a_row_in_several_formats():
    item = license_from_row(row_of(id=1, createdate='15.01.2026', expiredate='2026-12-01 00:00:00'), TODAY)
    assert item['createdate'] == '2026-01-15'
    assert item['expiredate'] == '2026-12-01'
    assert item['days_left'] == 4


@pytest.mark.parametrize('expiredate, days_left', [
    ('2026-11-27', 0), ('2026-11-28', 1), ('2026-11-20', -7), ('2027-11-27', 365), ('0000-00-00', None), (None, None),
])
def test_days_left(expiredate, days_left):
    assert license_from_row(row_of(id=1, expiredate=expiredate), TODAY)['days_left'] == days_left


def test_days_left_defaults_to_utc_today(monkeypatch):
    monkeypatch.setattr(model, 'utc_today', lambda: datetime.date(2026, 12, 1))
    assert license_from_row(row_of(id=1, expiredate='2026-12-11'))['days_left'] == 10


def test_utc_today_is_a_date(monkeypatch):
    monkeypatch.undo()
    today = model.utc_today()
    assert isinstance(today, datetime.date)
    assert abs((today - datetime.datetime.now(datetime.timezone.utc).date()).days) <= 1


@pytest.mark.parametrize('value, expected', [
    (None, 'off'), ('', 'off'), ('null', 'off'), ('NULL', 'off'), ('off', 'off'), ('0', 'off'), ('No', 'off'),
    ('1', '1'), ('12', '12'), ('1 month', '1'), ('1 Month', '1'), ('Monthly', '1'), ('12 months', '12'),
    ('1 year', '12'), ('Yearly', '12'), ('Annually', '12'),
])
def test_autoprolong_variants(value, expected):
    assert parse_autoprolong(value) == expected


def test_autoprolong_absent_from_a_row_is_off():
    assert license_from_row(row_of(id=1, status=2), TODAY)['autoprolong'] == 'off'
    assert license_from_row(row_of(id=1, autoprolong='null'), TODAY)['autoprolong'] == 'off'
    assert license_from_row(row_of(id=1, autoprolong='1 year'), TODAY)['autoprolong'] == '12'
    assert license_from_row(row_of(id=1, autoprolong=12), TODAY)['autoprolong'] == '12'


def test_autoprolong_unknown_text_is_kept():
    assert parse_autoprolong('3 months') == '3 months'
    assert parse_autoprolong('weird') == 'weird'


@pytest.mark.parametrize('value, expected', [
    ('1', '1'), ('12', '12'), ('-100', 'trial'), ('Trial', 'trial'), ('Trial period', 'trial'), ('1 month', '1'),
    ('Month', '1'), ('12 months', '12'), ('1 year', '12'), ('3', '3'), ('3 months', '3'), ('30 days', '30 days'),
    ('', None), (None, None),
])
def test_period_variants(value, expected):
    assert parse_period(value) == expected


@pytest.mark.parametrize('value, amount, currency', [
    ('25.00 EUR', 25.0, 'EUR'),
    ('25', 25.0, None),
    ('0.10 EUR', 0.1, 'EUR'),
    ('\u20ac25,50', 25.5, '\u20ac'),
    ('1234.56 EUR', 1234.56, 'EUR'),
    ('-5.00 EUR', -5.0, 'EUR'),
    ('EUR', None, None),
    ('', None, None),
    (None, None, None),
])
def test_cost(value, amount, currency):
    assert parse_money(value) == (amount, currency)


@pytest.mark.parametrize('value', ['1,234.56 EUR', '1 234.56 EUR'])
def test_cost_with_thousands_separator(value):
    assert parse_money(value)[0] == 1234.56


def test_cost_in_a_row():
    item = license_from_row(row_of(id=1, cost='10.30 EUR'), TODAY)
    assert (item['cost'], item['currency']) == (10.3, 'EUR')


def test_addons_by_alias_for_vmmanager():
    root = edit_doc('<id>1</id><pricelist>55163</pricelist><addon_55165>3</addon_55165><addon_55164>0</addon_55164>'
                    '<addon_99999>7</addon_99999>')
    assert license_from_row(root, TODAY)['addons'] == {'nodes': 3, 'vms': 0, '99999': 7}


def test_addons_by_id_for_dcimanager_and_unknown_products():
    root = edit_doc('<id>1</id><pricelist>55161</pricelist><addon_55171>20</addon_55171>')
    assert license_from_row(root, TODAY)['addons'] == {'55171': 20}
    root = edit_doc('<id>2</id><addon_55165>4</addon_55165>')
    assert license_from_row(root, TODAY)['addons'] == {'55165': 4}


def test_addon_alias_with_display_name_pricelist():
    row = row_of(id=1, pricelist='VMmanager 6', addon_55165=5)
    assert license_from_row(row, TODAY)['addons'] == {'nodes': 5}


def test_empty_or_odd_addon_values_do_not_crash():
    root = edit_doc('<id>1</id><pricelist>55163</pricelist><addon_55165/><addon_55164>many</addon_55164><addon_x>1</addon_x>')
    assert license_from_row(root, TODAY)['addons'] == {'nodes': None, 'vms': None}


def test_addon_key_and_status_helpers():
    assert addon_key(55163, 55165) == 'nodes'
    assert addon_key(55163, 55164) == 'vms'
    assert addon_key(55163, 1) == '1'
    assert addon_key(55161, 55171) == '55171'
    assert addon_key(None, 55165) == '55165'
    assert parse_pricelist('  55163 ') == 55163
    assert parse_pricelist(None) is None


def test_comments_and_processing_instructions_in_a_row_are_skipped():
    root = parse_answer(b'<doc><elem><!-- c --><id>5</id><?pi data?><status>2</status></elem></doc>', 'platform')
    item = license_from_row(root.find('elem'), TODAY)
    assert item['id'] == 5
    assert item['status'] == 'active'


# -- issue 14: what a row says about the server's own time ------------------------------------------------------------

def _row(inner):
    return parse_answer(doc('<elem><id>7</id><pricelist>55163</pricelist>%s</elem>' % inner), 'platform').find('elem')


@pytest.mark.parametrize('inner, in_progress, status', [
    ('<status>2</status>', None, 'active'),
    ('<status>5</status>', 'processing', 'processing'),
    ('<item_status orig="5_prolong">In progress</item_status>', 'prolong', 'processing'),
    ('<item_status orig="5_close">In progress</item_status>', 'close', 'processing'),
    ('<status>2</status><special_status>1</special_status>', 'status_change', 'active'),
    ('<status>2</status><special_status>0</special_status>', None, 'active'),
    ('<status>3</status><special_status>2</special_status>', None, 'suspended'),
    ('<item_status orig="5_2_1">In progress</item_status>', 'processing', 'processing'),
], ids=['active', 'status-5', 'orig-5_prolong', 'orig-5_close', 'special-1', 'special-0', 'special-2', 'orig-numeric'])
def test_a_change_in_progress_is_read_from_status_orig_and_special_status(inner, in_progress, status):
    lic = license_from_row(_row(inner), TODAY)
    assert (lic['in_progress'], lic['status']) == (in_progress, status)


@pytest.mark.parametrize('orig, reason', [
    ('3_autosuspend', 'autosuspend'), ('3_employeesuspend', 'employeesuspend'), ('3_abusesuspend', 'abusesuspend'),
    ('3', None), ('3_3_0', None), ('2_autosuspend', None),
])
def test_the_suspension_reason_comes_from_orig_only(orig, reason):
    status = 2 if orig.startswith('2') else 3
    lic = license_from_row(_row('<item_status orig="%s">x</item_status>' % orig), TODAY)
    assert lic['status_code'] == status and lic['suspend_reason'] == reason


@pytest.mark.parametrize('inner, expiredate, seen', [
    ('<expiredate>2026-12-01</expiredate>', '2026-12-01', None),
    ('<expiredate>Daily charge</expiredate><real_expiredate>2027-01-05</real_expiredate>', '2027-01-05', None),
    ('<expiredate>2026-12-01</expiredate><real_expiredate>2027-01-05</real_expiredate>', '2027-01-05', None),
    ('<expiredate>Ежедневное списание</expiredate>', None, 'Ежедневное списание'),
    ('<expiredate/>', None, None),
    ('<expiredate>0000-00-00</expiredate>', None, None),
], ids=['date', 'real-over-text', 'real-wins', 'text-only', 'empty', 'zero'])
def test_real_expiredate_wins_and_a_text_expiry_is_unknown(inner, expiredate, seen):
    lic = license_from_row(_row('<status>2</status>' + inner), TODAY)
    assert lic['expiredate'] == expiredate
    assert lic.get('expiry_seen') == seen


@pytest.mark.parametrize('stored, wanted, near', [
    ('web-1', 'web-10', False),
    ('web-10', 'web-1', False),
    ('WEB-1', 'web-1', True),
    ('web  1', 'web 1', True),
    ('a&amp;b', 'a&b', True),
    ('x' * 32, 'x' * 40, True),
    ('x' * 31, 'x' * 40, False),
    ('x' * 64, 'x' * 100, True),
    ('a&amp;' + 'b' * 26, 'a&' + 'b' * 40, True),  # escaped, then cut at 32
    ('a&amp;' + 'b' * 30, 'a&' + 'b' * 40, True),  # cut at 32, then escaped
    ('web-1', 'web-1', False),
])
def test_a_near_match_is_never_a_bare_prefix(stored, wanted, near):
    assert (comment_alteration(stored, wanted) is not None) is near
