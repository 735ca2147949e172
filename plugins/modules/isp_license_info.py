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
  - Returns RV(api), a description of what the reads showed about the server (paging, cells, status forms, date,
    language) - the first thing to run against a real account.
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
      - Only licenses whose comment is exactly this text (see the comment rule of M(ispsystem.billmanager.isp_license);
        a comment that breaks it fails the task).
      - Rows that show no comment cell are read on their own to learn their comment.
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
  reveal_key:
    description:
      - Return the license key of each license (RV(licenses[].key)), so that a playbook can activate the panel it was
        bought for.
      - Each license is read on its own for it (one request per license; none more with O(id)).
      - The key is a secret. Set the task keyword C(no_log) to V(true) on the task that reveals it, and do not print the result. The key never
        appears in the module's messages; it is not part of any other module's result, diff or C(calls).
      - Without it, a license read on its own (by O(id), or with O(details)) says only whether its key has been issued
        (RV(licenses[].key_issued)).
    type: bool
    default: false
    version_added: 2.0.0
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
    in_progress:
      description:
        - What the server says is in progress on the license, or V(null) when nothing is - the named sub-state of a
          processing status (V(prolong) for C(orig="5_prolong"), V(suspend), V(resume), V(close), V(open), V(edit) and others),
          V(processing) for status 5 without one, V(status_change) for C(special_status) 1.
        - The writing modules never write to a license in progress; they wait for it to settle (O(ignore:wait)).
      type: str
      sample: prolong
    suspend_reason:
      description:
        - Why a suspended license is suspended, where the server names it in C(orig) - V(autosuspend) (by the
          provider, unpaid or expired), V(employeesuspend) (by staff), V(abusesuspend) (for abuse), or another name;
          V(null) when it names none (then the dates tell - see the user guide, "Suspended licenses").
      type: str
      sample: autosuspend
    status_seen:
      description:
        - Only when RV(licenses[].status) is V(unknown) - the status cells the API showed (name, or name@attribute,
          to the raw value). A license whose status is not understood is never written to by this collection.
      type: dict
      returned: when the status is not understood
      sample: {"item_status": "Blocked", "item_status@orig": "9_1_0"}
    key_issued:
      description:
        - Whether the license key has been issued (BILLmanager shows it some time after an order).
        - Only for licenses read on its own (by O(id), or with O(details) or O(reveal_key)); a list row does not say.
      type: bool
      returned: when the license was read on its own
      sample: true
    key:
      description:
        - The license key, to activate the panel (see the user guide, "License keys"); V(null) while it is not issued.
        - A secret - set C(no_log) to V(true) on the task.
      type: str
      returned: with O(reveal_key)
      sample: 0F3A9C61D2E84B7A5C0D1E2F3A4B5C6D
    expiry_seen:
      description:
        - Only when the expiry is not a date (daily billing shows a text such as C(Daily charge), and
          C(real_expiredate) is missing) - the raw text. RV(licenses[].expiredate) is then V(null), the expiry is
          unknown, and the license is never renewed.
      type: str
      returned: when the expiry is not a date
api:
  description:
    - What the reads showed about the API server, and what it means for the other modules (first contact with a real
      account). Built from the answers the module read; it makes no extra request and never writes.
    - On a failure, what was seen up to it (a saved filter, a redirect).
    - See the user guide, section "First contact with a real account".
  returned: always
  type: dict
  contains:
    api_url:
      description: The API URL used (the address that answered), without a C(user:password@) part if it had one.
      type: str
    redirected_to:
      description: Where the API address pointed when it answered with a redirect (HTTP 3xx), which is never
        followed; V(null) when it did not redirect.
      type: str
    in_progress:
      description: How many of the licenses returned show each change in progress (see RV(licenses[].in_progress)).
      type: dict
      sample: {"prolong": 1}
    suspend_reasons:
      description: How many of the licenses returned show each suspension reason (see RV(licenses[].suspend_reason)).
      type: dict
      sample: {"autosuspend": 2}
    server_date:
      description: The date of the server (its HTTP C(Date) header), which the modules take as "today"; V(null) when
        the answers carry none.
      type: str
      sample: "2026-11-27"
    language_asked:
      description: The C(lang) every request sends (V(en)).
      type: str
    language_answered:
      description: The C(lang) attribute of the last answer.
      type: str
    requests:
      description: How many API requests the module made.
      type: int
    list:
      description: How the license list was paged (without O(id)).
      type: dict
      returned: without O(id)
      contains:
        page_size_asked:
          description: Rows per page asked (C(p_cnt)).
          type: int
        page_size_served:
          description: Rows per page the server said it used (its C(p_cnt)), V(null) when it did not say.
          type: int
        total_rows:
          description: The total the server gave (C(p_elems)), V(null) when it gave none.
          type: int
        rows_read:
          description: Rows read.
          type: int
        list_requests:
          description: List requests made.
          type: int
        filter_element:
          description: Whether the list answers carry a C(p_filter) element (an empty one means no filter).
          type: bool
        saved_filter:
          description: The filter a list answer showed as saved on the server for this user (its C(p_filter) text),
            V(null) when none. A list answer with a saved filter is not the whole account - the task fails, and no
            module decides anything from such a list.
          type: str
    rows:
      description: What the list rows carry (without O(id)).
      type: dict
      returned: without O(id)
      contains:
        count:
          description: Rows read.
          type: int
        with_comment:
          description: Rows with a C(comment) cell.
          type: int
        with_addon_values:
          description: Rows with addon values (C(addon_NNNNN) cells).
          type: int
        status_forms:
          description: How rows show their status - V(status_code) (a numeric C(status)), V(item_status_code) (a
            numeric C(item_status)), V(orig) (a code in an C(orig) attribute), V(text) (only a text), V(none) - to how
            many rows do so.
          type: dict
        product_as_id:
          description: Rows whose C(pricelist) cell is a number.
          type: int
        product_as_name:
          description: Rows whose C(pricelist) cell is a known product name.
          type: int
        cells:
          description: Every cell name seen in the rows.
          type: list
          elements: str
    read_one:
      description: What the answer to reading one license (C(platform.edit)) carries, with O(id); the same keys as
        RV(api.rows).
      type: dict
      returned: with O(id), when the license exists
    notes:
      description: Sentences on what was seen that the other modules treat specially (no totals, no comment cells,
        no addon values, statuses without codes, another language, no server date).
      type: list
      elements: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.ispsystem.billmanager.plugins.module_utils.api_module import (
    client_from_module, fail_from_error,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import STATUS_CHOICES, pricelist_of
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import comment_refusal
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import (
    FilteredListError, check_product, read_account, read_one, select_licenses, with_addons,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.options import CONNECTION, FILTER, OptionSpec
from ansible_collections.ispsystem.billmanager.plugins.module_utils.server_report import server_report
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of


def wanted_status(lic, statuses):
    """True when ``lic`` is in one of ``statuses`` (none given: any status but deleted)."""
    return lic['status'] in statuses if statuses else lic['status'] != 'deleted'


def with_key(client, lic, doc=None):
    """``lic`` read on its own (unless ``doc``, its platform.edit answer, is given) with its ``key``. The key is
    withheld from every message of the run from then on, as the password is."""
    if doc is None:
        found, doc = read_one(client, lic['id'])
        lic = found or lic
    key = text_of(doc, 'lickey') if doc is not None else ''
    client.add_secret(key)
    return dict(lic, key=key or None)


def find_licenses(client, params):
    """(the licenses selected, the api report of what the reads showed)."""
    pricelist = pricelist_of(params['product'], params['pricelist'])
    if params['id'] is not None:
        found, doc = read_one(client, params['id'])
        if found is not None:
            check_product(found, pricelist)  # a license of another product fails, as in every module
        selected = [found] if found is not None and found['comment'] == (params['comment'] or found['comment']) \
            and wanted_status(found, params['status']) else []
        report = server_report(client, one=doc, licenses=selected)
    else:
        listing = read_account(client)
        live_only = not params['status'] or 'deleted' not in params['status']
        selection = select_licenses(client, listing, pricelist, params['comment'], live_only=live_only)
        candidates = selection.licenses + [lic for lic, _reason in selection.unclear]
        selected = [lic for lic in candidates if wanted_status(lic, params['status'])]
        if params['details'] and not params['reveal_key']:
            selected = [with_addons(client, lic) for lic in selected]
        report = server_report(client, listing=listing, licenses=selected)
    if params['reveal_key']:
        selected = [with_key(client, lic, doc if params['id'] is not None else None) for lic in selected]
    report['requests'] = client.request_count
    return sorted(selected, key=lambda item: item['id'] or 0), report


def main():
    module = AnsibleModule(**CONNECTION.merge(FILTER, OptionSpec(dict(
        status=dict(type='list', elements='str', choices=STATUS_CHOICES),
        details=dict(type='bool', default=False),
        reveal_key=dict(type='bool', default=False),
    ))).module_kwargs())
    client = client_from_module(module)
    try:
        if module.params['comment'] is not None and comment_refusal(module.params['comment']):
            raise InvalidOptionError(comment_refusal(module.params['comment']), ['comment'])
        licenses, report = find_licenses(client, module.params)
    except FilteredListError as exc:
        fail_from_error(module, client, exc, licenses=[], api=server_report(client, listing=exc.listing, saved_filter=exc.shown))
    except BillmgrError as exc:
        fail_from_error(module, client, exc, licenses=[], api=server_report(client))
    module.exit_json(changed=False, licenses=licenses, api=report)


if __name__ == '__main__':
    main()
