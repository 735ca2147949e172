#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: isp_license_info
short_description: List ISPsystem licenses (VMmanager 6, DCImanager 6) of a BILLmanager account
version_added: 1.0.0
description:
  - Lists the licenses of a BILLmanager account, optionally filtered by id, comment, product and status.
  - With O(id), reads that one license (one API request, addon values included).
    Without it, pages through the account's license list.
  - Never changes anything.
author:
  - ispsystem.billmanager maintainers (@ispsystem-community)
extends_documentation_fragment:
  - ispsystem.billmanager.api
  - ispsystem.billmanager.api.actiongroup
  - ansible.builtin.action_common_attributes
attributes:
  platform:
    platforms: all
    details: The module talks to the BILLmanager API; run it where the API is reachable, usually the controller.
  check_mode:
    support: full
    details: The module only reads.
  diff_mode:
    support: N/A
    details: The module only reads.
  idempotent:
    description: Whether a second run with the same options changes nothing.
    support: full
    details: The module only reads; it never reports a change.
options:
  id:
    description:
      - Id of one license (the C(elid) of BILLmanager).
      - A license that does not exist gives an empty O(ignore:licenses) list, not an error.
    type: int
  comment:
    description:
      - Only licenses whose comment is exactly this text.
    type: str
  product:
    description:
      - Only licenses of this product.
      - V(vmmanager6) is pricelist 55163, V(dcimanager6) is pricelist 55161.
      - Mutually exclusive with O(pricelist).
    type: str
    choices: [vmmanager6, dcimanager6]
  pricelist:
    description:
      - Only licenses of this pricelist (tariff) id, for products other than those of O(product).
    type: int
  status:
    description:
      - Only licenses in one of these statuses.
      - When not set, every license except deleted ones is returned.
    type: list
    elements: str
    choices: [ordered, active, suspended, deleted, processing]
  details:
    description:
      - Read each listed license on its own to fill in its addon values.
      - Costs one extra API request per license whose list row does not carry addon values.
      - Licenses read by O(id) always carry their addon values.
    type: bool
    default: false
seealso:
  - module: ispsystem.billmanager.isp_license
  - module: ispsystem.billmanager.isp_license_prolong
'''

EXAMPLES = r'''
- name: All licenses of the account (deleted ones left out)
  ispsystem.billmanager.isp_license_info:
    api_user: "{{ billmgr_user }}"
    api_password: "{{ billmgr_password }}"
  register: all_licenses

- name: Active VMmanager 6 licenses, with their addon values
  ispsystem.billmanager.isp_license_info:
    product: vmmanager6
    status: [active]
    details: true
  register: vm_licenses

- name: Licenses that expire within two weeks
  ansible.builtin.debug:
    msg: "{{ all_licenses.licenses | selectattr('days_left', 'le', 14) | map(attribute='id') | list }}"

- name: One license by id
  ispsystem.billmanager.isp_license_info:
    id: 334673
  register: one
'''

RETURN = r'''
licenses:
  description: The licenses found, ascending by id.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: License id (the C(elid) used by every other call).
      type: int
      sample: 334673
    product:
      description: V(vmmanager6) or V(dcimanager6); V(null) for other pricelists.
      type: str
      sample: vmmanager6
    pricelist:
      description: Pricelist (tariff) id; V(null) when the API shows a product name this collection does not know.
      type: int
      sample: 55163
    status:
      description: Status name.
      type: str
      choices: [ordered, active, suspended, deleted, processing, unknown]
      sample: active
    status_code:
      description: BILLmanager status code (1 ordered, 2 active, 3 suspended, 4 deleted, 5 processing).
      type: int
      sample: 2
    comment:
      description: The license comment (empty string when none).
      type: str
      sample: web-cluster
    period:
      description: Payment period, V(1) or V(12) months or V(trial).
      type: str
      sample: "1"
    createdate:
      description: Creation date, C(YYYY-MM-DD).
      type: str
      sample: "2026-10-01"
    expiredate:
      description: Expiry date, C(YYYY-MM-DD).
      type: str
      sample: "2026-12-01"
    days_left:
      description: Days from today (the API server's date, UTC) to the expiry date; negative once expired.
      type: int
      sample: 4
    autoprolong:
      description: Automatic renewal period, V(1) or V(12) months, or V(off).
      type: str
      sample: "1"
    addons:
      description:
        - Addon values keyed by alias (V(nodes), V(vms) for VMmanager 6) or by addon id as a string.
        - V(null) when the source did not carry them (a list row without O(details)).
      type: dict
      sample: {"nodes": 3, "vms": 50}
    cost:
      description: Cost per period as shown by the API.
      type: float
      sample: 25.0
    currency:
      description: Currency of O(ignore:licenses[].cost) when the API shows one.
      type: str
      sample: EUR
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ispsystem.billmanager.plugins.module_utils.api_module import (
    argument_spec, client_from_module, fail_from_error,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import PRODUCTS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import get_license, list_licenses

STATUS_CHOICES = ['ordered', 'active', 'suspended', 'deleted', 'processing']


def wanted_pricelist(params):
    if params['product']:
        return PRODUCTS[params['product']]['pricelist']
    return params['pricelist']


def matches(item, params, pricelist):
    if params['comment'] is not None and item['comment'] != params['comment']:
        return False
    if pricelist is not None and item['pricelist'] != pricelist:
        return False
    statuses = params['status']
    if statuses:
        return item['status'] in statuses
    return item['status'] != 'deleted'


def find_licenses(client, params):
    pricelist = wanted_pricelist(params)
    if params['id'] is not None:
        found = get_license(client, params['id'])
        candidates = [found] if found else []
    else:
        candidates = list_licenses(client, comment=params['comment'], pricelist=pricelist)
    selected = [item for item in candidates if matches(item, params, pricelist)]
    if params['details'] and params['id'] is None:
        # Only rows without addon values need a read of their own.
        selected = [item if item['addons'] is not None else get_license(client, item['id']) or item for item in selected]
    return sorted(selected, key=lambda item: item['id'] or 0)


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(
            id=dict(type='int'),
            comment=dict(type='str'),
            product=dict(type='str', choices=list(PRODUCTS)),
            pricelist=dict(type='int'),
            status=dict(type='list', elements='str', choices=STATUS_CHOICES),
            details=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('product', 'pricelist')],
        supports_check_mode=True,
    )
    client = client_from_module(module)
    try:
        licenses = find_licenses(client, module.params)
    except BillmgrError as exc:
        fail_from_error(module, client, exc, licenses=[])
    module.exit_json(changed=False, licenses=licenses)


if __name__ == '__main__':
    main()
