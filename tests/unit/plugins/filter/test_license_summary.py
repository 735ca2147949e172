# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""license_summary: one line for a license dict, or for an entry of isp_licenses' results (the role's summary)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.filter.license_summary import (
    FilterModule, describe_calls, license_summary,
)

LICENSE = {'id': 1001, 'product': 'vmmanager6', 'pricelist': 55163, 'status': 'active', 'comment': 'vm-fra1',
           'addons': {'nodes': 4, 'vms': 150}, 'expiredate': '2026-12-27', 'days_left': 30}
BEFORE = dict(LICENSE, addons={'nodes': 3, 'vms': 150})
LINE = 'license 1001 vmmanager6 active "vm-fra1" nodes=4, vms=150 expires 2026-12-27 (30 days)'
DCI = {'id': 103, 'product': 'dcimanager6', 'pricelist': 55161, 'status': 'active', 'comment': 'dc-frankfurt',
       'addons': {'55171': 30}, 'expiredate': '2027-03-15', 'days_left': 108}


def entry(outcome='unchanged', calls=(), **fields):
    """An entry of isp_licenses' results for LICENSE; ``fields`` override (``before``, ``after`` ...)."""
    return dict({'name': 'vm-fra1', 'id': 1001, 'outcome': outcome, 'changed': outcome == 'changed', 'before': LICENSE,
                 'after': LICENSE, 'calls': list(calls), 'notes': []}, **fields)


def edit(**params):
    return {'func': 'platform.edit', 'params': dict({'elid': 1001, 'sok': 'ok'}, **params)}


# --- a license dict -----------------------------------------------------------------------------------

def test_a_license_dict():
    assert license_summary(LICENSE) == LINE
    assert license_summary(dict(LICENSE, id=None, expiredate=None, days_left=None, addons=None, comment='')) == (
        'license (new) vmmanager6 active "" no addons shown no expiry yet')
    assert license_summary(dict(LICENSE, product=None, pricelist=55200)).startswith('license 1001 pricelist 55200 active')
    assert license_summary(None) == 'no license'


def test_unpublished_addons_are_named_as_asked():
    assert license_summary(DCI).endswith('"dc-frankfurt" 55171=30 expires 2027-03-15 (108 days)')
    assert license_summary(DCI, addon_names={55171: 'units'}).endswith('"dc-frankfurt" units=30 expires 2027-03-15 (108 days)')


@pytest.mark.parametrize('data, options, message', [
    ('license', {}, 'license_summary expects a license dict or an isp_licenses result, got str'),
    (LICENSE, {'check_mode': 'yes'}, 'check_mode must be true or false'),
    (LICENSE, {'addon_names': ['units']}, 'addon_names must be a dictionary'),
    (entry(), {'changes': 'written'}, 'changes must be a list of strings'),
    (entry(outcome='done'), {}, "outcome must be one of unchanged, changed, failed, not tried, planned, got 'done'"),
])
def test_bad_input(data, options, message):
    with pytest.raises(AnsibleFilterError, match=message):
        license_summary(data, **options)


# --- the calls in words -------------------------------------------------------------------------------

def test_calls_in_words_in_their_order():
    calls = [{'func': 'platform.resume', 'params': {'elid': 1001}},
             {'func': 'service.prolong', 'params': {'elid': 1001, 'period': 1, 'sok': 'ok'}},
             {'func': 'service.prolong', 'params': {'elid': 1001, 'period': 1, 'sok': 'ok'}},
             edit(addon_55165=4, comment='x')]
    assert describe_calls(calls, BEFORE) == ['resumed', 'renewed 2 periods', 'nodes 3->4', "comment set to 'x'"]
    assert describe_calls([{'func': 'platform.order.param', 'params': {'pricelist': 55163}}]) == ['ordered']
    assert describe_calls([{'func': 'platform.delete'}, {'func': 'other.func'}]) == ['deleted', 'other.func']
    assert describe_calls([edit(addon_55171=40)], DCI) == ['55171 30->40']
    assert describe_calls([edit(addon_55171=40)], DCI, {'55171': 'units'}) == ['units 30->40']
    assert describe_calls([edit(addon_55164=10)], dict(BEFORE, addons=None)) == ['vms ?->10']
    assert describe_calls([edit(addon_55164=200, addon_55165=5)], BEFORE) == ['nodes 3->5', 'vms 150->200']
    assert describe_calls(None) == []


# --- an entry of isp_licenses' results ---------------------------------------------------------------------

def test_an_unchanged_entry():
    assert license_summary(entry()) == 'vm-fra1: %s; no change' % LINE


def test_a_changed_entry_with_local_changes_and_notes():
    line = license_summary(entry('changed', before=BEFORE, calls=[edit(addon_55165=4)],
                                 notes=['vms kept at the current 150 (wanted 100; shrinking is not allowed)']),
                           changes=['license id 1001 kept in /f'], notes=['nodes: capped at the maximum 4'])
    assert line == ('vm-fra1: %s; changed: nodes 3->4, license id 1001 kept in /f; note: vms kept at the current 150 '
                    '(wanted 100; shrinking is not allowed); nodes: capped at the maximum 4' % LINE)


def test_an_unchanged_license_with_a_local_change_reports_it():
    assert license_summary(entry(), changes=['license id 1001 kept in /f']).endswith('; changed: license id 1001 kept in /f')


def test_check_mode_says_what_a_real_run_would_do():
    order = entry('changed', before=None, after=dict(LICENSE, id=None),
                  calls=[{'func': 'platform.order.param', 'params': {'pricelist': 55163}}])
    assert license_summary(order, check_mode=True) == (
        'vm-fra1: license (new) vmmanager6 active "vm-fra1" nodes=4, vms=150 expires 2026-12-27 (30 days); '
        'would change: ordered (check mode, nothing written)')
    assert license_summary(entry(), check_mode=True).endswith('; no change')


def test_a_deleted_and_an_absent_license():
    deleted = dict(LICENSE, status='deleted')
    line = license_summary(entry('changed', after=deleted, calls=[{'func': 'platform.delete', 'params': {'elid': 1001}}]),
                           changes=['/f removed'])
    assert line == 'vm-fra1: license 1001 vmmanager6 deleted "vm-fra1" nodes=4, vms=150 expires 2026-12-27 (30 days); ' \
                   'changed: deleted, /f removed'
    assert license_summary(entry(before=None, after=None, id=None)) == 'vm-fra1: no license; no change'


def test_failed_not_tried_and_planned_entries():
    failed = entry('failed', after=None, calls=[{'func': 'platform.suspend', 'params': {'elid': 1001}}],
                   calls_sent=[{'func': 'platform.suspend', 'params': {'elid': 1001}, 'outcome': 'refused'}],
                   msg='BILLmanager platform.suspend failed: License is locked')
    assert license_summary(failed) == ('vm-fra1: %s; failed: BILLmanager platform.suspend failed: License is locked '
                                       '(calls sent: suspended)' % LINE)
    assert license_summary(entry('not tried', after=None)).endswith('; not tried (the run stopped at an earlier failure)')
    assert license_summary(entry('planned', after=None)).endswith('; nothing written (the run stopped before any write)')


def test_the_filter_module():
    assert FilterModule().filters() == {'license_summary': license_summary}


def test_a_whole_isp_licenses_result_gives_one_line_per_license():
    """Issue 16: a whole result printed a nonsense line (it was taken for a license dict)."""
    result = {'changed': False, 'summary': {'licenses': 2},
              'results': [{'name': 'a', 'outcome': 'unchanged', 'after': None, 'before': None, 'calls': []},
                          {'name': 'b', 'outcome': 'unchanged', 'after': None, 'before': None, 'calls': []}]}
    assert license_summary(result).split('\n') == ['a: no license; no change', 'b: no license; no change']


def test_a_whole_result_whose_results_are_not_a_list_is_a_clear_error():
    with pytest.raises(AnsibleFilterError, match='results of an isp_licenses result must be a list'):
        license_summary({'results': 'oops'})
