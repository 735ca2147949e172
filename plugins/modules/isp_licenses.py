#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: isp_licenses
short_description: Reconcile many ISPsystem licenses (VMmanager 6, DCImanager 6) in one task, with spend limits
version_added: 1.0.0
description:
  - Brings a list of wanted licenses to their wanted state in one task - order, resize, rename, renew, suspend,
    resume, delete - with one read of the account for all of them and one plan for all of them.
  - Each wanted license takes the options of M(ispsystem.billmanager.isp_license), plus an optional renewal target
    (O(licenses[].renew)) with the rules of M(ispsystem.billmanager.isp_license_prolong). Licenses that are not in the
    list are never touched.
  - The whole account list is read once (paged); a license is read on its own only when its list row does not show
    what the plan needs (addon values, a comment cell, a status code). Then every license is planned, the spend limits
    O(max_orders) and O(max_renewals) are checked, and only then is anything written.
  - Orders go through the order gate of M(ispsystem.billmanager.isp_license); after them the list is read once more,
    and every ordered comment must be carried by exactly one live license. Every other change is verified by reading
    the license back.
  - When the API refuses a call of one license (an error answer, such as a value it does not take or too little
    money), that license fails and the others are still tried. After any other failure (an authentication error, a
    lost or unacknowledged answer, a license that does not read back as predicted) the licenses that come later are
    not tried. The result says, license by license, what was done, what failed and what was not tried.
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
    details: Reads only; returns the calls a real run would make, the predicted licenses and the RV(summary).
  diff_mode:
    support: full
    details: One diff per license that changes (predicted in check mode).
  idempotent:
    description: Whether a second run with the same options changes nothing.
    support: full
    details: A second run finds every license as wanted. A renewal target renews only while a license is short of it.
options:
  licenses:
    description:
      - The wanted licenses. Each names one license, by O(licenses[].id) or by O(licenses[].comment) and product; two
        entries naming the same license fail the task before any request.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - A name for this entry in results and messages, such as the inventory host it licenses. Not sent to the API.
          - Defaults to the id or the comment.
        type: str
      id:
        description: Id of the license. A license given by id is never ordered; an id that does not exist fails the task.
        type: int
      comment:
        description:
          - Without O(licenses[].id), the comment that identifies the license within its product; required to order.
          - With O(licenses[].id), the comment the license should have (renames it).
          - The comment rule of M(ispsystem.billmanager.isp_license) applies.
        type: str
      product:
        description: The licensed product. V(vmmanager6) is pricelist 55163, V(dcimanager6) is pricelist 55161.
        type: str
        choices: [vmmanager6, dcimanager6]
      pricelist:
        description: Pricelist (tariff) id, for products not covered by O(licenses[].product).
        type: int
      addons:
        description:
          - Addon counts the license should have, as in M(ispsystem.billmanager.isp_license) (V(nodes), V(vms), or
            numeric addon ids). Addons not named are left as they are.
        type: dict
      allow_shrink:
        description:
          - When V(false), an addon is never lowered below its current count (BILLmanager refunds nothing); the wanted
            count is raised to the current one and RV(results[].notes) says so.
        type: bool
        default: true
      period:
        description: Payment period of a new license, in months, or V(trial). Only used when ordering.
        type: str
        choices: ['1', '12', trial]
        default: '1'
      autoprolong:
        description: Automatic renewal of a new license, every V(1) or V(12) months, or V(off). Only used when ordering.
        type: str
        choices: ['1', '12', 'off']
        default: 'off'
      state:
        description: As O(ispsystem.billmanager.isp_license#module:state).
        type: str
        choices: [present, active, suspended, absent]
        default: present
      renew:
        description:
          - Renew the license while it is short of this target, as M(ispsystem.billmanager.isp_license_prolong) does.
          - A license suspended with paid days left is resumed first when O(licenses[].state=active); otherwise it is
            not renewed while suspended (the renewal would throw the paid days away) and the task fails before any write.
          - A trial license is never renewed; RV(results[].notes) says so when the target would need a renewal.
        type: dict
        suboptions:
          min_days_left:
            description: Renew while fewer than this many days are left. Mutually exclusive with O(licenses[].renew.until).
            type: int
          until:
            description: Renew until the expiry date is this date (C(YYYY-MM-DD)) or later.
            type: str
            aliases: [renew_until]
          period:
            description: Months bought by each renewal. Defaults to the period of the license (1 or 12).
            type: int
            choices: [1, 12]
          max_periods:
            description: The most periods one run may buy for this license; a target that needs more fails the task
              before anything is bought.
            type: int
            default: 12
  max_orders:
    description:
      - The most licenses one run may order. A plan that orders more fails before any write and lists what it would
        have ordered, so that a typo in an inventory cannot buy hundreds of licenses.
      - Set it to the number of licenses you mean to order in a first run.
    type: int
    default: 10
  max_renewals:
    description:
      - The most renewal periods one run may buy, over all licenses. A plan that buys more fails before any write and
        lists the renewals it would have bought.
      - Unset, only each license's O(licenses[].renew.max_periods) limits renewals.
    type: int
  full_results:
    description:
      - Return the whole entry of every license in RV(results), those that need nothing included.
      - By default (V(false)) the entry of a license that needs nothing holds only C(name), C(id), C(outcome) and
        C(changed) (and C(notes) when there are any); those that change, would change, fail or are not tried keep
        C(before), C(after) and C(calls). A no-op run over thousands of licenses then returns kilobytes, not megabytes.
      - The result's C(invocation) (Ansible's echo of the options, shown with C(-vvv)) gives the number of entries
        of O(licenses), not the entries; with V(true) it echoes each entry without the sub-options left unset.
      - Before 2.0.0 every entry was whole. Set V(true) to read RV(results[].after) of licenses that need nothing (the
        role P(ispsystem.billmanager.panel_license#role) does, for its host facts).
    type: bool
    default: false
    version_added: 2.0.0
  read_concurrency:
    description:
      - How many licenses are read at once when the list rows do not show what the plan needs (addon values, comments),
        or when at most 20 licenses given by id are read one by one. Those reads are made ahead, concurrently; writes
        never are.
      - Each read keeps its retries, honouring HTTP 429 and C(Retry-After), so a server that limits the rate slows the
        reads down. V(1) reads them in turn.
      - Against a server 50 to 100 ms away, 1,000 such reads take 1,000 times that divided by this number.
    type: int
    default: 4
    version_added: 2.0.0
notes:
  - Requests. A run reads the whole license list (500 licenses a page) once, plus one read for each license whose list
    row does not show what is needed - its addon values when O(licenses[].addons) is set, its comment when a license
    is identified by comment and the list shows no comment cell - plus, when it writes, one read back of each changed
    license and one more read of the list after orders. With 20 entries or fewer, all given by id, it reads each
    license by id instead of the list.
  - Failures. When a license fails, the task fails (after the others were tried, or not, as described above).
    C(changed) is V(true) whenever a write may have happened. Fix the cause and rerun; the licenses already done are
    found as wanted.
seealso:
  - module: ispsystem.billmanager.isp_license
  - module: ispsystem.billmanager.isp_license_prolong
  - module: ispsystem.billmanager.isp_license_info
'''

EXAMPLES = r'''
- name: Keep a fleet of VMmanager 6 licenses sized and paid
  ispsystem.billmanager.isp_licenses:
    licenses:
      - comment: vm-cluster-fra1
        product: vmmanager6
        addons: {nodes: 3, vms: 200}
        renew: {min_days_left: 14}
      - comment: vm-cluster-ams1
        product: vmmanager6
        addons: {nodes: 5, vms: 400}
        allow_shrink: false
        renew: {min_days_left: 14, period: 12}
      - id: 334673
        state: suspended
    max_orders: 2
    max_renewals: 24
  register: fleet

- name: What the run did
  ansible.builtin.debug:
    msg: "{{ fleet.summary }}"

- name: The licenses of every host of a group, built from host variables
  ispsystem.billmanager.isp_licenses:
    licenses: >-
      {{ groups['panels'] | map('extract', hostvars)
         | map(attribute='wanted_license') | list }}
    max_orders: 0
  check_mode: true
  register: preview
'''

RETURN = r'''
results:
  description: One entry per wanted license, in the order of O(licenses).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The entry's O(licenses[].name), or its id or comment.
      type: str
    id:
      description: The license id (V(null) for a license not ordered yet).
      type: int
    outcome:
      description:
        - V(unchanged) (nothing to do), V(changed) (calls made; in check mode, calls a real run would make),
          V(failed), V(not tried) (after an earlier failure), or V(planned) (the run failed before any write).
      type: str
      choices: [unchanged, changed, failed, not tried, planned]
    changed:
      description: Whether this license was changed (may have been, after a lost answer).
      type: bool
    before:
      description: The license before the run (V(null) when it did not exist).
      type: dict
      returned: unless the license needs nothing and O(full_results) is V(false)
    after:
      description: The license after the run, read back (predicted in check mode; V(null) when absent or not tried).
      type: dict
      returned: unless the license needs nothing and O(full_results) is V(false)
    calls:
      description: The write calls planned for this license, without credentials.
      type: list
      elements: dict
      returned: unless the license needs nothing and O(full_results) is V(false)
    calls_sent:
      description: For a failed license, each sent call with its C(outcome) (V(done), V(confirmed), V(unknown),
        V(refused)).
      type: list
      elements: dict
      returned: when the license failed after a write was sent
    order_id:
      description: The order id of a new license, when the API returned one.
      type: int
      returned: when ordered
    notes:
      description: What the plan did differently from the options, and why (an addon kept, a trial not renewed).
      type: list
      elements: str
      returned: always, except in the compact entry of a license that needs nothing and has no note
    msg:
      description: Why the license failed (or, for bad input or a problem that refused the run, why it was not planned).
      type: str
      returned: when it failed, or could not be planned
    failure:
      description: The failure of this license as data (see RV(failure)).
      type: dict
      returned: when it failed, or could not be planned
    spend:
      description: Each call of this license that spends money, with its amount as the server states it (see
        RV(ispsystem.billmanager.isp_license#module:spend)).
      type: list
      elements: dict
      returned: when the plan of this license spends money
summary:
  description:
    - What the run did, or in check mode would do. In a real run a call counts when it may have taken effect.
  returned: always
  type: dict
  contains:
    licenses:
      description: Wanted licenses.
      type: int
    changed:
      description: Licenses changed (would be changed, in check mode).
      type: int
    unchanged:
      description: Licenses with nothing to do.
      type: int
    failed:
      description: Licenses that failed.
      type: int
    not_tried:
      description: Licenses not tried after a failure.
      type: int
    orders:
      description: Licenses ordered.
      type: int
    renewals:
      description: Renewal periods bought.
      type: int
    resizes_up:
      description: Edits that raise at least one addon.
      type: int
    resizes_down:
      description: Edits that lower at least one addon.
      type: int
    renames:
      description: Edits that change the comment.
      type: int
    suspensions:
      description: Licenses suspended.
      type: int
    resumptions:
      description: Licenses resumed.
      type: int
    deletions:
      description: Licenses deleted.
      type: int
    spend_total:
      description: The known amounts of the calls that spend money, summed per currency (in a real run, of the calls
        that may have been made; see O(max_spend)).
      type: dict
    spend_unknown:
      description: How many of those calls have no amount stated by the server.
      type: int
  sample:
    licenses: 200
    changed: 3
    unchanged: 197
    failed: 0
    not_tried: 0
    orders: 1
    renewals: 2
    resizes_up: 1
    resizes_down: 0
    renames: 0
    suspensions: 0
    resumptions: 0
    deletions: 0
    spend_total: {"EUR": 60.0}
    spend_unknown: 1
failure:
  description:
    - When the task fails, the failure as data (the message is built from it). The role P(ispsystem.billmanager.panel_license#role)
      reads it to name its own variables.
  returned: on failure
  type: dict
  contains:
    entry:
      description: The entry of O(licenses) it belongs to (C(index), C(name)), or V(null).
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
api_requests:
  description: How many API requests the run made (reads and writes).
  returned: always
  type: int
  sample: 3
diff:
  description: In diff mode, one diff per changed license (C(before_header) and C(after_header) name it).
  returned: when diff mode is on
  type: list
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ispsystem.billmanager.plugins.module_utils.api_module import (
    client_from_module, fail_from_error,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.fleet import DEFAULT_READ_CONCURRENCY, Fleet
from ansible_collections.ispsystem.billmanager.plugins.module_utils.options import (
    CONNECTION, IDENTITY, LICENSE_STATE, MONEY, RENEWAL_TARGET, WRITES, OptionSpec, renewal_period,
)

# One entry of ``licenses``: the options of isp_license, a name, allow_shrink, and a renewal target.
LICENSE = IDENTITY.merge(LICENSE_STATE, OptionSpec(dict(
    name=dict(type='str'),
    allow_shrink=dict(type='bool', default=True),
    renew=RENEWAL_TARGET.merge(OptionSpec(dict(period=renewal_period()), required_one_of=[('min_days_left', 'until')]))
    .nested(type='dict'),
)))


def invocation(params):
    """What the result echoes of the options (Ansible echoes every option as invocation.module_args): each entry of
    licenses without the sub-options left unset or, when full_results is false, only how many entries there were."""
    module_args = dict(params)
    if params['full_results']:
        module_args['licenses'] = [without_unset(entry) for entry in params['licenses']]
    else:
        count = len(params['licenses'])
        module_args['licenses'] = '%d %s, not echoed (full_results=true echoes them)' % (count, 'entry' if count == 1 else 'entries')
    return {'module_args': module_args}


def without_unset(value):
    if isinstance(value, dict):
        return dict((key, without_unset(item)) for key, item in value.items() if item is not None)
    return value


def main():
    module = AnsibleModule(**CONNECTION.merge(WRITES, MONEY, OptionSpec(dict(
        licenses=LICENSE.nested(type='list', elements='dict', required=True),
        max_orders=dict(type='int', default=10),
        full_results=dict(type='bool', default=False),
        read_concurrency=dict(type='int', default=DEFAULT_READ_CONCURRENCY),
        max_renewals=dict(type='int'),
    ))).module_kwargs())
    client = client_from_module(module)
    fleet = Fleet(client, module.params, check_mode=module.check_mode)
    echo = invocation(module.params)
    try:
        fleet.plan()
        if not module.check_mode:
            fleet.apply()
    except BillmgrError as exc:
        fail_from_error(module, client, exc, invocation=echo, **fleet.report(diff=module._diff))
    report = fleet.report(diff=module._diff)
    failed = fleet.failure()
    if failed is not None:
        failure, progress = failed
        fail_from_error(module, client, failure.error, failure_of=failure, epilogue=progress, invocation=echo, **report)
    module.exit_json(invocation=echo, **report)


if __name__ == '__main__':
    main()
