# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 15: what a run will cost, shown before it pays and equal to what the server then charges; max_spend; keys.

The emulator states prices in its prolong form (on by default) and, with ``order_form_price`` (an inferred shape),
in its order form. The proof is the emulator's charges.
"""

from __future__ import annotations

from decimal import Decimal

from playbook_runner import run_playbook

TODAY = "2026-11-27"


def seed(config, licenses=(), balance="1000.00"):
    return {"today": TODAY, "users": [{"name": "demo", "password": "demo-secret", "balance": balance}],
            "licenses": list(licenses), "next_id": 1000, "config": config}


def licensed(license_id, comment, expiredate="2026-12-01", period=1, nodes=1):
    return {"id": license_id, "user": "demo", "pricelist": 55163, "period": period, "comment": comment,
            "addons": {"55165": nodes, "55164": 10}, "status": 2, "createdate": "2026-10-27", "expiredate": expiredate}


def results(result):
    return dict((record["task"], (record["status"], record["result"])) for record in result.tasks)


FLEET = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the fleet
      ispsystem.billmanager.isp_licenses:
        licenses:
          - {comment: new-1, product: vmmanager6, addons: {nodes: 2}}
          - {comment: new-2, product: vmmanager6, period: '12', autoprolong: '12'}
          - {comment: old-1, product: vmmanager6, renew: {min_days_left: 14}}
          - {comment: old-2, product: vmmanager6, renew: {min_days_left: 14}}
          - {comment: old-3, product: vmmanager6, renew: {min_days_left: 14, period: 12}}
        max_orders: 2
        max_spend: "{{ max_spend | default(omit) }}"
      register: fleet
"""


def test_check_mode_states_every_amount_and_the_real_run_charges_exactly_them(emulator_factory, tmp_path):
    old = [licensed(101, "old-1"), licensed(102, "old-2", nodes=3), licensed(103, "old-3", period=1)]
    emulator = emulator_factory(seed=seed({"order_form_price": True}, old))
    checked = run_playbook(FLEET, emulator, check=True, tmp_path=tmp_path / "check")
    assert checked.rc == 0, checked.describe()
    assert [entry for entry in emulator.log_entries() if entry["write"]] == []
    planned = results(checked)["the fleet"][1]
    amounts = [cost["amount"] for entry in planned["results"] for cost in entry.get("spend", [])]
    assert len(amounts) == 5 and None not in amounts
    real = run_playbook(FLEET, emulator, tmp_path=tmp_path / "real")
    assert real.rc == 0, real.describe()
    charges = emulator.snapshot()["charges"]
    assert sorted(Decimal(charge["amount"]) for charge in charges) == sorted(Decimal("%.2f" % amount) for amount in amounts)
    total = sum(Decimal(charge["amount"]) for charge in charges)
    assert Decimal("%.2f" % planned["summary"]["spend_total"]["EUR"]) == total
    assert results(real)["the fleet"][1]["summary"]["spend_total"] == planned["summary"]["spend_total"]


def test_max_spend_below_the_total_fails_without_a_write_and_lists_the_amounts(emulator_factory, tmp_path):
    old = [licensed(101, "old-1"), licensed(102, "old-2"), licensed(103, "old-3")]
    emulator = emulator_factory(seed=seed({"order_form_price": True}, old))
    result = run_playbook(FLEET, emulator, tmp_path=tmp_path, extra_vars={"max_spend": "50 EUR"})
    status, fleet = results(result)["the fleet"]
    assert status == "failed" and "breaks max_spend (50.00 EUR)" in fleet["msg"]
    assert "order of a new license: " in fleet["msg"] and "renewal of license 101: " in fleet["msg"]
    assert [entry for entry in emulator.log_entries() if entry["write"]] == []
    assert emulator.snapshot()["charges"] == []


RESIZE = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: resize in check mode
      ispsystem.billmanager.isp_license: {id: 101, addons: {nodes: 5}}
      check_mode: true
    - name: resize under a money limit
      ispsystem.billmanager.isp_license: {id: 101, addons: {nodes: 5}, max_spend: "1000 EUR"}
      ignore_errors: true
"""


def test_a_resize_shows_an_unknown_amount_and_a_money_limit_refuses_it(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed({}, [licensed(101, "old-1")]))
    result = run_playbook(RESIZE, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    outcome = results(result)
    checked = outcome["resize in check mode"][1]
    assert checked["spend"][0]["amount"] is None and checked["spend_unknown"] == 1
    status, refused = outcome["resize under a money limit"]
    assert status == "failed" and "not stated by the server" in refused["msg"] and "edit of license 101: unknown" in refused["msg"]
    assert [entry for entry in emulator.log_entries() if entry["write"]] == []


KEYS = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order and wait for the key
      ispsystem.billmanager.isp_license: {product: vmmanager6, comment: keyed, wait_for_key: true}
      register: ordered
    - name: the key
      ispsystem.billmanager.isp_license_info: {id: "{{ ordered.license.id }}", reveal_key: true}
      no_log: true
      register: revealed
    - name: what the key looks like
      ansible.builtin.assert:
        that:
          - revealed.licenses[0].key | length == 32
          - revealed.licenses[0].key_issued
          - ordered.license.key_issued
"""


def test_the_key_is_waited_for_after_an_order_and_revealed_only_under_no_log(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed({"key_delay_requests": 3}))
    result = run_playbook(KEYS, emulator, tmp_path=tmp_path, verbosity=4)
    assert result.rc == 0, result.describe()
    (lic,) = emulator.snapshot()["licenses"]
    assert lic["key_issued"] is True
    assert lic["lickey"] not in result.stdout + result.stderr  # not even at -vvvv
    assert "key" not in results(result)["order and wait for the key"][1]["license"]
