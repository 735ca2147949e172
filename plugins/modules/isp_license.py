#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: isp_license
short_description: Order, resize, rename, suspend, resume and delete an ISPsystem license (VMmanager 6, DCImanager 6)
version_added: 1.0.0
description:
  - Ensures that a license bought through the BILLmanager API exists and matches the options, or is deleted.
  - The license is found by O(id), or without O(id) by its exact O(comment) among the non-deleted licenses of the
    O(product) (or O(pricelist)). When nothing is found and O(state) is V(present) or V(active), one license is ordered.
  - The module first reads, then computes the write calls needed (the plan), then makes them. The plan is returned as
    RV(calls) in check mode and in a real run alike; an empty plan means no change.
  - Every order spends money. A license given by O(id) is never ordered; a comment that matches more than one license
    fails the task; an order whose answer was lost is looked up again by comment before anything else happens, and
    is never sent twice.
  - Renewals are the job of M(ispsystem.billmanager.isp_license_prolong).
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
    details: Reads only, and returns the calls a real run would make.
  diff_mode:
    support: full
    details: The license before and after (predicted in check mode).
  idempotent:
    description: Whether a second run with the same options changes nothing.
    support: partial
    details:
      - Idempotent when the license is found by O(id) or O(comment).
      - With O(skip_basket=false) an order waits unpaid in the cart and there is no license to find afterwards,
        so every run orders again; the module warns about it.
options:
  id:
    description:
      - Id of the license (the C(elid) of BILLmanager).
      - When the id does not exist the task fails; nothing is ordered.
    type: int
  comment:
    description:
      - Without O(id), the exact comment that identifies the license within the product; required to order.
      - With O(id), the comment the license should have (renames it).
    type: str
  product:
    description:
      - The licensed product. V(vmmanager6) is pricelist 55163, V(dcimanager6) is pricelist 55161.
      - Required to order and to find a license by O(comment), unless O(pricelist) is given.
      - With O(id), the task fails when the license is of another product.
    type: str
    choices: [vmmanager6, dcimanager6]
  pricelist:
    description:
      - Pricelist (tariff) id, for products not covered by O(product). Mutually exclusive with O(product).
    type: int
  addons:
    description:
      - Addon counts the license should have, as a dictionary of addon to count (a whole number >= 0).
      - For VMmanager 6, V(nodes) (cluster nodes, addon 55165) and V(vms) (virtual machines, addon 55164).
        Other addons, and every DCImanager 6 addon, are given by numeric addon id.
      - Addons not named here are left as they are. A change is one C(platform.edit) carrying only the changed values.
    type: dict
  period:
    description:
      - Payment period of a new license, in months, or V(trial). Only used when ordering.
    type: str
    choices: ['1', '12', trial]
    default: '1'
  autoprolong:
    description:
      - Automatic renewal of a new license, every V(1) or V(12) months, or V(off). Only used when ordering.
    type: str
    choices: ['1', '12', 'off']
    default: 'off'
  skip_basket:
    description:
      - Pay a new order from the account balance at once (C(skipbasket=on)).
      - With V(false) the order waits unpaid in the cart; no license exists until it is paid, so the module cannot
        find it on the next run and orders again. It warns about it, in check mode too.
    type: bool
    default: true
  state:
    description:
      - V(present) the license exists (ordered when missing); a suspension is left as it is.
      - V(active) the license exists and is not suspended (ordered when missing, resumed when suspended).
      - V(suspended) the license exists and is suspended. A missing license is not ordered for this.
      - V(absent) the license is deleted (C(platform.delete)). A deleted license counts as absent.
    type: str
    choices: [present, active, suspended, absent]
    default: present
  wait:
    description:
      - After an order or a resume, wait until the license status is active.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) waits at most before the task fails.
    type: int
    default: 300
notes:
  - Money safety. Writes are never re-sent blindly. After a lost answer (timeout, connection reset, HTTP 5xx, a
    broken body) the module reads the license again; when the read shows the change, the run goes on; otherwise the
    task fails and tells you to check the account. A rerun reads the state first, so it neither orders twice nor
    repeats a change that happened.
  - Finding a license by O(comment) costs one list request (paged, 500 licenses a page), plus one read when O(addons)
    is set. Finding it by O(id) costs one read. Prefer O(id) in fleet jobs.
seealso:
  - module: ispsystem.billmanager.isp_license_prolong
  - module: ispsystem.billmanager.isp_license_info
'''

EXAMPLES = r'''
- name: VMmanager 6 license for a 3-node cluster with 200 VMs, paid monthly
  ispsystem.billmanager.isp_license:
    product: vmmanager6
    comment: vm-cluster-fra1
    addons:
      nodes: 3
      vms: 200
    period: '1'
    autoprolong: '1'
  register: vm_license

- name: Grow the cluster by id (one platform.edit with the new node count)
  ispsystem.billmanager.isp_license:
    id: "{{ vm_license.license.id }}"
    addons:
      nodes: 4

- name: Suspend a license during maintenance
  ispsystem.billmanager.isp_license:
    id: 334673
    state: suspended

- name: Resume it
  ispsystem.billmanager.isp_license:
    id: 334673
    state: active

- name: DCImanager 6 license; its addon ids are not published, so they are given by number
  ispsystem.billmanager.isp_license:
    product: dcimanager6
    comment: dc-frankfurt
    addons:
      "55171": 20

- name: Delete the license when the cluster is decommissioned
  ispsystem.billmanager.isp_license:
    product: vmmanager6
    comment: vm-cluster-fra1
    state: absent

- name: Connection options once for every module of the collection
  module_defaults:
    group/ispsystem.billmanager.billmanager:
      api_user: "{{ vault_billmgr_user }}"
      api_password: "{{ vault_billmgr_password }}"
  block:
    - name: Ensure the license
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: vm-cluster-fra2
        addons:
          nodes: 2
'''

RETURN = r'''
license:
  description:
    - The license after the run (re-read from the API after any write; predicted in check mode).
    - V(null) when there is none (absent, or an order left in the cart).
    - The same keys as the items of RV(ispsystem.billmanager.isp_license_info#module:licenses).
  returned: always
  type: dict
  sample:
    id: 334673
    product: vmmanager6
    pricelist: 55163
    status: active
    status_code: 2
    comment: vm-cluster-fra1
    period: "1"
    createdate: "2026-11-27"
    expiredate: "2026-12-27"
    days_left: 30
    autoprolong: "1"
    addons: {nodes: 3, vms: 200}
    cost: 45.0
    currency: EUR
calls:
  description:
    - The write calls of the plan, in order, without credentials. In check mode the calls a real run would make.
    - Reads are not listed.
    - When the task fails half-way, RV(calls_completed) says how many of them were made.
  returned: always
  type: list
  elements: dict
  sample: [{"func": "platform.edit", "params": {"elid": 334673, "addon_55165": 4, "sok": "ok"}}]
calls_completed:
  description: How many of RV(calls) were made before the task failed.
  returned: on failure
  type: int
  sample: 1
order_id:
  description: The BILLmanager order id of a new order, when the API returned one.
  returned: when a license was ordered
  type: int
  sample: 778812
diff:
  description: The license before and after, in diff mode.
  returned: when diff mode is on
  type: dict
'''

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ispsystem.billmanager.plugins.module_utils.api_module import (
    argument_spec, client_from_module, fail_from_error,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import PRODUCTS, parse_int
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import api_today, find_license, get_license
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_state import (
    check_addon_counts, plan_change, plan_order, resolve_addons, wanted_pricelist,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import ConfirmedByRead, InvalidOptionError, apply_plan
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of

CART_WARNING = ('skip_basket=false leaves the order unpaid in the cart: no license exists until it is paid, '
                'so this task cannot find it and orders again on every run (it is not idempotent)')


class LicenseTask:
    """Read, plan, apply, report: one run of isp_license."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.pricelist = wanted_pricelist(self.params['product'], self.params['pricelist'])
        self.plan = None

    def failure_details(self):
        """What a failed run reports: the plan and how much of it was made before the failure."""
        if self.plan is None:
            return dict(calls=[], calls_completed=0)
        return dict(calls=self.plan.as_result(), calls_completed=self.plan.completed)

    def validate_offline(self):
        """Checks that need no request (so bad input never reaches the API)."""
        params = self.params
        if params['id'] is None and params['comment'] is None:
            raise InvalidOptionError('one of id or comment is required to identify the license (state=%s)' % params['state'])
        if params['id'] is None and self.pricelist is None:
            raise InvalidOptionError('product (vmmanager6, dcimanager6) or pricelist is required when the license is '
                                     'identified by comment')
        if params['id'] is None and params['comment'] == '':
            raise InvalidOptionError('comment must not be empty when it identifies the license')
        if params['wait_timeout'] < 0:
            raise InvalidOptionError('wait_timeout must be >= 0, got %s' % params['wait_timeout'])
        check_addon_counts(params['addons'])
        if self.pricelist is not None:
            resolve_addons(params['addons'], self.pricelist)

    def run(self):
        params = self.params
        current = find_license(self.client, params['id'], params['comment'], self.pricelist,
                               need_addons=bool(params['addons']))
        today = api_today(self.client)
        if current is None:
            return self.order(today)
        self.check_product(current)
        addons = resolve_addons(params['addons'], current['pricelist'])
        rename = params['comment'] if params['id'] is not None else None
        if addons and current['addons'] is None:
            raise InvalidOptionError('the API did not show the addon values of license %s, so they cannot be compared'
                                     % current['id'])
        plan = plan_change(current, params['state'], rename, addons, today)
        return self.execute(plan, current, lambda: get_license(self.client, current['id']))

    def check_product(self, current):
        if self.pricelist is not None and current['pricelist'] is not None and current['pricelist'] != self.pricelist:
            raise InvalidOptionError('license %s is of pricelist %s (%s), not %s: a license never changes product'
                                     % (current['id'], current['pricelist'], current['product'] or 'unknown product',
                                        self.params['product'] or self.pricelist))

    def order(self, today):
        params = self.params
        if params['state'] == 'absent':
            return self.result(None, None, [])
        if params['state'] == 'suspended':
            raise InvalidOptionError('no license matches comment %r; state=suspended never orders one' % params['comment'])
        addons = resolve_addons(params['addons'], self.pricelist)
        plan = plan_order(self.pricelist, params['period'], params['autoprolong'], params['comment'], addons,
                          params['skip_basket'], today)
        if not params['skip_basket']:
            self.module.warn(CART_WARNING)
        return self.execute(plan, None, self.find_by_comment)

    def find_by_comment(self):
        return find_license(self.client, None, self.params['comment'], self.pricelist)

    def execute(self, plan, before, reread):
        predicted = plan.predict(before) if plan else before
        if not plan or self.module.check_mode:
            return self.result(before, predicted, plan.as_result())
        self.plan = plan
        answers = apply_plan(self.client, plan, reread)
        extra = {}
        if before is None:
            after, extra = self.read_new_license(answers[0])
        else:
            after = reread()
            if self.params['wait'] and self.params['state'] == 'active':
                after = self.wait_active(after)
        return self.result(before, after, plan.as_result(), **extra)

    def read_new_license(self, answer):
        extra = {}
        if isinstance(answer, ConfirmedByRead):
            new_id = answer.license['id']  # the answer was lost; the confirming re-read found the license
        else:
            new_id = parse_int(text_of(answer, 'id'))
            order_id = parse_int(text_of(answer, 'billorder.id'))
            if order_id is not None:
                extra['order_id'] = order_id
        if not self.params['skip_basket']:
            return None, extra
        after = get_license(self.client, new_id) if new_id is not None else None
        if after is None:
            after = self.find_by_comment()
        if after is None:
            raise BillmgrError('the order was accepted but no license with comment %r can be found yet; do not rerun '
                               'before checking the account' % self.params['comment'])
        if self.params['wait']:
            after = self.wait_active(after)
        return after, extra

    def wait_active(self, lic):
        deadline = time.monotonic() + self.params['wait_timeout']
        while lic is not None and lic['status'] in ('ordered', 'processing'):
            if time.monotonic() >= deadline:
                raise BillmgrError('license %s is still %s after wait_timeout=%ss'
                                   % (lic['id'], lic['status'], self.params['wait_timeout']))
            time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
            lic = get_license(self.client, lic['id'])
        return lic

    def result(self, before, after, calls, **extra):
        result = dict(changed=bool(calls), license=after, calls=calls, **extra)
        if self.module._diff:
            result['diff'] = {'before': before or {}, 'after': after or {}}
        return result


def main():
    module = AnsibleModule(
        argument_spec=argument_spec(
            id=dict(type='int'),
            comment=dict(type='str'),
            product=dict(type='str', choices=list(PRODUCTS)),
            pricelist=dict(type='int'),
            addons=dict(type='dict'),
            period=dict(type='str', choices=['1', '12', 'trial'], default='1'),
            autoprolong=dict(type='str', choices=['1', '12', 'off'], default='off'),
            skip_basket=dict(type='bool', default=True),
            state=dict(type='str', choices=['present', 'active', 'suspended', 'absent'], default='present'),
            wait=dict(type='bool', default=True),
            wait_timeout=dict(type='int', default=300),
        ),
        mutually_exclusive=[('product', 'pricelist')],
        supports_check_mode=True,
    )
    client = client_from_module(module)
    task = LicenseTask(module, client)
    try:
        task.validate_offline()
        result = task.run()
    except InvalidOptionError as exc:
        module.fail_json(msg='%s' % exc, **task.failure_details())
    except BillmgrError as exc:
        fail_from_error(module, client, exc, **task.failure_details())
    module.exit_json(**result)


if __name__ == '__main__':
    main()
