# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults around real playbook runs: money is never lost track of, reads recover, failures are clear."""

from __future__ import annotations

from playbook_runner import run_playbook

ORDER = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: fault-order
        addons: {nodes: 1}
        timeout: {timeout}
      ignore_errors: true
"""

PROLONG = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: renew
      ispsystem.billmanager.isp_license_prolong:
        id: 103
        period: 12
        force: true
      ignore_errors: true
"""

INFO = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: list
      ispsystem.billmanager.isp_license_info:
      ignore_errors: true
"""


def _licenses(emulator, comment):
    return [lic for lic in emulator.snapshot()["licenses"] if lic["comment"] == comment]


def _balance(emulator):
    return emulator.snapshot()["users"]["demo"]["balance"]


def _result(result, task):
    """("failed" | "changed" | "ok", the task's result)."""
    records = [record for record in result.tasks if record["task"] == task]
    assert len(records) == 1, result.describe()
    return records[0]["status"], records[0]["result"]


def test_an_order_that_commits_but_answers_too_late_is_one_license(emulator, tmp_path):
    emulator.add_fault(func="platform.order.param", kind="timeout", seconds=4)
    result = run_playbook(ORDER.replace("{timeout}", "2"), emulator, tmp_path=tmp_path)
    status, task = _result(result, "order")
    assert status == "changed", task
    assert task["license"]["comment"] == "fault-order"
    assert len(_licenses(emulator, "fault-order")) == 1
    assert _balance(emulator) == "485.00"
    rerun = run_playbook(ORDER.replace("{timeout}", "30"), emulator, tmp_path=tmp_path / "rerun")
    assert _result(rerun, "order")[0] == "ok"
    assert len(_licenses(emulator, "fault-order")) == 1
    assert _balance(emulator) == "485.00"


def test_a_proxy_page_instead_of_the_order_answer_fails_clearly_and_the_rerun_orders_once(emulator, tmp_path):
    emulator.add_fault(func="platform.order.param", kind="html_200")
    result = run_playbook(ORDER.replace("{timeout}", "30"), emulator, tmp_path=tmp_path)
    status, task = _result(result, "order")
    assert status == "failed"
    assert "not valid XML" in task["msg"] or "instead of <doc>" in task["msg"]
    assert "check the account" in task["msg"]
    assert task["calls_completed"] == 0
    assert not _licenses(emulator, "fault-order")
    assert _balance(emulator) == "500.00"
    rerun = run_playbook(ORDER.replace("{timeout}", "30"), emulator, tmp_path=tmp_path / "rerun")
    assert _result(rerun, "order")[0] == "changed"
    assert len(_licenses(emulator, "fault-order")) == 1
    assert _balance(emulator) == "485.00"


def test_broken_renewal_answers_never_charge_twice(emulator, tmp_path):
    before = _balance(emulator)
    for number, kind in enumerate(("malformed", "truncated", "reset")):
        emulator.add_fault(func="service.prolong", kind=kind)
        result = run_playbook(PROLONG, emulator, tmp_path=tmp_path / str(number))
        status, task = _result(result, "renew")
        assert status == "failed", (kind, task)
        assert "may or may not have happened" in task["msg"]
        assert task["periods"] == 0
        assert _balance(emulator) == before  # these faults execute nothing
    prolongs = [entry for entry in emulator.log_entries() if entry["func"] == "service.prolong"]
    assert len(prolongs) == 3  # one request per run: never re-sent


def test_reads_recover_from_429_502_and_reset(emulator, tmp_path):
    emulator.add_fault(func="platform", kind="rate_limit", retry_after=1)
    emulator.add_fault(func="platform", kind="http_error", status=502)
    emulator.add_fault(func="platform", kind="reset")
    result = run_playbook(INFO, emulator, tmp_path=tmp_path)
    status, task = _result(result, "list")
    assert status == "ok", task
    assert len(task["licenses"]) == 3
    assert [entry["func"] for entry in emulator.log_entries()] == ["platform"] * 4


def test_a_server_that_is_down_is_a_clear_error(emulator, tmp_path):
    emulator.stop()
    result = run_playbook(INFO.replace("isp_license_info:", "isp_license_info:\n        timeout: 1"), emulator, tmp_path=tmp_path)
    status, task = _result(result, "list")
    assert status == "failed"
    assert "connection to" in task["msg"] and "failed" in task["msg"]
    assert "demo-secret" not in result.stdout


def test_an_order_the_server_commits_after_the_client_gave_up_is_found_and_bought_once(emulator, tmp_path):
    """Issue 9: a slow server commits the order 6 s after receiving it; the client times out after 3 s.

    Before, the task failed at once and a rerun started right away found nothing yet and bought a second license.
    Now the module reads the account again for up to confirm_timeout seconds, finds the license, and succeeds.
    """
    emulator.add_fault(func="platform.order.param", kind="latency", seconds=6)
    result = run_playbook(ORDER.replace("{timeout}", "3"), emulator, tmp_path=tmp_path, env={"BILLMGR_CONFIRM_TIMEOUT": "30"})
    status, task = _result(result, "order")
    assert status == "changed", task
    assert task["license"]["comment"] == "fault-order"
    assert len(_licenses(emulator, "fault-order")) == 1
    rerun = run_playbook(ORDER.replace("{timeout}", "30"), emulator, tmp_path=tmp_path / "rerun")
    assert _result(rerun, "order")[0] == "ok"
    assert len(_licenses(emulator, "fault-order")) == 1
    assert _balance(emulator) == "485.00"
    orders = [entry for entry in emulator.log_entries() if entry["func"] == "platform.order.param"]
    assert len(orders) == 1


def test_a_lost_order_answer_not_confirmed_says_an_order_may_have_happened(emulator, tmp_path):
    """Issue 9: the failure said only "no answer"; it must say changed and what to check."""
    emulator.add_fault(func="platform.order.param", kind="reset")
    result = run_playbook(ORDER.replace("{timeout}", "30"), emulator, tmp_path=tmp_path, env={"BILLMGR_CONFIRM_TIMEOUT": "2"})
    status, task = _result(result, "order")
    assert status == "failed"
    assert task["changed"] is True
    assert "Sent before the failure: platform.order.param (outcome unknown)" in task["msg"]
    assert "Check the license in the account (isp_license_info) before rerunning" in task["msg"]
