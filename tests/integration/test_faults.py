# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults around real playbook runs: reads recover, failures are clear. Every write under every fault, with a rerun, is
in test_fault_matrix.py."""

from __future__ import annotations

from playbook_runner import run_playbook

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


def _balance(emulator):
    return emulator.snapshot()["users"]["demo"]["balance"]


def _result(result, task):
    """("failed" | "changed" | "ok", the task's result)."""
    records = [record for record in result.tasks if record["task"] == task]
    assert len(records) == 1, result.describe()
    return records[0]["status"], records[0]["result"]


def test_a_truncated_renewal_answer_never_charges_and_is_not_sent_again(emulator, tmp_path):
    """The other broken answers, on every write, are in test_fault_matrix.py; ``force`` renews on every run."""
    emulator.add_fault(func="service.prolong", kind="truncated", skip=1)  # the prolong form is read first, for the price
    result = run_playbook(PROLONG, emulator, tmp_path=tmp_path, env={"BILLMGR_CONFIRM_TIMEOUT": "2"})
    status, task = _result(result, "renew")
    assert status == "failed", task
    assert "may or may not have happened" in task["msg"]
    assert task["periods"] == 0
    assert _balance(emulator) == "500.00"  # a truncated answer's fault executes nothing
    prolongs = [entry for entry in emulator.log_entries() if entry["func"] == "service.prolong" and entry["write"]]
    assert len(prolongs) == 1  # never re-sent


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
