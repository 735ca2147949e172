# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role ispsystem.billmanager.panel_license applied to an inventory of several panel hosts.

Each test starts a fresh emulator and runs real ansible-playbook processes with its own inventory:
panel hosts use the local connection, and each keeps its fact file in its own temporary directory.
What the role did is proven from the emulator's request log and state, not only from the task results.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest

from playbook_runner import PlaybookResult, run_playbook

ROLE = "ispsystem.billmanager.panel_license"
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


def seed(*licenses, balance="1000.00"):
    return {
        "today": TODAY,
        "users": [{"name": "demo", "password": "demo-secret", "balance": balance}],
        "licenses": list(licenses),
        "next_id": 1000,
    }


def seeded_license(license_id, comment, pricelist=55163, addons=None, expiredate="2027-01-27", status=2, period=1):
    return {"id": license_id, "user": "demo", "pricelist": pricelist, "period": period, "comment": comment,
            "addons": addons or {}, "status": status, "createdate": "2026-10-27", "expiredate": expiredate,
            "autoprolong": None}


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
                     "panel_license_fact_dir": str(facts_dir) + "/{{ inventory_hostname }}"},
            "children": {
                "panels": {"hosts": chosen},
                "fra1_nodes": {"hosts": dict(("fra1-node%d" % i, {"planned_vms": 40 if i < 3 else 20})
                                             for i in range(1, nodes + 1))},
                "fra_servers": {"hosts": dict(("srv%02d" % i, {}) for i in range(1, 13))},
            },
        }
    }


class RoleRun(PlaybookResult):
    """A run of the role: task results by short task name, the facts of each host."""

    def role_results(self, task_name, host):
        wanted = "%s : %s" % (ROLE, task_name)
        return [r["result"] for r in self.tasks if r["host"] == host and (r["task"] == wanted or r["task"] == task_name)]

    def result_of(self, task_name, host):
        found = self.role_results(task_name, host)
        assert len(found) == 1, "task %r ran %d times on %s\n%s" % (task_name, len(found), host, self.describe())
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
    """(func, params without func/out/authinfo) of every write in the log."""
    return [(entry["func"], dict((key, value) for key, value in entry["params"].items() if key not in ("func", "out", "authinfo")))
            for entry in entries if entry["write"]]


def licenses_by_comment(emulator):
    return dict((item["comment"], item) for item in emulator.snapshot()["licenses"] if item["status"] != 4)


def fact_file(facts_dir: Path, host: str) -> Path:
    return facts_dir / host / "panel_license.fact"


@pytest.fixture
def facts_dir(tmp_path):
    path = tmp_path / "facts"
    path.mkdir()
    return path


def test_check_mode_then_order_then_idempotent_rerun(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir)

    # Check mode: every host reports the order it would place; nothing is written anywhere.
    run = run_role(emulator, tmp_path, inv, "check", check=True, diff=True)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert emulator.snapshot()["licenses"] == []
    assert not list(facts_dir.iterdir())
    order = run.result_of("Order, resize, suspend, resume or delete the license", "vm-fra1")
    assert order["changed"] is True
    assert [call["func"] for call in order["calls"]] == ["platform.order.param"]
    assert order["calls"][0]["params"]["addon_%s" % NODES] == 3
    assert order["calls"][0]["params"]["addon_%s" % VMS] == 120  # 3 nodes: 40 + 40 + 20 VMs, +20 %, step 10
    assert order["diff"]["before"] == {} and order["diff"]["after"]["addons"] == {"nodes": 3, "vms": 120}
    assert run.license_fact("vm-fra1")["id"] is None  # predicted: the license that would be ordered
    assert "would change: ordered (check mode, nothing written)" in run.summary("vm-fra1")
    assert "dci-fra: license (new) dcimanager6 active, units=15," in run.summary("dci-fra")

    # First run: one correctly sized order per panel host, and the license id kept on each host.
    run = run_role(emulator, tmp_path, inv, "order")
    assert run.rc == 0, run.describe()
    funcs = [func for func, _params in writes(take_log(emulator))]
    assert sorted(funcs) == ["platform.order.param"] * 3
    by_comment = licenses_by_comment(emulator)
    assert by_comment["vm-fra1"]["addons"] == {NODES: 3, VMS: 120}
    assert by_comment["vm-ams1"]["addons"] == {NODES: 2, VMS: 35}
    assert by_comment["dci-fra"]["addons"] == {SERVERS: 15}  # 12 servers, step 5
    assert by_comment["dci-fra"]["pricelist"] == 55161
    for host in ("vm-fra1", "vm-ams1", "dci-fra"):
        stored = json.loads(fact_file(facts_dir, host).read_text(encoding="utf-8"))
        assert stored["id"] == by_comment[host]["id"]
        assert run.license_fact(host)["id"] == by_comment[host]["id"]
        assert run.license_fact(host)["status"] == "active"
    line = run.summary("vm-fra1")
    assert line.startswith("vm-fra1: license %s vmmanager6 active, nodes=3 vms=120, expires 2026-12-27 (30 days left); "
                           "changed: ordered, license id %s kept in " % (by_comment["vm-fra1"]["id"], by_comment["vm-fra1"]["id"]))

    # Second run: reads only, each license read by its id (no list of the account), nothing changed.
    run = run_role(emulator, tmp_path, inv, "rerun")
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert writes(log) == []
    assert set(entry["func"] for entry in log) == {"platform.edit"}
    assert all("sok" not in entry["params"] for entry in log)
    assert sorted(int(entry["params"]["elid"]) for entry in log) == sorted(
        item["id"] for item in by_comment.values() for _read in range(2))
    assert run.changed_tasks() == []
    assert run.summary("vm-ams1").endswith("; no change")


def test_grow_with_the_group_and_never_shrink_unless_allowed(emulator_factory, tmp_path, facts_dir):
    # An existing license is found by its comment (the inventory hostname) on the first run and adopted.
    emulator = emulator_factory(seed=seed(seeded_license(500, "vm-fra1", addons={NODES: 3, VMS: 120})))
    panels = ("vm-fra1",)

    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=3, panels=panels), "adopt")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    assert json.loads(fact_file(facts_dir, "vm-fra1").read_text(encoding="utf-8"))["id"] == 500
    assert run.summary("vm-fra1").endswith("changed: license id 500 kept in %s" % fact_file(facts_dir, "vm-fra1"))

    # A fourth node joins the group: one platform.edit raises the nodes addon (and the VMs the new node plans).
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=4, panels=panels), "grow")
    assert run.rc == 0, run.describe()
    grown = {"elid": "500", "addon_%s" % NODES: "4", "addon_%s" % VMS: "150", "sok": "ok"}
    assert writes(take_log(emulator)) == [("platform.edit", grown)]
    assert "changed: nodes 3->4, vms 120->150" in run.summary("vm-fra1")

    # Two nodes leave: nothing is lowered, and the summary says why.
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=2, panels=panels), "shrink-refused")
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    line = run.summary("vm-fra1")
    assert "; no change; note: nodes: kept at the current 4 (no shrinking unless allow_shrink)" in line
    assert "vms: kept at the current 150" in line

    # Shrinking allowed: check mode shows the edit, the real run makes it.
    allowed = {"panel_license_allow_shrink": True}
    run = run_role(emulator, tmp_path, inventory(facts_dir, nodes=2, panels=panels), "shrink-check", check=True,
                   extra_vars=allowed)
    assert run.rc == 0, run.describe()
    assert writes(take_log(emulator)) == []
    calls = run.result_of("Order, resize, suspend, resume or delete the license", "vm-fra1")["calls"]
    assert calls == [{"func": "platform.edit", "params": {"elid": 500, "addon_%s" % NODES: 2, "addon_%s" % VMS: 100,
                                                          "sok": "ok"}}]
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


def test_a_stored_id_that_no_longer_exists_fails_and_orders_nothing(emulator_factory, tmp_path, facts_dir):
    emulator = emulator_factory(seed=seed(seeded_license(700, "vm-fra1", addons={NODES: 3, VMS: 120})))
    stale = fact_file(facts_dir, "vm-fra1")
    stale.parent.mkdir()
    stale.write_text(json.dumps({"id": 999999, "product": "vmmanager6", "comment": "vm-fra1"}), encoding="utf-8")

    run = run_role(emulator, tmp_path, inventory(facts_dir, panels=("vm-fra1",)), "stale")
    assert run.rc != 0
    message = run.failures()["vm-fra1"]
    assert "License id 999999 (from %s on vm-fra1) was not found" % stale in message
    assert "Nothing is ordered by guess" in message
    assert "remove %s from vm-fra1 and rerun" % stale in message
    assert writes(take_log(emulator)) == []

    # The documented recovery: remove the fact file; the license is found again by its comment, nothing is bought.
    # (Credentials from module_defaults this time: they win over a wrong password in the environment.)
    stale.unlink()
    run = run_role(emulator, tmp_path, inventory(facts_dir, panels=("vm-fra1",)), "recovered", play=PLAY_WITH_MODULE_DEFAULTS,
                   env={"BILLMGR_API_USER": "nobody", "BILLMGR_API_PASSWORD": "wrong"})
    assert run.rc == 0, run.describe()
    log = take_log(emulator)
    assert writes(log) == [] and set(entry["user"] for entry in log) == {"demo"}
    assert json.loads(stale.read_text(encoding="utf-8"))["id"] == 700


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
