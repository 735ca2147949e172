#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: isp_license_prolong
short_description: Renew an ISPsystem license until it reaches a target (declarative, idempotent)
version_added: 1.0.0
description:
  - Renews a license bought through the BILLmanager API (C(service.prolong)) only while it is short of a target.
  - The target is either O(min_days_left) (renew while fewer days than this are left) or O(until) (renew until the
    expiry date reaches this date). Each renewal buys one O(period).
  - BILLmanager extends an active license from its expiry date and a suspended one from the renewal date. Check mode
    predicts the new expiry with that rule.
  - Every renewal spends money. O(max_periods) caps how many periods one run may buy; a plan that needs more fails
    before anything is bought. A renewal whose answer was lost is never sent again before the expiry is read back.
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
    details: Reads only; returns the renewals a real run would buy and the predicted expiry.
  diff_mode:
    support: full
    details: The license before and after (predicted in check mode).
  idempotent:
    description: Whether a second run with the same options changes nothing.
    support: partial
    details: Idempotent with O(min_days_left) or O(until). With O(force=true) and no target, every run renews once.
options:
  id:
    description:
      - Id of the license to renew. When it does not exist, the task fails.
      - With O(product) or O(pricelist), a license of another product fails the task before anything is bought.
    type: int
  comment:
    description:
      - Without O(id), the exact comment of the license within O(product) (or O(pricelist)).
        A comment that matches no license, or more than one, fails the task.
      - The same comment rule as M(ispsystem.billmanager.isp_license) applies; one of O(id) and O(comment) is required.
    type: str
  product:
    description:
      - Product of the license, needed with O(comment). V(vmmanager6) is pricelist 55163, V(dcimanager6) 55161.
    type: str
    choices: [vmmanager6, dcimanager6]
  pricelist:
    description:
      - Pricelist id of the license, instead of O(product).
    type: int
  period:
    description:
      - Months bought by each renewal.
    type: int
    choices: [1, 12]
    default: 1
  min_days_left:
    description:
      - Renew while fewer than this many days are left before the expiry date (counted from the API server's date).
      - Mutually exclusive with O(until).
    type: int
  until:
    description:
      - Renew, period by period, until the expiry date is this date (C(YYYY-MM-DD)) or later.
      - Mutually exclusive with O(min_days_left).
      - The alias O(renew_until) does the same; ansible-lint mistakes a C(until) key inside a task for the task
        keyword C(until) (a retry condition) and warns about its "Jinja2 spacing", which the alias avoids.
    type: str
    aliases: [renew_until]
  max_periods:
    description:
      - The most periods one run may buy. When the target needs more, the task fails and buys nothing.
    type: int
    default: 12
  force:
    description:
      - Renew once by O(period) without a target. Required when neither O(min_days_left) nor O(until) is set,
        so that an unconditional renewal is always a deliberate choice. Not idempotent.
    type: bool
    default: false
notes:
  - Trial licenses (period V(trial)) cannot be renewed through the API; the task fails with a clear message before any
    write. Order a paid license with M(ispsystem.billmanager.isp_license) instead.
  - Suspended licenses. BILLmanager renews a suspended license from the renewal date, not from its expiry date.
    A license suspended with paid days left (its expiry date is after today; its owner suspended it) is never renewed
    while suspended, because the renewal would throw those days away; the task fails and names the days. Resume it
    first (M(ispsystem.billmanager.isp_license) with C(state=active)), then renew.
  - A license suspended on or after its expiry date (suspended because it expired) is renewed from today, by one period
    at most per run, and is predicted to be active afterwards; the license read back must show it (status and new
    expiry), else the task fails and says so.
  - After the renewals the license is read back; its expiry must be the predicted one and the one the last renewal
    answered, else the task fails (with C(changed=true)) and shows both.
seealso:
  - module: ispsystem.billmanager.isp_license
  - module: ispsystem.billmanager.isp_license_info
'''

EXAMPLES = r'''
- name: Keep at least 14 days on the license (renews monthly when needed, otherwise does nothing)
  ispsystem.billmanager.isp_license_prolong:
    id: 334673
    period: 1
    min_days_left: 14

- name: Pay the license up to the end of the contract, month by month
  ispsystem.billmanager.isp_license_prolong:
    product: vmmanager6
    comment: vm-cluster-fra1
    period: 1
    renew_until: "2027-06-30"
    max_periods: 8
  register: renewal

- name: Show what was bought
  ansible.builtin.debug:
    msg: "{{ renewal.periods }} period(s): {{ renewal.expiredate_before }} -> {{ renewal.expiredate }}"

- name: One more year, unconditionally (renews on every run)
  ispsystem.billmanager.isp_license_prolong:
    id: 334673
    period: 12
    force: true
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
  description: The license after the run (re-read after renewals; predicted in check mode).
  returned: always
  type: dict
  sample: {"id": 334673, "status": "active", "expiredate": "2027-06-30", "days_left": 215}
expiredate_before:
  description: Expiry date before the run.
  returned: always
  type: str
  sample: "2026-12-30"
expiredate:
  description: Expiry date after the run (predicted in check mode).
  returned: always
  type: str
  sample: "2027-06-30"
periods:
  description:
    - How many periods were bought (would be bought, in check mode).
    - On failure, how many were bought before it (acknowledged or confirmed by a read).
  returned: always
  type: int
  sample: 6
calls_completed:
  description: How many of RV(calls) were made, and took effect, before the task failed.
  returned: on failure, when a renewal was sent
  type: int
  sample: 1
calls_sent:
  description:
    - On a failure after renewals were sent, each sent call with what it came to in C(outcome) (V(done), V(confirmed),
      V(unknown), V(refused)); see RV(ispsystem.billmanager.isp_license#module:calls_sent).
    - C(changed) is V(true) whenever one of them may have renewed.
  returned: on failure, when a renewal was sent
  type: list
  elements: dict
calls:
  description: The C(service.prolong) calls of the plan, without credentials.
  returned: always
  type: list
  elements: dict
  sample: [{"func": "service.prolong", "params": {"elid": 334673, "period": 1, "sok": "ok"}}]
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
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import DEFAULT_RENEWAL_PERIOD
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import parse_date
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import Account, IdentityError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.options import (
    CONNECTION, IDENTITY, MONEY, RENEWAL_TARGET, WRITES, OptionSpec, renewal_period,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import ConfirmedByRead, VerificationError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import parse_max_spend
from ansible_collections.ispsystem.billmanager.plugins.module_utils.reconcile import (
    Applier, check_wanted, plan_wanted, price_plans, spend_result,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.renewal import check_renewable
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of


def wanted_renewal(params):
    """isp_license_prolong's options as a wanted license: found by id or comment, left as it is, with a renewal
    target (``force`` only counts without one)."""
    force = params['force'] and params['min_days_left'] is None and params['until'] is None
    renew = dict(period=params['period'], min_days_left=params['min_days_left'], until=params['until'],
                 max_periods=params['max_periods'], force=force)
    options = dict((name, params[name]) for name in ('id', 'comment', 'product', 'pricelist'))
    options.update(state='present', renew=renew)
    return check_wanted(options, renew_option=None)


def new_expiry_from_answer(answer):
    """``newexpiredate`` from the prolong answer, nested (``/doc/doc``) or flat (``/doc``)."""
    if isinstance(answer, ConfirmedByRead):
        return answer.license['expiredate']  # the answer was lost; the confirming re-read shows the expiry
    return parse_date(text_of(answer, 'doc/newexpiredate') or text_of(answer, 'newexpiredate'))


def check_answered_expiry(planned):
    """The expiry the last renewal answered must be the one read back."""
    answered = new_expiry_from_answer(planned.answers[-1])
    if answered and answered != planned.after['expiredate']:
        raise VerificationError('the last renewal answered the expiry %s, but the license read back shows %s'
                                % (answered, planned.after['expiredate']))


class RenewalRun:
    """One run of isp_license_prolong: find the license, plan its renewals, apply and verify them."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        params = module.params
        self.account = Account(client, params['comment_length_limits'])
        self.applier = Applier(client, self.account, params['confirm_timeout'], params['wait'], params['wait_timeout'])
        self.planned = None

    def plan(self):
        params = self.module.params
        wanted = wanted_renewal(params)
        max_spend = parse_max_spend(params['max_spend']) if params['max_spend'] is not None else None
        current = self.account.find(wanted.id, wanted.comment, wanted.pricelist)
        if current is None:
            raise IdentityError('no license matches comment %r; isp_license_prolong never orders one' % wanted.comment,
                                ).concerning(options=['comment'])
        current = self.applier.settled(current, by_comment=wanted.id is None)
        check_renewable(current)  # a trial or a deleted license fails here, as it does not in a fleet (a note there)
        self.planned = plan_wanted(wanted, current, self.account.today())
        self.applier.check_in_flux(self.planned)
        price_plans(self.client, [self.planned], max_spend)
        return self.planned

    def apply(self):
        self.applier.apply(self.planned)
        if not self.planned.pending:
            check_answered_expiry(self.planned)

    def result(self):
        planned = self.planned
        applied = bool(planned.plan) and not self.module.check_mode
        for note in planned.notes:
            self.module.warn(note)
        after = planned.after if applied else planned.predicted()
        result = dict(changed=bool(planned.plan), calls=planned.plan.as_result(), periods=len(planned.plan),
                      expiredate_before=planned.current['expiredate'], license=after, expiredate=after['expiredate'],
                      **spend_result(planned.costs))
        if self.module._diff:
            result['diff'] = {'before': planned.current, 'after': after}
        return result

    def failure_details(self):
        planned = self.planned
        if planned is None:
            return dict(changed=False, calls=[], periods=0)
        return dict(changed=False, calls=planned.plan.as_result(), periods=planned.plan.completed,
                    expiredate_before=planned.current['expiredate'], **spend_result(planned.costs))


def main():
    module = AnsibleModule(**CONNECTION.merge(WRITES, MONEY, IDENTITY, RENEWAL_TARGET, OptionSpec(dict(
        period=renewal_period(default=DEFAULT_RENEWAL_PERIOD),
        force=dict(type='bool', default=False),
    ))).module_kwargs())
    client = client_from_module(module)
    run = RenewalRun(module, client)
    try:
        planned = run.plan()
        if planned.plan and not module.check_mode:
            run.apply()
    except BillmgrError as exc:
        fail_from_error(module, client, exc, run.planned.plan if run.planned else None, **run.failure_details())
    module.exit_json(**run.result())


if __name__ == '__main__':
    main()
