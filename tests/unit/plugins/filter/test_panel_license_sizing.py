# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sizing filter of the panel_license role: pure arithmetic, exact numbers, clear errors, the catalogue's addons."""

from __future__ import annotations

from fractions import Fraction

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.filter.panel_license_sizing import (
    FilterModule, apply_headroom, count_hosts, parse_count, parse_percent, parse_step, plan_sizing, round_up, size_count,
    sum_per_host,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils import catalogue


def vm(**addons):
    return {'product': 'vmmanager6', 'addons': addons}


def dci(**addons):
    return {'product': 'dcimanager6', 'addons': addons}


def sized(request):
    return plan_sizing(request)['addons']


def error_of(request):
    with pytest.raises(AnsibleFilterError) as raised:
        plan_sizing(request)
    return str(raised.value)


# --- the arithmetic -------------------------------------------------------------------------------

@pytest.mark.parametrize('count, percent, expected', [
    (0, 0, 0), (10, 0, 10), (10, 20, 12), (11, 20, 14), (30, 10, 33), (3, 50, 5), (1, Fraction('0.5'), 2),
    (100, 100, 200), (7, Fraction(1, 3), 8),
])
def test_headroom_rounds_up_exactly(count, percent, expected):
    assert apply_headroom(count, percent) == expected


@pytest.mark.parametrize('value, step, expected', [(0, 10, 0), (1, 10, 10), (10, 10, 10), (11, 10, 20), (7, 1, 7), (5, 4, 8)])
def test_round_up_to_a_multiple_of_the_step(value, step, expected):
    assert round_up(value, step) == expected


def test_size_count_applies_headroom_then_step_then_min_then_max():
    assert size_count(100, 20, 50) == (150, [])
    assert size_count(0, 0, 1, 1) == (1, ['raised to the minimum 1'])
    assert size_count(90, 20, 10, 0, 100) == (100, ['capped at the maximum 100'])
    assert size_count(3, 0, 4, 0, 3) == (3, ['capped at the maximum 3'])  # the maximum wins over the step


@pytest.mark.parametrize('value, expected', [(0, 0), (3, 3), ('12', 12), (' 7 ', 7), (4.0, 4)])
def test_parse_count_accepts_whole_numbers(value, expected):
    assert parse_count(value, 'x') == expected


@pytest.mark.parametrize('value', [-1, '-3', 2.5, 'ten', '', None, True, [], float('inf'), float('nan')])
def test_parse_count_rejects_everything_else(value):
    with pytest.raises(AnsibleFilterError, match='^x must be'):
        parse_count(value, 'x')


def test_parse_percent_and_step():
    assert parse_percent(None, 'p') == 0
    assert parse_percent('12.5', 'p') == Fraction(25, 2)
    assert parse_percent(20, 'p') == 20
    assert parse_step(None, 's') == 1
    with pytest.raises(AnsibleFilterError, match='p must be >= 0'):
        parse_percent(-5, 'p')
    with pytest.raises(AnsibleFilterError, match='p must be a number of percent'):
        parse_percent('lots', 'p')
    with pytest.raises(AnsibleFilterError, match='p must be a number of percent'):
        parse_percent(True, 'p')
    with pytest.raises(AnsibleFilterError, match=r's must be >= 1 \(1 means no rounding'):
        parse_step(0, 's')


def test_count_hosts_and_sum_per_host():
    assert count_hosts(['a', 'b', 'b'], 'g', 'w') == 2
    assert count_hosts([], 'g', 'w') == 0
    assert sum_per_host({'a': 40, 'b': '30', 'c': 0}, 'planned_vms', 'w') == 70
    with pytest.raises(AnsibleFilterError, match="w: the group 'g' is not in the inventory"):
        count_hosts(None, 'g', 'w')
    with pytest.raises(AnsibleFilterError, match='w: planned_vms not set on host\\(s\\) b, c'):
        sum_per_host({'a': 1, 'b': None, 'c': ''}, 'planned_vms', 'w')
    with pytest.raises(AnsibleFilterError, match='w: planned_vms of host a must be a whole number'):
        sum_per_host({'a': 'many'}, 'planned_vms', 'w')


# --- VMmanager 6 ----------------------------------------------------------------------------------

def test_nodes_from_a_group_and_vms_from_a_planned_count():
    result = plan_sizing(vm(nodes={'hosts': ['n1', 'n2', 'n3'], 'group': 'fra1_nodes'},
                            vms={'count': 120, 'headroom_percent': 20, 'step': 10}))
    assert result['product'] == 'vmmanager6'
    assert result['addons'] == {'nodes': 3, 'vms': 150}
    nodes, vms = result['details']
    assert nodes == {'addon': 'nodes', 'key': 'nodes', 'source': '3 hosts in fra1_nodes', 'counted': 3, 'sized': 3,
                     'notes': []}
    assert vms['source'] == 'planned 120' and vms['sized'] == 150


def test_vms_from_the_sum_of_a_host_variable():
    result = plan_sizing(vm(vms={'per_host': {'n1': 40, 'n2': 40, 'n3': 20}, 'hostvar': 'planned_vms', 'group': 'g',
                                 'headroom_percent': 10, 'step': 25}))
    assert result['addons'] == {'vms': 125}
    assert result['details'][0]['source'] == 'sum 100 of planned_vms over 3 hosts in g'


def test_an_addon_without_a_source_is_left_alone():
    assert sized(vm(nodes={'count': None, 'step': 1}, vms={'headroom_percent': 20})) == {}
    assert sized(vm()) == {}
    assert sized({'product': 'vmmanager6'}) == {}


def test_minimum_and_maximum():
    assert sized(vm(nodes={'hosts': [], 'min': 1})) == {'nodes': 1}
    assert sized(vm(vms={'count': 900, 'headroom_percent': 20, 'max': 1000})) == {'vms': 1000}


def test_the_minimum_and_the_maximum_are_noted():
    result = plan_sizing(vm(nodes={'hosts': [], 'group': 'g', 'min': 1}, vms={'count': 900, 'max': 500}))
    assert [(detail['addon'], detail['notes']) for detail in result['details']] == [
        ('nodes', ['raised to the minimum 1']), ('vms', ['capped at the maximum 500'])]


def test_the_current_values_of_a_license_are_not_the_filters_business():
    # Never lowering a license is the modules' allow_shrink; the filter reports its arithmetic only.
    assert set(plan_sizing(vm(nodes={'count': 2}))['details'][0]) == {'addon', 'key', 'source', 'counted', 'sized', 'notes'}


# --- DCImanager 6 ---------------------------------------------------------------------------------

def test_dcimanager_units_are_keyed_by_the_given_addon_id():
    result = plan_sizing(dci(units={'hosts': ['s%s' % i for i in range(12)], 'addon_id': 55171, 'step': 5}))
    assert result['addons'] == {'55171': 15}
    assert sized(dci(units={'count': 10, 'addon_id': '55171'})) == {'55171': 10}


def test_dcimanager_sizing_without_the_addon_id_says_what_to_set():
    message = error_of(dci(units={'count': 10, 'label': 'panel_license_dci_units'}))
    assert message.startswith('panel_license_dci_units: sizing this addon needs panel_license_dci_units_addon_id.')
    assert 'DCImanager 6 addon ids are not published' in message
    assert 'addons.units: sizing this addon needs addons.units.addon_id' in error_of(dci(units={'count': 10}))


def test_dcimanager_without_a_source_needs_no_addon_id():
    assert sized(dci(units={'addon_id': None})) == {}


# --- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize('request_, expected', [
    ('vmmanager6', 'expects a dictionary with product and addons'),
    ({'product': 'ispmanager6'}, "product must be one of dcimanager6, vmmanager6, got 'ispmanager6'"),
    ({'product': 'vmmanager6', 'extra': 1}, 'unknown field(s) extra'),
    ({'product': 'vmmanager6', 'addons': []}, 'addons must be a dictionary'),
    (vm(units={'count': 1}), 'vmmanager6 cannot size the addon(s) units; it sizes nodes, vms'),
    (dci(nodes={'count': 1}), 'dcimanager6 cannot size the addon(s) nodes; it sizes units'),
    (vm(nodes=3), 'addons.nodes must be a dictionary'),
    (vm(nodes={'count': 1, 'headrom_percent': 5}), 'addons.nodes: unknown field(s) headrom_percent'),
    (vm(nodes={'count': 1, 'hosts': ['a']}), 'addons.nodes: give one source for the count, not count and hosts'),
    (vm(nodes={'group': 'missing'}), "addons.nodes: the group 'missing' is not in the inventory"),
    (vm(nodes={'count': -2}), 'addons.nodes must be >= 0, got -2'),
    (vm(nodes={'count': 1, 'addon_id': 55165}), 'the addon id of nodes is published'),
    (vm(vms={'count': 10, 'headroom_percent': -5}), 'addons.vms.headroom_percent must be >= 0'),
    (vm(vms={'count': 10, 'step': 0}), 'addons.vms.step must be >= 1'),
    (vm(vms={'count': 10, 'min': 20, 'max': 10}), 'addons.vms.min (20) is above addons.vms.max (10)'),
    (dci(units={'count': 1, 'addon_id': 0}), 'addons.units.addon_id must be a positive addon id'),
])
def test_bad_input_says_what_to_fix(request_, expected):
    assert expected in error_of(request_)


def test_labels_name_the_role_variables():
    def spec(**fields):
        return vm(vms=dict({'label': 'panel_license_vms', 'count': 10}, **fields))
    assert error_of(spec(headroom_percent=-1)).startswith('panel_license_vms_headroom_percent must be >= 0')
    assert error_of(spec(step=0)).startswith('panel_license_vms_step must be >= 1')
    assert error_of(spec(min=5, max=1)).startswith('panel_license_vms_min (5) is above panel_license_vms_max (1)')
    assert error_of(spec(count='x')).startswith("panel_license_vms must be a whole number >= 0, got 'x'")


# --- the product catalogue ------------------------------------------------------------------------

def test_products_and_addons_come_from_the_catalogue(monkeypatch):
    """Which product sizes which addon, and whether its id is published, is the catalogue's; the filter has no table."""
    for product, spec in catalogue.PRODUCTS.items():
        for name, addon_id in spec['addons'].items():
            request = {'product': product, 'addons': {name: {'count': 4, 'addon_id': None if addon_id else 777}}}
            assert sized(request) == {name if addon_id else '777': 4}
    products = dict(catalogue.PRODUCTS, ispmanager6={'pricelist': 1, 'name': 'ISPmanager 6', 'addons': {'sites': 2}})
    monkeypatch.setattr('ansible_collections.ispsystem.billmanager.plugins.filter.panel_license_sizing.PRODUCTS', products)
    assert sized({'product': 'ispmanager6', 'addons': {'sites': {'count': 3}}}) == {'sites': 3}
    assert 'product must be one of dcimanager6, ispmanager6, vmmanager6' in error_of({'product': 'other'})


def test_filter_module_exposes_the_sizing_filter_only():
    filters = FilterModule().filters()
    assert set(filters) == {'panel_license_sizing'}
    assert filters['panel_license_sizing'](vm(nodes={'count': 2}))['addons'] == {'nodes': 2}
