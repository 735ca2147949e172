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
  - ispsystem.billmanager.api.writes
  - ispsystem.billmanager.api.money
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
      - With O(id), the comment the license should have (renames it). A rename to a comment that another live license
        of the product carries is refused.
      - A comment is one line of printable characters with single spaces between words and no space at either end
        (no line breaks, tabs, control characters, other space characters, and in Unicode NFC form). Anything else is
        refused before any request, because the API may store it otherwise and the license could not be found again.
        Comments compare character for character; case matters.
      - One of O(id) and O(comment) is required.
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
  wait_for_key:
    description:
      - After an order (and for a license that exists), read the license on its own until BILLmanager shows its key
        issued, for up to O(wait_timeout) seconds; the task fails when it is not. The key appears some time after an
        order.
      - C(key_issued) in RV(license) then says so. The key itself is returned only by M(ispsystem.billmanager.isp_license_info)
        with O(ispsystem.billmanager.isp_license_info#module:reveal_key).
      - Ignored in check mode.
    type: bool
    default: false
    version_added: 2.0.0
  state:
    description:
      - V(present) the license exists (ordered when missing); a suspension is left as it is.
      - V(active) the license exists and is not suspended (ordered when missing, resumed when suspended).
      - V(suspended) the license exists and is suspended. A missing license is not ordered for this.
      - V(absent) the license is deleted (C(platform.delete)). A deleted license counts as absent.
    type: str
    choices: [present, active, suspended, absent]
    default: present
notes:
  - The order gate. An order goes out only after a fresh read of the whole license list proves that no live license
    of the product carries the comment. Every page is read (with the page size the server says it used; its total
    is trusted over page lengths); a list that cannot be proven complete, a license whose status or product is not
    understood, and a row without a comment cell that cannot be read on its own all refuse the order. After the
    order the list is read again; when more than one live license carries the comment (another run ordered at the
    same time), the task fails and names every id; nothing is deleted.
  - Verified writes. A write counts as done only when its answer acknowledges it (C(<ok/>), the new C(<id>)) and the
    license read back shows the predicted effect (status, comment, addons); anything else fails the task, shows both,
    and lists the calls sent.
  - Money safety. Writes are never re-sent blindly. After a lost answer (timeout, connection reset, HTTP 5xx, a
    broken or unacknowledged answer) the module reads the license again (for up to O(confirm_timeout) seconds when
    the write spends money); when the read shows the change, the run goes on; otherwise the task fails, with
    C(changed=true), and tells you what to check. A rerun reads the state first, so it neither orders twice nor
    repeats a change that happened.
  - Finding a license by O(comment) costs the list requests of the whole account (500 licenses a page), plus one
    read when O(addons) is set, plus one read for each live license of the product whose list row shows no comment.
    An order costs a second full list read. Finding a license by O(id) costs one read. Prefer O(id), or the bulk
    module M(ispsystem.billmanager.isp_licenses), in fleet jobs.
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
  # In check mode a license that would be ordered has no id yet (license.id is null): nothing to address by id.
  when: vm_license.license.id is not none

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
failure:
  description:
    - When the task fails, the failure as data (the message is built from it).
  returned: on failure
  type: dict
  contains:
    entry:
      description: Always V(null) (it names the entry of a fleet's licenses in M(ispsystem.billmanager.isp_licenses)).
      type: dict
    options:
      description: The names of the options concerned (C(comment), C(renew.max_periods), C(max_orders) ...).
      type: list
      elements: str
    message:
      description: The error itself, without the notes on what was sent and the advice.
      type: str
    writes_may_have_happened:
      description: Whether a write may have been made before the failure.
      type: bool
    money_may_have_moved:
      description: Whether a call that spends money may have been made before the failure.
      type: bool
    calls_sent:
      description: Each call sent, with what it came to (C(outcome)).
      type: list
      elements: dict
    advice:
      description: What to do before rerunning, when there is something to do.
      type: str
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
  description: How many of RV(calls) were made, and took effect, before the task failed.
  returned: on failure
  type: int
  sample: 1
calls_sent:
  description:
    - On a failure after writes were sent, each sent call with what it came to in C(outcome) -
      V(done) (acknowledged), V(confirmed) (its answer was lost, the account shows its effect), V(unknown) (its answer
      was lost and its effect does not show, it may still happen) or V(refused) (the API answered an error, or the
      request was turned away before it could do anything - a refused connection, HTTP 429 for longer than the retry
      budget of O(timeout); nothing was done).
    - C(changed) is V(true) whenever one of them may have written.
  returned: on failure, when a write was sent
  type: list
  elements: dict
  sample: [{"func": "platform.order.param", "params": {"pricelist": 55163}, "outcome": "done"}]
order_id:
  description: The BILLmanager order id of a new order, when the API returned one.
  returned: when a license was ordered (also on a failure after the order)
  type: int
  sample: 778812
license_id:
  description: The id of a new license (also on a failure after the order, when known).
  returned: when a license was ordered
  type: int
  sample: 334673
spend:
  description:
    - Each planned call that spends money, with its amount as the server states it (in check mode, what the real run
      would spend). See O(max_spend) for where amounts come from.
  returned: always
  type: list
  elements: dict
  contains:
    func:
      description: The call's function.
      type: str
    elid:
      description: The license it is about (V(null) for an order, or a renewal of a license ordered first).
      type: int
    kind:
      description: V(order), V(renewal) or V(edit).
      type: str
    amount:
      description: The amount, V(null) when the server states none (V(unknown)).
      type: float
    currency:
      description: The currency code, V(null) with an unknown amount.
      type: str
    source:
      description: Where the amount was stated - V(prolong form), V(order form), V(list row) - or V(unknown).
      type: str
  sample: [{"func": "service.prolong", "elid": 334673, "kind": "renewal", "amount": 30.0, "currency": "EUR",
            "source": "prolong form"}]
spend_total:
  description: The known amounts of RV(spend), summed per currency.
  returned: always
  type: dict
  sample: {"EUR": 30.0}
spend_unknown:
  description: How many calls of RV(spend) have no stated amount.
  returned: always
  type: int
  sample: 0
diff:
  description: The license before and after, in diff mode.
  returned: when diff mode is on
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ispsystem.billmanager.plugins.module_utils.api_module import (
    client_from_module, fail_from_error,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import Account
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import parse_max_spend
from ansible_collections.ispsystem.billmanager.plugins.module_utils.options import (
    CONNECTION, IDENTITY, LICENSE_STATE, MONEY, WRITES, OptionSpec,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.reconcile import (
    Applier, check_near_matches, check_renames, check_wanted, plan_wanted, price_plans, spend_result,
)

CART_WARNING = ('skip_basket=false leaves the order unpaid in the cart: no license exists until it is paid, '
                'so this task cannot find it and orders again on every run (it is not idempotent)')


class LicenseRun:
    """One run of isp_license: read, plan, apply, verify. ``planned`` is kept once made, for the failure report."""

    def __init__(self, module, client):
        self.module = module
        params = module.params
        self.account = Account(client, params['comment_length_limits'])
        self.applier = Applier(client, self.account, params['confirm_timeout'], params['wait'], params['wait_timeout'])
        self.client = client
        self.planned = None

    def plan(self):
        params = self.module.params
        wanted = check_wanted(params)
        max_spend = parse_max_spend(params['max_spend']) if params['max_spend'] is not None else None
        found = self.account.find(wanted.id, wanted.comment, wanted.pricelist, need_addons=bool(wanted.addons))
        self.planned = plan_wanted(wanted, self.applier.settled(found, by_comment=wanted.id is None), self.account.today())
        self.applier.check_in_flux(self.planned)
        check_renames(self.account, [self.planned])
        check_near_matches(self.account, [self.planned])
        price_plans(self.client, [self.planned], max_spend)
        if self.planned.orders and not params['skip_basket']:
            self.module.warn(CART_WARNING)
        return self.planned

    def apply(self):
        planned = self.planned
        self.applier.apply(planned)
        if planned.orders and self.module.params['skip_basket']:
            self.applier.check_orders([planned])
        self.applier.wait_active(planned)

    def wait_for_key(self):
        """With wait_for_key (not in check mode): the license read on its own until its key shows issued."""
        planned = self.planned
        if self.module.params['wait_for_key'] and not self.module.check_mode and planned.wanted.state != 'absent':
            if planned.after is None and not planned.plan:
                planned.after = planned.current
            self.applier.wait_for_key(planned)

    def result(self):
        planned = self.planned
        applied = (bool(planned.plan) or self.module.params['wait_for_key']) and not self.module.check_mode
        for note in planned.notes:
            self.module.warn(note)
        after = planned.after if applied else planned.predicted()
        outcome = dict(changed=bool(planned.plan), license=after, calls=planned.plan.as_result(),
                       **(planned.new_ids if applied else {}))
        outcome.update(spend_result(planned.costs))
        if self.module._diff:
            outcome['diff'] = {'before': planned.current or {}, 'after': after or {}}
        return outcome

    def failure_details(self):
        planned = self.planned
        if planned is None:
            return dict(changed=False, calls=[], calls_completed=0)
        return dict(planned.new_ids, changed=False, calls=planned.plan.as_result(), calls_completed=planned.plan.completed,
                    **spend_result(planned.costs))


def main():
    module = AnsibleModule(**CONNECTION.merge(WRITES, MONEY, IDENTITY, LICENSE_STATE, OptionSpec(dict(
        skip_basket=dict(type='bool', default=True),
        wait_for_key=dict(type='bool', default=False),
    ))).module_kwargs())
    client = client_from_module(module)
    run = LicenseRun(module, client)
    try:
        planned = run.plan()
        if planned.plan and not module.check_mode:
            run.apply()
        run.wait_for_key()
    except BillmgrError as exc:
        fail_from_error(module, client, exc, run.planned.plan if run.planned else None, **run.failure_details())
    module.exit_json(**run.result())


if __name__ == '__main__':
    main()
