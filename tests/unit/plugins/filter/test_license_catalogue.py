# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The filter license_catalogue: the catalogue's products and addons, and the role variables that size each addon."""

from __future__ import annotations

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.filter import license_catalogue as plugin
from ansible_collections.ispsystem.billmanager.plugins.filter.license_catalogue import FilterModule, license_catalogue
from ansible_collections.ispsystem.billmanager.plugins.module_utils import catalogue

CATALOGUE = 'ansible_collections.ispsystem.billmanager.plugins.filter.license_catalogue.PRODUCTS'


def test_the_addons_of_vmmanager6_and_the_role_variables_that_size_them():
    entry = license_catalogue('vmmanager6')['vmmanager6']
    assert (entry['product'], entry['name'], entry['pricelist']) == ('vmmanager6', 'VMmanager 6', 55163)
    assert entry['addons']['nodes'] == {
        'id': 55165, 'published': True, 'what': 'cluster nodes', 'group_gives': 'hosts', 'variables': {
            'count': 'panel_license_nodes', 'group': 'panel_license_nodes_group', 'hostvar': None, 'group_default': None,
            'addon_id': None, 'headroom_percent': 'panel_license_nodes_headroom_percent',
            'step': 'panel_license_nodes_step', 'min': 'panel_license_nodes_min', 'max': 'panel_license_nodes_max'}}
    vms = entry['addons']['vms']['variables']
    assert (vms['hostvar'], vms['group'], vms['group_default']) == (
        'panel_license_vms_hostvar', 'panel_license_vms_group', 'panel_license_nodes_group')
    assert entry['source_variables'] == ['panel_license_nodes', 'panel_license_nodes_group', 'panel_license_vms',
                                         'panel_license_vms_group', 'panel_license_vms_hostvar']


def test_an_addon_whose_id_is_not_published_is_sized_with_an_addon_id_variable():
    units = license_catalogue('dcimanager6')['dcimanager6']['addons']['units']
    assert (units['id'], units['published']) == (None, False)
    assert units['variables']['count'] == 'panel_license_dci_units'
    assert units['variables']['addon_id'] == 'panel_license_dci_units_addon_id'


def test_every_product_a_list_of_products_or_one():
    assert sorted(license_catalogue(None)) == sorted(catalogue.PRODUCTS)
    assert sorted(license_catalogue(['dcimanager6', 'vmmanager6'])) == ['dcimanager6', 'vmmanager6']
    assert list(license_catalogue('dcimanager6')) == ['dcimanager6']


@pytest.mark.parametrize('given, expected', [
    ('ispmanager6', 'license_catalogue: unknown product(s) ispmanager6; known: dcimanager6, vmmanager6'),
    (['vmmanager6', {'a': 1}], "unknown product(s) {'a': 1}"),
    (55163, 'license_catalogue expects a product name, a list of them or null, got 55163'),
])
def test_what_is_not_a_product_fails_with_the_known_ones(given, expected):
    with pytest.raises(AnsibleFilterError) as raised:
        license_catalogue(given)
    assert expected in str(raised.value)


def test_the_catalogue_sizes_every_addon_it_lists_and_no_other():
    """Each addon of a product has its sizing in the same row of PRODUCTS: the filter (and so the role) cannot miss one."""
    for product, spec in catalogue.PRODUCTS.items():
        assert set(spec['sizing']) == set(spec['addons']), product
        stems = [sizing['stem'] for sizing in spec['sizing'].values()]
        assert len(set(stems)) == len(stems), product
        for addon, sizing in spec['sizing'].items():
            assert set(sizing) <= set(catalogue.ROLE_SIZING_FIELDS), (product, addon)
            assert sizing['group_gives'] in catalogue.ROLE_SIZING_GROUP_GIVES, (product, addon)
            assert sizing['stem'] and sizing['what'], (product, addon)
            assert sizing.get('group_default') in [None] + [name for name in spec['addons'] if name != addon]


def test_a_new_addon_is_one_edit_of_the_catalogue(monkeypatch):
    """A product and its addons added to PRODUCTS come out of the filter with their role variables; nothing else to
    edit in the filter."""
    products = dict(catalogue.PRODUCTS, ispmanager6={
        'pricelist': 1, 'name': 'ISPmanager 6', 'addons': {'sites': 2, 'mailboxes': None},
        'sizing': {'sites': {'stem': 'isp_sites', 'group_gives': 'hostvar', 'what': 'web sites'},
                   'mailboxes': {'stem': 'isp_mailboxes', 'group_gives': 'hosts', 'what': 'mailboxes'}}})
    monkeypatch.setattr(CATALOGUE, products)
    entry = license_catalogue('ispmanager6')['ispmanager6']
    assert entry['addons']['sites']['variables']['hostvar'] == 'panel_license_isp_sites_hostvar'
    assert entry['addons']['mailboxes']['variables']['addon_id'] == 'panel_license_isp_mailboxes_addon_id'
    assert entry['source_variables'] == ['panel_license_isp_mailboxes', 'panel_license_isp_mailboxes_addon_id',
                                         'panel_license_isp_mailboxes_group', 'panel_license_isp_sites',
                                         'panel_license_isp_sites_group', 'panel_license_isp_sites_hostvar']


def test_the_documentation_shows_what_the_filter_returns():
    documentation = yaml.safe_load(plugin.DOCUMENTATION)
    assert documentation['name'] == 'license_catalogue'
    assert yaml.safe_load(plugin.EXAMPLES)
    returned = yaml.safe_load(plugin.RETURN)['_value']['contains']
    assert sorted(returned) == sorted(license_catalogue('vmmanager6')['vmmanager6'])
    addon = returned['addons']['contains']
    assert sorted(addon) == sorted(license_catalogue('vmmanager6')['vmmanager6']['addons']['vms'])
    assert addon['variables']['sample'] == license_catalogue('vmmanager6')['vmmanager6']['addons']['vms']['variables']
    assert addon['group_gives']['choices'] == list(catalogue.ROLE_SIZING_GROUP_GIVES)


def test_filter_module_exposes_the_catalogue_filter():
    assert FilterModule().filters() == {'license_catalogue': license_catalogue}
