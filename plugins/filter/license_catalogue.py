# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: license_catalogue
short_description: The products this collection knows, their addons, and the role variables that size each addon
version_added: 2.0.0
description:
  - The product catalogue of the collection, the one the modules use - for each product its pricelist, its display
    name and the addons it sizes, each with its addon id (V(null) when ISPsystem does not publish it).
  - For each addon, the variables of the role P(ispsystem.billmanager.panel_license#role) that size it, with the
    names the role reads. The role takes the addons of a product, and the names of their variables, from here.
  - Pure, no request is made.
author:
  - ispsystem.billmanager contributors
positional: _input
options:
  _input:
    description:
      - A product name (such as V(vmmanager6)), a list of product names, or V(null) for every product.
      - An unknown product name fails with the list of the known ones.
    type: raw
    required: true
'''

EXAMPLES = r'''
- name: The addons of VMmanager 6 and their ids
  ansible.builtin.debug:
    msg: "{{ ('vmmanager6' | ispsystem.billmanager.license_catalogue).vmmanager6.addons | dict2items
             | map(attribute='value.id') | list }}"
  # => [55165, 55164]

- name: The role variable that holds the planned VM count
  ansible.builtin.debug:
    msg: "{{ ('vmmanager6' | ispsystem.billmanager.license_catalogue).vmmanager6.addons.vms.variables.count }}"
  # => panel_license_vms

- name: Every product of the catalogue
  ansible.builtin.debug:
    msg: "{{ none | ispsystem.billmanager.license_catalogue | list }}"
  # => ["dcimanager6", "vmmanager6"]
'''

RETURN = r'''
_value:
  description: Product name to its entry, for the products asked.
  type: dict
  contains:
    product:
      description: The product name.
      type: str
      sample: vmmanager6
    name:
      description: The display name of the product.
      type: str
      sample: VMmanager 6
    pricelist:
      description: The pricelist (tariff) id of the product in BILLmanager.
      type: int
      sample: 55163
    addons:
      description: Addon name to its entry, for every addon the product sizes.
      type: dict
      contains:
        id:
          description: The addon id, or V(null) when it is not published (the role then takes it as a variable).
          type: int
          sample: 55165
        published:
          description: Whether the addon id is published.
          type: bool
        what:
          description: What the addon counts, in words.
          type: str
          sample: cluster nodes
        group_gives:
          description:
            - What the hosts of the addon's inventory group give the role - V(hosts) (the count is how many there
              are) or V(hostvar) (the count is a host variable summed over them).
          type: str
          choices: [hosts, hostvar]
        variables:
          description:
            - The role variables of the addon, by what they hold; V(null) where the addon has no such variable.
            - C(count) the planned count, C(group) the inventory group, C(hostvar) the summed host variable,
              C(group_default) the variable whose group is used when C(group) is not set, C(addon_id) the addon id
              when it is not published, then the sizing numbers C(headroom_percent), C(step), C(min) and C(max).
          type: dict
          sample:
            count: panel_license_vms
            group: panel_license_vms_group
            hostvar: panel_license_vms_hostvar
            group_default: panel_license_nodes_group
            addon_id: null
            headroom_percent: panel_license_vms_headroom_percent
            step: panel_license_vms_step
            min: panel_license_vms_min
            max: panel_license_vms_max
    source_variables:
      description:
        - The role variables that give the addons of the product a count or an id (C(count), C(group), C(hostvar)
          and C(addon_id) of every addon), sorted. None of them has a default.
      type: list
      elements: str
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import PRODUCTS

ROLE_PREFIX = 'panel_license_'
# The type of each role variable of an addon, by what it holds (meta/argument_specs.yml of the role declares them so).
ROLE_VARIABLE_TYPES = {
    'count': 'int', 'group': 'str', 'hostvar': 'str', 'addon_id': 'int',
    'headroom_percent': 'float', 'step': 'int', 'min': 'int', 'max': 'int',
}
# The variables that give an addon its count or its id; the sizing numbers have defaults (but max).
SOURCE_FIELDS = ('count', 'group', 'hostvar', 'addon_id')


def role_variables(product, addon):
    """The role variables of ``addon`` of ``product``, by what they hold (None where the addon has none)."""
    sizing = PRODUCTS[product]['sizing'][addon]
    count = ROLE_PREFIX + sizing['stem']
    default_from = sizing.get('group_default')
    variables = dict((field, '%s_%s' % (count, field)) for field in ('group', 'headroom_percent', 'step', 'min', 'max'))
    variables.update(
        count=count,
        hostvar='%s_hostvar' % count if sizing['group_gives'] == 'hostvar' else None,
        group_default=role_variables(product, default_from)['group'] if default_from else None,
        addon_id='%s_addon_id' % count if PRODUCTS[product]['addons'][addon] is None else None,
    )
    return variables


def product_entry(product):
    spec = PRODUCTS[product]
    addons = {}
    for addon, addon_id in spec['addons'].items():
        sizing = spec['sizing'][addon]
        addons[addon] = {'id': addon_id, 'published': addon_id is not None, 'what': sizing['what'],
                         'group_gives': sizing['group_gives'], 'variables': role_variables(product, addon)}
    sources = sorted(entry['variables'][field] for entry in addons.values() for field in SOURCE_FIELDS
                     if entry['variables'][field] is not None)
    return {'product': product, 'name': spec['name'], 'pricelist': spec['pricelist'], 'addons': addons,
            'source_variables': sources}


def license_catalogue(products):
    """The entries of ``products`` (a name, a list of names, or None for all); see DOCUMENTATION."""
    if products is None:
        products = sorted(PRODUCTS)
    elif isinstance(products, str):
        products = [products]
    elif not isinstance(products, (list, tuple)):
        raise AnsibleFilterError('license_catalogue expects a product name, a list of them or null, got %r' % (products,))
    unknown = sorted('%s' % (product,) for product in products if not isinstance(product, str) or product not in PRODUCTS)
    if unknown:
        raise AnsibleFilterError('license_catalogue: unknown product(s) %s; known: %s'
                                 % (', '.join(unknown), ', '.join(sorted(PRODUCTS))))
    return dict((product, product_entry(product)) for product in products)


class FilterModule(object):
    """The product catalogue, as the role panel_license reads it."""

    def filters(self):
        return {'license_catalogue': license_catalogue}
