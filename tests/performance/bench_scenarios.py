# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmark scenarios and the requests each must make (run_benchmarks.py runs and checks them).

Three shapes of playbook:

- ``loop``: one task looping over ``items`` (one module run per item); the expected requests are those of
  **every single item** (told apart by the ``bench_item`` tag in the API URL);
- ``task``: one task, no loop (``items[0]`` holds its options, e.g. the ``licenses`` of ``isp_licenses``); the
  expected requests are those of the task, which must also report them itself (``api_requests``);
- ``role``: the role ``panel_license`` over an inventory of panel hosts (``items``: one dict of host
  variables each); the expected requests are those of the whole play.

Three suites: ``standard`` (``make bench``: an account of 1,000 licenses, a few minutes), ``role`` (``make
bench-role``: the role on 200 panel hosts, a first run and a rerun; every panel host runs 13 tasks on a rerun, so this
takes many minutes) and ``large`` (``make bench-large``: an account of 10,000 licenses, with the role, and the whole
loop of ``isp_license`` over the 1,000 licenses).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fleet_seed import (
    ACTIVE, ADDON_NODES, ADDON_SERVERS, ADDON_VMS, DCIMANAGER6, DELETED, PRODUCT_NAMES, SUSPENDED, VMMANAGER6,
    days_left, fleet_seed,
)

PAGE_SIZE = 500  # plugins/module_utils/license_reads.py PAGE_SIZE
LOOP, TASK, ROLE = "loop", "task", "role"
STANDARD, ROLES, LARGE = "standard", "role", "large"
SUITES = (STANDARD, ROLES, LARGE)
SMALL = 3  # items of the loops that show one module run (the long loops dominate the run time)
LOOP_SAMPLE = 50  # items of the sampled loops of isp_license over the 1,000-license account
LOOP_SAMPLE_LARGE = 30  # the same over the 10,000-license account (each item lists 20 pages)
LATENCY_SECONDS = 0.05  # the WAN latency of bulk_noop_addons_latency: 50 ms on every request
READ_CONCURRENCY = 4  # isp_licenses' default read_concurrency (plugins/modules/isp_licenses.py)
TASK_REPEAT = 3  # runs of the no-op bulk task and of the one-ping-task baseline (median)
CHANGES = 10  # K: licenses changed by bulk_change_k
ROLE_HOSTS = 200
PING_TASKS_PER_HOST = 3  # the role baseline: a play that runs ping three times per panel host (issue #17)
ROLE_NAME = "ispsystem.billmanager.panel_license"
INFO = "ispsystem.billmanager.isp_license_info"
LICENSE = "ispsystem.billmanager.isp_license"
LICENSES = "ispsystem.billmanager.isp_licenses"
PROLONG = "ispsystem.billmanager.isp_license_prolong"


@dataclass
class Scenario:
    """One playbook run and the requests it must make (checked), see the module docstring for the shapes."""

    name: str
    group: str
    module: str
    description: str
    items: list
    reads: dict
    """Expected read requests by func: of every item (loop), of the task (task), of the whole play (role)."""
    writes: dict = field(default_factory=dict)
    """Expected write requests by func, counted like ``reads``."""
    changed: bool | None = False
    """Expected ``changed`` of every item (loop) or of the task (task); None: not checked (role)."""
    check: object = None
    """Optional: result summary (bench_timing callback; role: the list of task records) -> error text or None."""
    config: dict = field(default_factory=dict)
    """Emulator config for this scenario (e.g. list_addons), applied after the reset."""
    shape: str = LOOP
    account: int = 1000
    suite: str = STANDARD
    population: int | None = None
    """A loop over a sample: the number of items of the whole loop; its totals are extrapolated (per item x this)."""
    facts: bool = False
    """role: the fact files hold the license ids before the run (a rerun); else none exist (a first run)."""
    compare: str | None = None
    """Its row in the comparison of one account (bulk, loop, role), see bench_report.comparison."""
    also: tuple = ()
    """Other suites that run it too (the 1,000-license bulk task, compared with the whole loop in the large suite)."""
    repeat: int = 1
    """Runs of the playbook (each checked); its time is the median (a single task is short, the machine is shared)."""
    faults: tuple = ()
    """Emulator fault rules for this scenario (e.g. a latency on every request), added after the reset."""

    @property
    def size(self) -> int:
        """Module runs (loop items), wanted licenses (task) or panel hosts (role)."""
        if self.shape == TASK:
            return len(self.items[0]["licenses"]) if "licenses" in self.items[0] else 1
        return len(self.items)

    @property
    def expected_total(self) -> int:
        per_run = sum(self.reads.values()) + sum(self.writes.values())
        return per_run * len(self.items) if self.shape == LOOP else per_run


# -- the licenses of the seed --------------------------------------------------------------------------------


def pages(account: int) -> int:
    """List requests of one complete read of the account: ceil(account / page size)."""
    return int(math.ceil(account / float(PAGE_SIZE)))


def live(licenses: list) -> list:
    """The licenses a comment can name (deleted ones never match one)."""
    return [lic for lic in licenses if lic["status"] != DELETED]


def spread(licenses: list, count: int) -> list:
    """``count`` licenses taken evenly across ``licenses`` (so every list page holds some)."""
    if count >= len(licenses):
        return list(licenses)
    step = len(licenses) / float(count)
    return [licenses[int(index * step)] for index in range(count)]


def module_addons(lic: dict) -> dict:
    """The ``addons`` option that matches a seed license as it is (so there is nothing to do)."""
    if lic["pricelist"] == VMMANAGER6:
        return {"nodes": lic["addons"][ADDON_NODES], "vms": lic["addons"][ADDON_VMS]}
    return {ADDON_SERVERS: lic["addons"][ADDON_SERVERS]}


def product(lic: dict) -> str:
    return PRODUCT_NAMES[lic["pricelist"]]


def by_id(lic: dict, addons: bool = True) -> dict:
    item = {"label": lic["comment"], "id": lic["id"], "product": product(lic)}
    if addons:
        item["addons"] = module_addons(lic)
    return item


def by_comment(lic: dict, addons: bool = True) -> dict:
    item = {"label": lic["comment"], "comment": lic["comment"], "product": product(lic)}
    if addons:
        item["addons"] = module_addons(lic)
    return item


def entry(item: dict) -> dict:
    """A loop item as an entry of isp_licenses' ``licenses`` (the same options, without the label)."""
    return dict((key, value) for key, value in item.items() if key != "label")


# -- checks of result summaries -----------------------------------------------------------------------------


def expect_count(key: str, wanted: int):
    def check(summary: dict):
        if summary.get(key) != wanted:
            return "expected %s=%s, got %s" % (key, wanted, summary.get(key))
        return None
    return check


def expect_summary(**wanted):
    """isp_licenses: the ``summary`` of its result holds these values (every other counter must be 0, the spend by
    currency ``spend_total`` empty); a value may be a predicate (value -> bool)."""
    def check(summary: dict):
        got = summary.get("summary") or {}
        expected = dict((key, {} if key == "spend_total" else 0) for key in got if key != "licenses")
        expected.update(wanted)
        wrong = ["%s=%s (expected %s)" % (key, got.get(key), getattr(value, "__doc__", None) or value)
                 for key, value in sorted(expected.items())
                 if not (value(got.get(key)) if callable(value) else got.get(key) == value)]
        return "summary: %s" % ", ".join(wrong) if wrong else None
    return check


def priced_in_one_currency(spend_total) -> bool:
    """one currency, a positive amount (the renewals' price, read from the prolong form)"""
    return isinstance(spend_total, dict) and len(spend_total) == 1 and list(spend_total.values())[0] > 0


def expect_role(hosts: int, unchanged: int):
    """role: no host failed, and (the rewritten role) one isp_licenses task reconciled every host, changing none."""
    def check(tasks: list):
        problems = ["%s: %s failed" % (task["task"], task["hosts"]["failed"]) for task in tasks
                    if task["hosts"].get("failed") or task["hosts"].get("unreachable")]
        bulk = [task for task in tasks if task["action"].endswith("isp_licenses")]
        if len(bulk) != 1:
            problems.append("expected one isp_licenses task for all %d hosts, found %d" % (hosts, len(bulk)))
        else:
            problem = expect_summary(licenses=hosts, unchanged=unchanged)(bulk[0]["result"])
            if problem:
                problems.append(problem)
        return "; ".join(problems) or None
    return check


# -- the scenarios -------------------------------------------------------------------------------------------


def role_host(lic: dict) -> dict:
    """Inventory variables of a panel host whose license is ``lic`` as it is (host name = its comment)."""
    host = {"label": lic["comment"], "license_id": lic["id"], "panel_license_product": product(lic)}
    if lic["pricelist"] == VMMANAGER6:
        host.update(panel_license_nodes=lic["addons"][ADDON_NODES], panel_license_vms=lic["addons"][ADDON_VMS])
    else:
        host.update(panel_license_dci_units=lic["addons"][ADDON_SERVERS], panel_license_dci_units_addon_id=int(ADDON_SERVERS))
    return host


def changes_of(fleet: list, today: str) -> tuple:
    """The bulk entries of ``fleet`` with K (CHANGES) of them changed: resize, suspend, renew in turn.

    Returns (entries, {kind: count}); every changed license is active, the renewed ones monthly, so each change is
    exactly one write: platform.edit (addons one up), platform.suspend, service.prolong of one month.
    """
    candidates = [lic for lic in fleet if lic["status"] == ACTIVE and lic["period"] == 1]
    chosen = dict((lic["id"], index) for index, lic in enumerate(spread(candidates, CHANGES)))
    kinds = ("resize", "suspend", "renew")
    entries, made = [], dict((kind, 0) for kind in kinds)
    for lic in fleet:
        item = entry(by_comment(lic, addons=False))
        if lic["id"] in chosen:
            kind = kinds[chosen[lic["id"]] % len(kinds)]
            made[kind] += 1
            if kind == "resize":
                item["addons"] = dict((name, count + 1) for name, count in module_addons(lic).items())
            elif kind == "suspend":
                item["state"] = "suspended"
            else:
                item["renew"] = {"min_days_left": days_left(lic, today) + 1}
        entries.append(item)
    return entries, made


def account_scenarios(seed: dict, suite: str, loop_sample: int, role_suite: str, tag: str = "") -> list:
    """The scenarios every account size has: bulk reconciles, the sampled loop of isp_license, the role (first run;
    at 1,000 licenses also the rerun, with the fact files in place)."""
    licenses = seed["licenses"]
    account = len(licenses)
    fleet = live(licenses)
    n_pages = pages(account)
    sample = spread(fleet, loop_sample)
    entries, made = changes_of(fleet, seed["today"])
    hosts = [role_host(lic) for lic in spread([lic for lic in fleet if lic["status"] == ACTIVE
                                               and days_left(lic, seed["today"]) >= 14], ROLE_HOSTS)]

    def bulk(name, description, items, reads, config=None, **kwargs):
        return Scenario(name + tag, "bulk", LICENSES, description, [{"licenses": items}], reads, config=config or {},
                        shape=TASK, account=account, suite=suite, **kwargs)

    every = len(fleet)
    noop = expect_summary(licenses=every, unchanged=every)
    scenarios = [
        bulk("bulk_noop", "isp_licenses, every live license (%d) by comment+product, no addons: one task" % every,
             [entry(by_comment(lic, addons=False)) for lic in fleet], {"platform": n_pages}, check=noop, compare="bulk",
             repeat=TASK_REPEAT),
        bulk("bulk_noop_addons", "the same with addons; default rows carry no addon values: one read each",
             [entry(by_comment(lic)) for lic in fleet], {"platform": n_pages, "platform.edit": every}, check=noop),
        bulk("bulk_noop_addons_latency",
             "the same, every request %d ms late (a server across a WAN): the reads of one license run %d at a time"
             % (LATENCY_SECONDS * 1000, READ_CONCURRENCY),
             [entry(by_comment(lic)) for lic in fleet], {"platform": n_pages, "platform.edit": every}, check=noop,
             faults=({"kind": "latency", "func": "*", "count": None, "seconds": LATENCY_SECONDS},)),
        bulk("bulk_noop_list_addons", "the same with addons, emulator list_addons=true (rows carry addon values)",
             [entry(by_comment(lic)) for lic in fleet], {"platform": n_pages}, config={"list_addons": True}, check=noop),
        bulk("bulk_noop_no_comment", "by comment, no addons, emulator list_comment=false (rows carry no comment cell)",
             [entry(by_comment(lic, addons=False)) for lic in fleet], {"platform": n_pages, "platform.edit": every},
             config={"list_comment": False}, check=noop),
        bulk("bulk_by_id", "isp_licenses, every live license by id+product, no addons (more than 20 ids: the list)",
             [entry(by_id(lic, addons=False)) for lic in fleet], {"platform": n_pages}, check=noop),
        bulk("bulk_change_k",
             "by comment, %d of the %d changed: %d resize (addons named: read first), %d suspend, %d renew one month"
             % (CHANGES, every, made["resize"], made["suspend"], made["renew"]), entries,
             {"platform": n_pages, "platform.edit": made["resize"] + CHANGES, "service.prolong": made["renew"]},
             writes={"platform.edit": made["resize"], "platform.suspend": made["suspend"], "service.prolong": made["renew"]},
             changed=True, check=expect_summary(licenses=every, changed=CHANGES, unchanged=every - CHANGES,
                                                resizes_up=made["resize"], suspensions=made["suspend"],
                                                renewals=made["renew"], spend_unknown=made["resize"],
                                                spend_total=priced_in_one_currency)),
        Scenario("loop_by_comment" + tag, "loop", LICENSE,
                 "isp_license by comment+product, no addons, in a loop: a sample of %d of the %d (totals extrapolated)"
                 % (len(sample), every), [by_comment(lic, addons=False) for lic in sample], {"platform": n_pages},
                 account=account, suite=suite, population=every, compare="loop"),
    ]
    role = dict(changed=None, check=expect_role(len(hosts), len(hosts)), shape=ROLE, account=account, suite=role_suite)
    scenarios.append(Scenario(
        "role_by_comment" + tag, "role", ROLE_NAME,
        "role panel_license on %d panel hosts, no fact or key files (a first run: licenses found by comment, fact files "
        "written, each key read and written)" % len(hosts), hosts, {"platform": n_pages, "platform.edit": 2 * len(hosts)},
        compare="role", **role))
    if not tag:
        scenarios.append(Scenario(
            "role_by_id", "role", ROLE_NAME,
            "the same with every fact and key file in place (a rerun: licenses given by id, more than 20: the list)",
            hosts, {"platform": n_pages, "platform.edit": len(hosts)}, facts=True, **role))
    return scenarios


def standard_scenarios(seed: dict) -> list:
    """make bench: an account of 1,000 licenses."""
    licenses = seed["licenses"]
    active = [lic for lic in licenses if lic["status"] == ACTIVE]
    dci_suspended = [lic for lic in licenses if lic["pricelist"] == DCIMANAGER6 and lic["status"] == SUSPENDED]
    few = spread(active, SMALL)
    far = spread([lic for lic in active if days_left(lic, seed["today"]) >= 7], SMALL)
    due = spread([lic for lic in active if lic["period"] == 1 and days_left(lic, seed["today"]) < 14], SMALL)
    sample = spread(live(licenses), LOOP_SAMPLE)
    n_pages = pages(len(licenses))
    every = len(live(licenses))
    scenarios = [
        Scenario("info_all", "info", INFO, "isp_license_info of the whole account (%d licenses): the list, page by page"
                 % len(licenses), [{"label": "all"}] * SMALL, {"platform": n_pages},
                 check=expect_count("licenses", every)),
        Scenario("info_details", "info", INFO,
                 "isp_license_info product=dcimanager6 status=suspended details=true (%d matches): list + one read each"
                 % len(dci_suspended),
                 [{"label": "dci-suspended", "product": "dcimanager6", "status": ["suspended"], "details": True}] * SMALL,
                 {"platform": n_pages, "platform.edit": len(dci_suspended)}, check=expect_count("licenses", len(dci_suspended))),
        Scenario("license_by_id", "license", LICENSE, "isp_license by id (+product, addons), nothing to change",
                 [by_id(lic) for lic in few], {"platform.edit": 1}),
        Scenario("license_by_comment_addons", "license", LICENSE,
                 "isp_license by comment+product with addons, nothing to change (rows carry no addon values)",
                 [by_comment(lic) for lic in few], {"platform": n_pages, "platform.edit": 1}),
        Scenario("license_by_comment_list_addons", "license", LICENSE,
                 "as above, emulator list_addons=true (rows carry addon values): no read needed",
                 [by_comment(lic) for lic in few], {"platform": n_pages}, config={"list_addons": True}),
        Scenario("loop_by_id", "loop", LICENSE,
                 "isp_license by id+product, no addons, in a loop: the same sample of %d of the %d (totals extrapolated)"
                 % (len(sample), every), [by_id(lic, addons=False) for lic in sample], {"platform.edit": 1},
                 population=every),
        Scenario("prolong_noop", "prolong", PROLONG, "isp_license_prolong by id, min_days_left=7, nothing to renew",
                 [{"label": lic["comment"], "id": lic["id"], "min_days_left": 7} for lic in far], {"platform.edit": 1},
                 check=expect_count("periods", 0)),
        Scenario("prolong_once", "prolong", PROLONG, "isp_license_prolong by id, min_days_left=14, renews one month (its price read from the form first)",
                 [{"label": lic["comment"], "id": lic["id"], "period": 1, "min_days_left": 14} for lic in due],
                 {"platform.edit": 2, "service.prolong": 1}, writes={"service.prolong": 1}, changed=True,
                 check=expect_count("periods", 1)),
    ]
    scenarios += account_scenarios(seed, STANDARD, LOOP_SAMPLE, ROLES)
    for scenario in scenarios:
        if scenario.name == "bulk_noop":
            scenario.also = (LARGE,)
    return scenarios


def large_scenarios(seed_1k: dict, seed_10k: dict) -> list:
    """make bench-large: the account of 10,000 licenses, and the whole loop of isp_license over the 1,000."""
    fleet = live(seed_1k["licenses"])
    full = Scenario("loop_by_comment_full", "loop", LICENSE,
                    "isp_license by comment+product, no addons, in a loop over every live license (%d): measured whole"
                    % len(fleet), [by_comment(lic, addons=False) for lic in fleet], {"platform": pages(len(seed_1k["licenses"]))},
                    suite=LARGE, compare="loop")
    return [full] + account_scenarios(seed_10k, LARGE, LOOP_SAMPLE_LARGE, LARGE, tag="_10k")


def all_scenarios(seeds: dict) -> list:
    """Every scenario of both suites; ``seeds``: {account size: seed}."""
    return standard_scenarios(seeds[1000]) + large_scenarios(seeds[1000], seeds[10000])


def seeds() -> dict:
    return {1000: fleet_seed(1000), 10000: fleet_seed(10000)}
