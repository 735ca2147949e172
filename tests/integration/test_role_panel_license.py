# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role ispsystem.billmanager.panel_license applied to an inventory of several panel hosts.

Each test starts a fresh emulator and runs real ansible-playbook processes with its own inventory:
panel hosts use the local connection, and each keeps its fact file in its own temporary directory.
What the role did is proven from the emulator's request log and state, not only from the task results.
The API work of a run is one isp_licenses task (run once, on the controller) for every panel host of the play.
"""

from __future__ import annotations

import copy
import getpass
import json
import os
import sys
from pathlib import Path

import pytest

from playbook_runner import PlaybookResult, playbook_env, require_collection, run_playbook

ROLE = "ispsystem.billmanager.panel_license"
FLEET_TASK = "Order, resize, renew, suspend, resume or delete the licenses of the play batch, in one task"
TODAY = "2026-11-27"
PLAY = """---
- name: License the panel hosts
  hosts: panels
  gather_facts: false
  roles:
    - ispsystem.billmanager.panel_license
"""
PLAY_WITH_MODULE_DEFAULTS = """---
- name: License the panel hosts, credentials from module_defaults
  hosts: panels
  gather_facts: false
  module_defaults:
    group/ispsystem.billmanager.billmanager:
      api_user: demo
      api_password: demo-secret
  roles:
    - ispsystem.billmanager.panel_license
"""

NODES, VMS, SERVERS = "55165", "55164", "55171"
ORDER_ALL_THREE = {"panel_license_max_orders": 3}


def seed(*licenses, balance="1000.00"):
    return {
        "today": TODAY,
        "users": [{"name": "demo", "password": "demo-secret", "balance": balance}],
        "licenses": list(licenses),
        "next_id": 1000,
    }


def seeded_license(license_id, comment, pricelist=55163, addons=None, expiredate="2027-01-27", status=2, period=1,
                   **fields):
    return dict({"id": license_id, "user": "demo", "pricelist": pricelist, "period": period, "comment": comment,
                 "addons": addons or {}, "status": status, "createdate": "2026-10-27", "expiredate": expiredate,
                 "autoprolong": None}, **fields)


def inventory(facts_dir: Path, nodes=3, panels=("vm-fra1", "vm-ams1", "dci-fra"), panel_vars=None):
    """A 3-node VMmanager 6 cluster (vm-fra1), a VMmanager 6 sized by numbers (vm-ams1), a DCImanager 6 location."""
    hosts = {
        "vm-fra1": {"panel_license_product": "vmmanager6", "panel_license_nodes_group": "fra1_nodes",
                    "panel_license_vms_hostvar": "planned_vms", "panel_license_vms_headroom_percent": 20,
                    "panel_license_vms_step": 10},
        "vm-ams1": {"panel_license_product": "vmmanager6", "panel_license_nodes": 2, "panel_license_vms": 35},
        "dci-fra": {"panel_license_product": "dcimanager6", "panel_license_dci_units_group": "fra_servers",
                    "panel_license_dci_units_addon_id": int(SERVERS), "panel_license_dci_units_step": 5},
    }
    chosen = {}
    for name in panels:
        chosen[name] = dict(hosts.get(name, {}), **((panel_vars or {}).get(name, {})))
    return {
        "all": {
            "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                     "panel_license_fact_dir": str(facts_dir) + "/{{ inventory_hostname }}",
                     "panel_license_key_file": str(facts_dir) + "/{{ inventory_hostname }}/license.key",
                     "panel_license_key_owner": getpass.getuser()},
            "children": {
                "panels": {"hosts": chosen},
                "fra1_nodes": {"hosts": dict(("fra1-node%d" % i, {"planned_vms": 40 if i < 3 else 20})
                                             for i in range(1, nodes + 1))},
                "fra_servers": {"hosts": dict(("srv%02d" % i, {}) for i in range(1, 13))},
            },
        }
    }


class RoleRun(PlaybookResult):
    """A run of the role: task results by short task name, the facts of each host, the one isp_licenses task."""

    def role_results(self, task_name, host):
        wanted = "%s : %s" % (ROLE, task_name)
        return [r["result"] for r in self.tasks if r["host"] == host and (r["task"] == wanted or r["task"] == task_name)]

    def result_of(self, task_name, host):
        found = self.role_results(task_name, host)
        assert len(found) == 1, "task %r ran %d times on %s\n%s" % (task_name, len(found), host, self.describe())
        return found[0]

    def fleet(self):
        """The result of the one isp_licenses task of the run (run once, on the first panel host of the batch)."""
        found = [r for r in self.tasks if r["action"] == "ispsystem.billmanager.isp_licenses"]
        assert len(found) == 1, "isp_licenses ran %d times\n%s" % (len(found), self.describe())
        assert found[0]["task"] == "%s : %s" % (ROLE, FLEET_TASK)
        return found[0]["result"]

    def entry(self, host):
        """The isp_licenses result of the license of ``host``."""
        found = [item for item in self.fleet()["results"] if item["name"] == host]
        assert len(found) == 1, self.fleet()
        return found[0]

    def summary(self, host):
        return self.result_of("Report the license of the panel host", host)["msg"]

    def license_fact(self, host):
        return self.result_of("Set the panel_license host fact", host)["ansible_facts"]["panel_license"]

    def changed_tasks(self):
        return [(r["host"], r["task"]) for r in self.tasks if r["result"].get("changed")]

    def failures(self):
        return dict((r["host"], r["result"].get("msg", "")) for r in self.tasks if r["status"] == "failed")


def run_role(emulator, tmp_path: Path, inv: dict, name: str, check=False, diff=False, extra_vars=None, play=PLAY,
             env=None) -> RoleRun:
    """ansible-playbook ``play`` with ``inv`` against ``emulator`` (credentials from the BILLMGR_* environment)."""
    result = run_playbook(play, emulator, extra_vars=extra_vars, check=check, diff=diff, env=env, tmp_path=tmp_path / name,
                          inventory=inv)
    return RoleRun(rc=result.rc, stdout=result.stdout, stderr=result.stderr, cmd=result.cmd, tasks=result.tasks)


def take_log(emulator):
    """The request log since the last call, then cleared."""
    with emulator.lock:
        entries = [dict(entry) for entry in emulator.log]
        del emulator.log[:]
    return entries


def writes(entries):
    """(func, params without func/out/authinfo/lang) of every write in the log."""
    return [(entry["func"], dict((key, value) for key, value in entry["params"].items()
                                 if key not in ("func", "out", "authinfo", "lang")))
            for entry in entries if entry["write"]]


def reads(entries):
    """(func, elid or page) of every read in the log."""
    return [(entry["func"], entry["params"].get("elid") or entry["params"].get("p_num")) for entry in entries
            if not entry["write"]]


def licenses_by_comment(emulator):
    return dict((item["comment"], item) for item in emulator.snapshot()["licenses"] if item["status"] != 4)


def fact_file(facts_dir: Path, host: str) -> Path:
    return facts_dir / host / "panel_license.fact"


def stored_id(facts_dir: Path, host: str):
    return json.loads(fact_file(facts_dir, host).read_text(encoding="utf-8"))["id"]


@pytest.fixture
def facts_dir(tmp_path):
    path = tmp_path / "facts"
    path.mkdir()
    return path


def test_check_mode_then_order_then_idempotent_rerun(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir)

    # Check mode: every host reports the order it would place; nothing is written anywhere.
    run = run_role(emulator, tmp_path, inv, "check", check=True, diff=True, extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert emulator.snapshot()["licenses"] == []
    assert not list(facts_dir.iterdir())
    fleet = run.fleet()
    assert fleet["changed"] is True
    assert fleet["summary"]["orders"] == 3
    order = run.entry("vm-fra1")
    assert [call["func"] for call in order["calls"]] == ["platform.order.param"]
    assert order["calls"][0]["params"]["addon_%s" % NODES] == 3
    assert order["calls"][0]["params"]["addon_%s" % VMS] == 120  # 3 nodes: 40 + 40 + 20 VMs, +20 %, step 10
    diff = dict((item["after_header"], item) for item in fleet["diff"])["vm-fra1"]
    assert diff["before"] == {} and diff["after"]["addons"] == {"nodes": 3, "vms": 120}
    assert run.license_fact("vm-fra1")["id"] is None  # predicted: the license that would be ordered
    assert "would change: ordered (check mode, nothing written)" in run.summary("vm-fra1")
    assert run.summary("dci-fra").startswith('dci-fra: license (new) dcimanager6 active "dci-fra" units=15 expires ')

    # First run: one correctly sized order per panel host, and the license id kept on each host.
    run = run_role(emulator, tmp_path, inv, "order", extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    funcs = [func for func, _params in writes(take_log(emulator))]
    assert sorted(funcs) == ["platform.order.param"] * 3
    by_comment = licenses_by_comment(emulator)
    assert by_comment["vm-fra1"]["addons"] == {NODES: 3, VMS: 120}
    assert by_comment["vm-ams1"]["addons"] == {NODES: 2, VMS: 35}
    assert by_comment["dci-fra"]["addons"] == {SERVERS: 15}  # 12 servers, step 5
    assert by_comment["dci-fra"]["pricelist"] == 55161
    for host in ("vm-fra1", "vm-ams1", "dci-fra"):
        assert stored_id(facts_dir, host) == by_comment[host]["id"]
        assert run.license_fact(host)["id"] == by_comment[host]["id"]
        assert run.license_fact(host)["status"] == "active"
    new_id = by_comment["vm-fra1"]["id"]
    assert run.summary("vm-fra1") == (
        'vm-fra1: license %s vmmanager6 active "vm-fra1" nodes=3, vms=120 expires 2026-12-27 (30 days); changed: ordered, '
        'license id %s kept in %s, license key written to %s' % (
            new_id, new_id, fact_file(facts_dir, "vm-fra1"), facts_dir / "vm-fra1" / "license.key"))
    assert ("vm-fra1", "%s : Report the license of the panel host" % ROLE) in run.changed_tasks()

    # Second run: reads only, each license read by its id (no list of the account), nothing changed.
    run = run_role(emulator, tmp_path, inv, "rerun")
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert writes(log) == []
    assert sorted(reads(log)) == sorted(("platform.edit", "%s" % item["id"]) for item in by_comment.values())
    assert run.changed_tasks() == []
    assert run.fleet()["summary"]["unchanged"] == 3
    assert run.summary("vm-ams1").endswith("; no change")


def test_grow_with_the_group_and_never_shrink_unless_allowed(emulator_factory, tmp_path, facts_dir):
    # An existing license is found by its comment (the inventory hostname) on the first run and adopted.
    emulator = emulator_factory(seed=seed(seeded_license(500, "vm-fra1", addons={NODES: 3, VMS: 120})))
    panels = ("vm-fra1",)

    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=3, panels=panels), "adopt")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert stored_id(facts_dir, "vm-fra1") == 500
    assert run.summary("vm-fra1").endswith("changed: license id 500 kept in %s, license key written to %s" % (
        fact_file(facts_dir, "vm-fra1"), facts_dir / "vm-fra1" / "license.key"))
    old_cost = run.license_fact("vm-fra1")["cost"]
    assert old_cost == 37.0

    # A fourth node joins the group. Check mode predicts the new addons, and no cost: the new price is not known
    # before the API shows it (issue 9: it predicted the old cost).
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=4, panels=panels), "grow-check", check=True)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    predicted = run.license_fact("vm-fra1")
    assert predicted["addons"] == {"nodes": 4, "vms": 150}
    assert predicted["cost"] is None
    assert "would change: nodes 3->4, vms 120->150 (check mode, nothing written)" in run.summary("vm-fra1")

    # The real run: one platform.edit raises the nodes addon (and the VMs the new node plans).
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=4, panels=panels), "grow")
    assert run.rc == 0, run.describe()
    grown = {"elid": "500", "addon_%s" % NODES: "4", "addon_%s" % VMS: "150", "sok": "ok"}
    assert writes(take_log(emulator)) == [("platform.edit", grown)]
    assert "changed: nodes 3->4, vms 120->150" in run.summary("vm-fra1")
    assert run.license_fact("vm-fra1")["cost"] == float(licenses_by_comment(emulator)["vm-fra1"]["cost"]) == 45.0

    # Two nodes leave: nothing is lowered, and the summary says why.
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=2, panels=panels), "shrink-refused")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    line = run.summary("vm-fra1")
    assert "; no change; note: " in line
    assert "nodes kept at the current 4 (wanted 2; shrinking is not allowed)" in line
    assert "vms kept at the current 150 (wanted 100; shrinking is not allowed)" in line

    # Shrinking allowed: check mode shows the edit, the real run makes it.
    allowed = {"panel_license_allow_shrink": True}
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=2, panels=panels), "shrink-check", check=True,
                   extra_vars=allowed)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert run.entry("vm-fra1")["calls"] == [
        {"func": "platform.edit", "params": {"elid": 500, "addon_%s" % NODES: 2, "addon_%s" % VMS: 100, "sok": "ok"}}]
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=2, panels=panels), "shrink", extra_vars=allowed)
    assert run.rc == 0, run.describe()
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.edit"]
    assert licenses_by_comment(emulator)["vm-fra1"]["addons"] == {NODES: 2, VMS: 100}


def test_renew_suspend_and_decommission(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed(seeded_license(600, "vm-ams1", addons={NODES: 2, VMS: 35}, expiredate="2026-12-02")))
    inv = inventory(facts_dir, panels=("vm-ams1",))

    # 5 days left, fewer than the default 14: one monthly renewal, nothing else.
    run = run_role(emulator, tmp_path, inv, "renew")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == [("service.prolong", {"elid": "600", "period": "1", "sok": "ok"})]
    assert licenses_by_comment(emulator)["vm-ams1"]["expiredate"] == "2027-01-02"
    assert "changed: renewed 1 period, license id 600 kept in" in run.summary("vm-ams1")

    run = run_role(emulator, tmp_path, inv, "suspend", extra_vars={"panel_license_state": "suspended"})
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == [("platform.suspend", {"elid": "600"})]
    assert run.license_fact("vm-ams1")["status"] == "suspended"

    # Check mode of the deletion: the call is reported, the license and the fact file stay.
    run = run_role(emulator, tmp_path, inv, "delete-check", check=True, extra_vars={"panel_license_state": "absent"})
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert fact_file(facts_dir, "vm-ams1").is_file()
    assert "would change: deleted" in run.summary("vm-ams1")

    run = run_role(emulator, tmp_path, inv, "delete", extra_vars={"panel_license_state": "absent"})
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == [("platform.delete", {"elid": "600"})]
    assert not fact_file(facts_dir, "vm-ams1").exists()
    assert "changed: deleted, %s removed" % fact_file(facts_dir, "vm-ams1") in run.summary("vm-ams1")

    run = run_role(emulator, tmp_path, inv, "delete-again", extra_vars={"panel_license_state": "absent"})
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert run.summary("vm-ams1") == "vm-ams1: no license; no change"
    assert run.license_fact("vm-ams1") is None


RENEWED = ("service.prolong", {"elid": "610", "period": "1", "sok": "ok"})
SUSPENDED = {
    # Suspended by its owner with 8 paid days left: resumed first, then renewed from its expiry (2026-12-05).
    "by-owner": ({"suspend_reason": "user", "expiredate": "2026-12-05"}, [("platform.resume", {"elid": "610"}), RENEWED],
                 "2027-01-05", "resumed, renewed 1 period"),
    # Suspended because it expired: renewed from today, which reactivates it.
    "expired": ({"suspend_reason": "expired", "expiredate": "2026-11-20"}, [RENEWED], "2026-12-27", "renewed 1 period"),
}


@pytest.mark.parametrize("case", sorted(SUSPENDED))
def test_a_suspended_license_is_renewed_without_paid_days_lost_as_check_mode_says(emulator_factory, tmp_path, facts_dir,
                                                                                  case):
    """Issue 9: the role renewed a license its owner suspended before resuming it, so the renewal counted from today
    and threw the paid days away; its check mode failed on a license suspended because it expired, while the real run
    renewed it; and the check-mode summary and fact ignored the renewal's new expiry."""
    fields, expected_writes, expiry, words = SUSPENDED[case]
    emulator = emulator_factory(seed=seed(seeded_license(610, "vm-ams1", addons={NODES: 2, VMS: 35}, status=3, **fields)))
    inv = inventory(facts_dir, panels=("vm-ams1",))

    run = run_role(emulator, tmp_path, inv, "check", check=True)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    predicted = run.license_fact("vm-ams1")
    assert (predicted["status"], predicted["expiredate"]) == ("active", expiry)
    assert run.summary("vm-ams1").startswith(
        'vm-ams1: license 610 vmmanager6 active "vm-ams1" nodes=2, vms=35 expires %s (%d days); would change: %s, '
        % (expiry, predicted["days_left"], words))

    run = run_role(emulator, tmp_path, inv, "real")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == expected_writes
    license_now = licenses_by_comment(emulator)["vm-ams1"]
    assert (license_now["status"], license_now["expiredate"]) == (2, expiry)
    assert run.license_fact("vm-ams1")["expiredate"] == expiry
    assert "changed: %s, license id 610 kept in" % words in run.summary("vm-ams1")


def test_a_stored_id_that_no_longer_exists_fails_and_orders_nothing(emulator_factory, tmp_path, facts_dir):
    # vm-fra1 keeps an id that is not in the account; vm-ams1 the id of a license deleted since (another, live license
    # now carries its comment).
    emulator = emulator_factory(seed=seed(seeded_license(700, "vm-fra1", addons={NODES: 3, VMS: 120}),
                                          seeded_license(701, "vm-ams1", status=4, expiredate="2026-11-01"),
                                          seeded_license(702, "vm-ams1", addons={NODES: 2, VMS: 35})))
    stale, deleted = fact_file(facts_dir, "vm-fra1"), fact_file(facts_dir, "vm-ams1")
    for path, license_id, host in ((stale, 999999, "vm-fra1"), (deleted, 701, "vm-ams1")):
        path.parent.mkdir()
        path.write_text(json.dumps({"id": license_id, "product": "vmmanager6", "comment": host}), encoding="utf-8")
    inv = inventory(facts_dir, panels=("vm-fra1", "vm-ams1"))

    # Both problems are found before any write, and both hosts fail; each is told where its id came from.
    run = run_role(emulator, tmp_path, inv, "stale")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1"}
    for message in failures.values():
        assert message.startswith("2 of 2 licenses cannot be planned; nothing was written: ")
        assert "licenses[0] (vm-fra1): license id 999999 was not found in the account of this api_user" in message
        assert "licenses[1] (vm-ams1): license 701 is deleted and cannot be brought back" in message
    assert "The license id 999999 of vm-fra1 comes from %s on vm-fra1" % stale in failures["vm-fra1"]
    assert "remove %s from vm-fra1 and rerun" % stale in failures["vm-fra1"]
    assert "The license id 701 of vm-ams1 comes from %s on vm-ams1" % deleted in failures["vm-ams1"]
    assert "999999 of vm-fra1 comes from" not in failures["vm-ams1"]
    assert writes(take_log(emulator)) == []

    # The documented recovery: remove the fact files; the licenses are found again by their comments, nothing is
    # bought. (Credentials from module_defaults this time: they win over a wrong password in the environment.)
    stale.unlink()
    deleted.unlink()
    run = run_role(emulator, tmp_path, inv, "recovered", play=PLAY_WITH_MODULE_DEFAULTS,
                   env={"BILLMGR_API_USER": "nobody", "BILLMGR_API_PASSWORD": "wrong"})
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert writes(log) == [] and set(entry["user"] for entry in log) == {"demo"}
    assert (stored_id(facts_dir, "vm-fra1"), stored_id(facts_dir, "vm-ams1")) == (700, 702)


BAD_INPUT = {
    "bad-product": ({"panel_license_product": "ispmanager6"},
                    "panel_license_product must be one of: vmmanager6, dcimanager6, got: ispmanager6"),
    "bad-count-type": ({"panel_license_product": "vmmanager6", "panel_license_nodes": "many"},
                       "panel_license_nodes"),
    "negative-headroom": ({"panel_license_product": "vmmanager6", "panel_license_nodes": 2,
                           "panel_license_nodes_headroom_percent": -5},
                          "panel_license_nodes_headroom_percent must be >= 0 (a headroom adds, it never removes), got -5"),
    "step-zero": ({"panel_license_product": "vmmanager6", "panel_license_vms": 10, "panel_license_vms_step": 0},
                  "panel_license_vms_step must be >= 1 (1 means no rounding"),
    "min-above-max": ({"panel_license_product": "vmmanager6", "panel_license_vms": 10, "panel_license_vms_min": 20,
                       "panel_license_vms_max": 10},
                      "panel_license_vms_min (20) is above panel_license_vms_max (10); lower the minimum or raise the maximum"),
    "dci-without-addon-id": ({"panel_license_product": "dcimanager6", "panel_license_dci_units": 10},
                             "panel_license_dci_units: sizing this addon needs panel_license_dci_units_addon_id. "
                             "DCImanager 6 addon ids are not published"),
    "two-node-sources": ({"panel_license_product": "vmmanager6", "panel_license_nodes": 2,
                          "panel_license_nodes_group": "fra1_nodes"},
                         "Set one of panel_license_nodes (a number) or panel_license_nodes_group"),
    "unknown-group": ({"panel_license_product": "vmmanager6", "panel_license_nodes_group": "fra9_nodes"},
                      "panel_license_nodes_group: the group fra9_nodes is not in the inventory"),
    "vms-hostvar-without-group": ({"panel_license_product": "vmmanager6", "panel_license_vms_hostvar": "planned_vms"},
                                  "panel_license_vms_hostvar needs a group to sum it over"),
    "wrong-product-vars": ({"panel_license_product": "vmmanager6", "panel_license_dci_units": 3},
                           "panel_license_dci_units cannot size a vmmanager6 license"),
    "missing-hostvar": ({"panel_license_product": "vmmanager6", "panel_license_vms_hostvar": "planned_ram",
                         "panel_license_vms_group": "fra1_nodes"},
                        "panel_license_vms: planned_ram not set on host(s) fra1-node1, fra1-node2, fra1-node3"),
    # Issue 9: these passed the role's checks.
    "renew-max-periods-zero": ({"panel_license_product": "vmmanager6", "panel_license_renew_max_periods": 0},
                               "panel_license_renew_max_periods must be a whole number >= 1, got 0"),
    "renew-min-days-negative": ({"panel_license_product": "vmmanager6", "panel_license_renew_min_days_left": -1},
                                "panel_license_renew_min_days_left must be a whole number >= 0, got -1"),
    "max-orders-negative": ({"panel_license_product": "vmmanager6", "panel_license_max_orders": -1},
                            "panel_license_max_orders must be a whole number >= 0, got -1"),
    "max-renewals-null": ({"panel_license_product": "vmmanager6", "panel_license_max_renewals": None},
                          "argument 'panel_license_max_renewals' is of type NoneType"),
}


def test_bad_input_fails_before_any_request_and_says_what_to_fix(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir, panels=())
    panels = inv["all"]["children"]["panels"]["hosts"]
    for host, (host_vars, _message) in BAD_INPUT.items():
        panels[host] = copy.deepcopy(host_vars)

    run = run_role(emulator, tmp_path, inv, "bad-input")
    assert run.rc != 0
    failures = run.failures()
    for host, (_host_vars, message) in BAD_INPUT.items():
        assert host in failures, "%s did not fail\n%s" % (host, run.describe())
        assert message in failures[host], "%s: %r not in %r" % (host, message, failures[host])
    assert take_log(emulator) == []
    assert not list(facts_dir.iterdir())
    assert not [r for r in run.tasks if r["action"] == "ispsystem.billmanager.isp_licenses"]


def test_one_bad_host_does_not_stop_the_others_before_the_api(emulator_factory, tmp_path, facts_dir):
    """A host whose variables are wrong fails alone; the others are licensed in the one task."""
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir, panels=("vm-fra1", "vm-ams1"),
                    panel_vars={"vm-ams1": {"panel_license_renew_max_periods": 0}})
    run = run_role(emulator, tmp_path, inv, "one-bad")
    assert run.rc != 0
    assert set(run.failures()) == {"vm-ams1"}
    assert [item["name"] for item in run.fleet()["results"]] == ["vm-fra1"]
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"]
    assert set(licenses_by_comment(emulator)) == {"vm-fra1"}


def test_spend_limits_refuse_before_any_write(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed(seeded_license(630, "vm-fra1", addons={NODES: 3, VMS: 120}, expiredate="2026-12-01"),
                                          seeded_license(631, "vm-ams1", addons={NODES: 2, VMS: 35}, expiredate="2026-12-03")))

    # Three new licenses, and the default panel_license_max_orders of 1: every host fails, nothing is bought.
    inv = inventory(facts_dir, panels=("vm-new1", "vm-new2", "vm-new3"),
                    panel_vars=dict(("vm-new%d" % i, {"panel_license_product": "vmmanager6"}) for i in (1, 2, 3)))
    run = run_role(emulator, tmp_path, inv, "max-orders")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-new1", "vm-new2", "vm-new3"}
    for message in failures.values():
        assert "the plan orders 3 license(s), more than max_orders=1; nothing was written" in message
        assert "licenses[2] (vm-new3) 55163 comment 'vm-new3'" in message
        assert "Raise max_orders if these orders are meant" in message
        assert message.endswith("(set by: panel_license_max_orders)")
    assert writes(take_log(emulator)) == []
    assert not list(facts_dir.iterdir())

    # Two renewals due, and panel_license_max_renewals 1: refused the same way.
    inv = inventory(facts_dir, panels=("vm-fra1", "vm-ams1"))
    run = run_role(emulator, tmp_path, inv, "max-renewals", extra_vars={"panel_license_max_renewals": 1})
    assert run.rc != 0
    message = run.failures()["vm-ams1"]
    assert "the plan buys 2 renewal period(s), more than max_renewals=1; nothing was written" in message
    assert message.endswith("(set by: panel_license_max_renewals)")
    assert "licenses[0] (vm-fra1) license 630 1 x 1 month(s); licenses[1] (vm-ams1) license 631 1 x 1 month(s)" in message
    assert writes(take_log(emulator)) == []
    assert [item["expiredate"] for item in emulator.snapshot()["licenses"]] == ["2026-12-01", "2026-12-03"]

    # The limits are fleet-wide: hosts of one batch with different values fail before any request.
    inv = inventory(facts_dir, panels=("vm-fra1", "vm-ams1", "dci-fra"),
                    panel_vars={"vm-fra1": {"panel_license_max_orders": 3}})
    run = run_role(emulator, tmp_path, inv, "different-limits")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1", "dci-fra"}
    assert "panel_license_max_orders is 3 on vm-fra1; 1 on vm-ams1, dci-fra." in failures["dci-fra"]
    assert take_log(emulator) == []


def test_a_failed_license_fails_its_host_only_and_the_others_are_reported(emulator_factory, tmp_path, facts_dir):
    # vm-fra1's license costs 37.00 a month, vm-ams1's 23.50: the balance pays the first order only.
    emulator = emulator_factory(seed=seed(balance="40.00"))
    inv = inventory(facts_dir)

    run = run_role(emulator, tmp_path, inv, "short-of-money", extra_vars=ORDER_ALL_THREE)
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-ams1", "dci-fra"}
    assert "Insufficient funds: the balance is 3.00 EUR, the cost is 23.50 EUR" in failures["vm-ams1"]
    assert "(calls sent: platform.order.param: refused)" in failures["vm-ams1"]
    # A refusal of the API fails that license alone: dci-fra's order is still tried (and refused too).
    assert "Insufficient funds: the balance is 3.00 EUR" in failures["dci-fra"]
    # vm-fra1 is licensed and reported, its id kept; the others have no license and no fact file.
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"] * 3
    new_id = licenses_by_comment(emulator)["vm-fra1"]["id"]
    assert stored_id(facts_dir, "vm-fra1") == new_id
    assert "changed: ordered, license id %s kept in" % new_id in run.summary("vm-fra1")
    assert set(licenses_by_comment(emulator)) == {"vm-fra1"}
    assert not fact_file(facts_dir, "vm-ams1").exists() and not fact_file(facts_dir, "dci-fra").exists()

    # Money added: the rerun orders the two others and leaves vm-fra1 as it is.
    emulator.set_balance("demo", "100.00")
    run = run_role(emulator, tmp_path, inv, "paid", extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"] * 2
    assert run.summary("vm-fra1").endswith("; no change")
    assert set(licenses_by_comment(emulator)) == {"vm-fra1", "vm-ams1", "dci-fra"}


def test_a_lost_answer_stops_the_batch_and_the_later_hosts_say_they_were_not_tried(emulator_factory, tmp_path, facts_dir):
    """Not a refusal: the server did not answer the first order. Nothing more is sent; every host fails, saying why."""
    emulator = emulator_factory(seed=seed())
    emulator.add_fault(func="platform.order.param", kind="reset", skip=3)  # skip: the 3 order forms, read for prices
    run = run_role(emulator, tmp_path, inventory(facts_dir), "lost", extra_vars=ORDER_ALL_THREE,
                   env={"BILLMGR_CONFIRM_TIMEOUT": "1"})
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1", "dci-fra"}
    assert "(calls sent: platform.order.param: unknown)" in failures["vm-fra1"]
    assert failures["vm-ams1"].startswith("The license of vm-ams1 was not tried")
    assert failures["dci-fra"].startswith("The license of dci-fra was not tried")
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"]


FLEET = 21  # more than 20 hosts: isp_licenses reads the list instead of each license by id


def fleet_inventory(facts_dir: Path):
    inv = inventory(facts_dir, panels=())
    inv["all"]["children"]["panels"]["hosts"] = dict(
        ("vm-%02d" % number, {"panel_license_product": "vmmanager6", "panel_license_nodes": 1 + number % 3,
                              "panel_license_vms": 10 * number}) for number in range(1, FLEET + 1))
    return inv


def test_a_fleet_is_one_list_read_not_one_per_host(emulator_factory, tmp_path, facts_dir):
    """Issue 10: the role on many panel hosts makes O(hosts) requests in total, never one account listing per host.
    (A server whose list shows the addon values makes the no-op run one request: the module's unit tests show it.)"""
    emulator = emulator_factory(seed=seed(balance="10000.00"))
    inv = fleet_inventory(facts_dir)
    fast = {"ANSIBLE_FORKS": "10"}

    # First run: one list (the order gate), the order form of each order (its price), the orders, one list after them,
    # one read of each new license; then, per host, one read of its license for the key file (issue 15).
    run = run_role(emulator, tmp_path, inv, "order", extra_vars={"panel_license_max_orders": FLEET}, env=fast)
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert [func for func, _params in writes(log)] == ["platform.order.param"] * FLEET
    assert [read for read in reads(log) if read[0] == "platform"] == [("platform", "1"), ("platform", "1")]
    assert len([read for read in reads(log) if read[0] == "platform.order.param"]) == FLEET  # the order forms
    assert len([read for read in reads(log) if read[0] == "platform.edit"]) == 2 * FLEET  # read back, and the keys
    assert len(log) == 4 * FLEET + 2
    assert run.fleet()["api_requests"] == 3 * FLEET + 2

    # No-op rerun, every license known by its stored id: one page of the list, and one read of each license for its
    # addon values (this server's list does not show them). No write.
    run = run_role(emulator, tmp_path, inv, "rerun", env=fast)
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert writes(log) == []
    assert [read for read in reads(log) if read[0] == "platform"] == [("platform", "1")]
    assert sorted(read for read in reads(log) if read[0] == "platform.edit") == sorted(
        ("platform.edit", "%s" % stored_id(facts_dir, "vm-%02d" % number)) for number in range(1, FLEET + 1))
    assert len(log) == FLEET + 1
    assert run.changed_tasks() == []


ROLE_VARIANTS = {
    "small-pages-no-totals": {"list_page_max": 2, "list_totals": False},
    "all-at-once": {"list_page_max": 2, "list_totals": False, "list_comment": False, "status_form": "orig",
                    "account_lang": "ru", "not_found_error": "missed_item"},
}


@pytest.mark.parametrize("variant", sorted(ROLE_VARIANTS), ids=sorted(ROLE_VARIANTS))
def test_the_role_against_a_server_variant_orders_once(variant, emulator_factory, tmp_path, facts_dir):
    """Issue 8: the role under each server variant that changes how the account is read (pages without totals, rows
    without a comment cell, localised status): the first run orders what is missing, the second (licenses by comment,
    the fact files removed, as on a fresh controller and fresh hosts) and the third (by stored id) buy nothing."""
    others = [seeded_license(300 + number, "other-%d" % number, addons={NODES: 1}) for number in range(5)]
    emulator = emulator_factory(seed=dict(seed(*others), config=ROLE_VARIANTS[variant]))
    inv = inventory(facts_dir)
    run = run_role(emulator, tmp_path, inv, "order", extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    assert sorted(func for func, _params in writes(take_log(emulator))) == ["platform.order.param"] * 3
    for host in ("vm-fra1", "vm-ams1", "dci-fra"):
        fact_file(facts_dir, host).unlink()
    run = run_role(emulator, tmp_path, inv, "by-comment", extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert run.fleet()["summary"]["unchanged"] == 3
    run = run_role(emulator, tmp_path, inv, "by-id", extra_vars=ORDER_ALL_THREE)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert [charge["func"] for charge in emulator.snapshot()["charges"]] == ["platform.order.param"] * 3
    assert len(licenses_by_comment(emulator)) == 3 + len(others)


def test_the_key_file_of_a_new_panel_host_is_written_once_and_never_shown(emulator_factory, tmp_path, facts_dir):
    """Issue 15: the role on a new panel host orders its license, writes its key (mode 0600), and a rerun changes
    nothing; the key shows in no output at -vvvv and in no diff."""
    emulator = emulator_factory(seed=dict(seed(), config={"key_delay_requests": 0}))
    inv = inventory(facts_dir, panels=("vm-ams1",))
    first = run_playbook(PLAY, emulator, tmp_path=tmp_path / "first", inventory=inv, verbosity=4, diff=True)
    assert first.rc == 0, first.describe()
    (lic,) = emulator.snapshot()["licenses"]
    key_file = facts_dir / "vm-ams1" / "license.key"
    assert key_file.read_text(encoding="utf-8") == lic["lickey"] + "\n"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert lic["lickey"] not in first.stdout + first.stderr + json.dumps(first.tasks)
    take_log(emulator)
    rerun = run_playbook(PLAY, emulator, tmp_path=tmp_path / "rerun", inventory=inv, verbosity=4, diff=True)
    assert rerun.rc == 0, rerun.describe()
    assert RoleRun(rc=0, stdout='', stderr='', cmd=[], tasks=rerun.tasks).changed_tasks() == []
    assert [entry["params"].get("elid") for entry in take_log(emulator) if entry["func"] == "platform.edit"] == [
        "%s" % lic["id"]]  # the license read by id once: the key file is there and the license did not change
    assert lic["lickey"] not in rerun.stdout + rerun.stderr


def test_the_key_shows_in_no_event_of_an_ansible_runner_job(emulator_factory, tmp_path, facts_dir, monkeypatch):
    """Issue 15: as an AWX job (ansible-runner, -vvvv), the role writes the key of a new panel host; no job event and
    no line of the job's output holds the key."""
    import ansible_runner  # only this test needs it

    emulator = emulator_factory(seed=dict(seed(), config={"key_delay_requests": 0}))
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    private_data_dir = tmp_path / "job"
    (private_data_dir / "project").mkdir(parents=True)
    (private_data_dir / "project" / "site.yml").write_text(PLAY, encoding="utf-8")
    (private_data_dir / "inventory").mkdir()
    (private_data_dir / "inventory" / "hosts.json").write_text(
        json.dumps(inventory(facts_dir, panels=("vm-ams1",))), encoding="utf-8")
    job_env = playbook_env(emulator, require_collection(), tmp_path)
    for name in ("ANSIBLE_CALLBACK_PLUGINS", "ANSIBLE_CALLBACKS_ENABLED"):  # ansible-runner's own callback only
        job_env.pop(name)
    run = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="site.yml", envvars=job_env,
                             verbosity=4, quiet=True, timeout=300)
    stdout = run.stdout.read()
    assert (run.status, run.rc) == ("successful", 0), stdout[-4000:]
    (lic,) = emulator.snapshot()["licenses"]
    assert (facts_dir / "vm-ams1" / "license.key").read_text(encoding="utf-8") == lic["lickey"] + "\n"
    events = list(run.events)
    assert any(event["event"] == "runner_on_ok" for event in events)
    assert lic["lickey"] not in stdout
    assert lic["lickey"] not in json.dumps(events)


def test_awx_job_slices_make_one_bulk_call_each_and_hold_their_spend_limits_each(emulator_factory, tmp_path, facts_dir):
    """Issue 17: AWX job slicing runs the play once per slice, each over part of the hosts (here --limit over two
    halves): each slice makes one isp_licenses call for its hosts, and its spend limits hold for that slice."""
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir)
    limits = {"panel_license_max_orders": 2}  # the three hosts together would need 3
    runs = []
    for number, part in enumerate(("vm-fra1:vm-ams1", "dci-fra")):
        result = run_playbook(PLAY, emulator, extra_vars=limits, tmp_path=tmp_path / ("slice-%d" % number), inventory=inv,
                              limit=part)
        runs.append(RoleRun(rc=result.rc, stdout=result.stdout, stderr=result.stderr, cmd=result.cmd, tasks=result.tasks))
    for run, hosts in zip(runs, (["vm-fra1", "vm-ams1"], ["dci-fra"])):
        assert run.rc == 0, run.describe()
        assert sorted(entry["name"] for entry in run.fleet()["results"]) == sorted(hosts)  # one bulk call per slice
    assert sorted(licenses_by_comment(emulator)) == ["dci-fra", "vm-ams1", "vm-fra1"]
    fresh = tmp_path / "facts-whole"
    fresh.mkdir()
    whole = run_playbook(PLAY, emulator_factory(seed=seed()), extra_vars=limits, tmp_path=tmp_path / "whole",
                         inventory=inventory(fresh))
    assert whole.rc != 0 and "more than max_orders=2" in whole.stdout  # the whole inventory at once: 3 orders
