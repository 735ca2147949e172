# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of the collection's modules against an emulated account of 1,000 licenses (``make bench``).

Every scenario is one real ansible-playbook run: one task looping over N items against the emulator
seeded by fleet_seed.py. Each item's requests are told apart by a tag in the API URL
(``api_url: <emulator>?bench_item=<index>``; the emulator logs the raw query string), so the request
log gives the requests of every single module run: reads, writes and which ``func``.

Request counts are deterministic and are checked (a module making more requests than its scenario
expects fails the run, exit code 1). Wall time is only reported, never checked: as seconds per item
and as a ratio to the same loop of ``ansible.builtin.ping`` run in the same session (Ansible's own
per-task cost: a new Python process per module run).

    .venv/bin/python tests/performance/run_benchmarks.py [--only NAME,...] [--output FILE] [--list]

The collection is taken from the laid-out tree (``make collection``; BILLMGR_TEST_COLLECTIONS_PATH wins).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

PERF_DIR = Path(__file__).resolve().parent
TESTS_DIR = PERF_DIR.parent
sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree
for _path in (PERF_DIR, TESTS_DIR / "integration", TESTS_DIR / "emulator"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from billmgr_emulator import Emulator  # noqa: E402  (needs the sys.path entries above)
from fleet_seed import (  # noqa: E402
    ACTIVE, ADDON_NODES, ADDON_SERVERS, ADDON_VMS, DCIMANAGER6, DELETED, PRODUCT_NAMES, STATUS_NAMES, SUSPENDED,
    VMMANAGER6, days_left, fleet_seed,
)
from playbook_runner import require_collection, run_playbook  # noqa: E402

CALLBACK_DIR = PERF_DIR / "callback_plugins"
DEFAULT_OUTPUT = PERF_DIR / "results" / "latest.json"
PAGE_SIZE = 500  # plugins/module_utils/license_reads.py PAGE_SIZE
TAG = "bench_item"
FLEET_SIZE = 100
SMALL = 3  # items of every other scenario (the fleet loops dominate the run time)


@dataclass
class Scenario:
    """One looped task: ``module`` run once per item of ``items`` (each a dict of module options)."""

    name: str
    group: str
    module: str
    description: str
    items: list
    reads: dict
    """Expected read requests of every single item, by func."""
    writes: dict = field(default_factory=dict)
    """Expected write requests of every single item, by func."""
    changed: bool = False
    check_item: object = None
    """Optional: item summary (bench_timing callback) -> error text or None."""
    config: dict = field(default_factory=dict)
    """Emulator config for this scenario (e.g. list_addons), applied after the reset."""

    @property
    def size(self) -> int:
        return len(self.items)


def module_addons(lic: dict) -> dict:
    """The ``addons`` option that matches a seed license as it is (so isp_license has nothing to do)."""
    if lic["pricelist"] == VMMANAGER6:
        return {"nodes": lic["addons"][ADDON_NODES], "vms": lic["addons"][ADDON_VMS]}
    return {ADDON_SERVERS: lic["addons"][ADDON_SERVERS]}


def spread(licenses: list, count: int) -> list:
    """``count`` licenses taken evenly across ``licenses`` (so both list pages hold some)."""
    if count >= len(licenses):
        return list(licenses)
    step = len(licenses) / float(count)
    return [licenses[int(index * step)] for index in range(count)]


def expect_count(key: str, wanted: int):
    def check(summary: dict):
        if summary.get(key) != wanted:
            return "expected %s=%s, got %s" % (key, wanted, summary.get(key))
        return None
    return check


def scenarios(seed: dict) -> list:
    """Every scenario, built from the seed (so the expectations follow the data)."""
    licenses = seed["licenses"]
    active = [lic for lic in licenses if lic["status"] == ACTIVE]
    not_deleted = [lic for lic in licenses if lic["status"] != DELETED]
    dci_suspended = [lic for lic in licenses if lic["pricelist"] == DCIMANAGER6 and lic["status"] == SUSPENDED]
    fleet = spread(active, FLEET_SIZE)
    few = spread(active, SMALL)
    far = spread([lic for lic in active if days_left(lic, seed["today"]) >= 7], SMALL)
    due = spread([lic for lic in active if lic["period"] == 1 and days_left(lic, seed["today"]) < 14], SMALL)

    def by_id(lic):
        return {"label": lic["comment"], "id": lic["id"], "product": PRODUCT_NAMES[lic["pricelist"]],
                "addons": module_addons(lic)}

    def by_comment(lic, addons=True):
        item = {"label": lic["comment"], "comment": lic["comment"], "product": PRODUCT_NAMES[lic["pricelist"]]}
        if addons:
            item["addons"] = module_addons(lic)
        return item

    info = "ispsystem.billmanager.isp_license_info"
    license_module = "ispsystem.billmanager.isp_license"
    prolong = "ispsystem.billmanager.isp_license_prolong"
    return [
        Scenario("info_all", "a", info, "isp_license_info of the whole account (%d licenses): the list, page by page" % len(licenses),
                 [{"label": "all"}] * SMALL, {"platform": 2}, check_item=expect_count("licenses", len(not_deleted))),
        Scenario("info_details", "a", info,
                 "isp_license_info product=dcimanager6 status=suspended details=true (%d matches): list + one read each"
                 % len(dci_suspended),
                 [{"label": "dci-suspended", "product": "dcimanager6", "status": ["suspended"], "details": True}] * SMALL,
                 {"platform": 2, "platform.edit": len(dci_suspended)}, check_item=expect_count("licenses", len(dci_suspended))),
        Scenario("license_by_id", "b", license_module, "isp_license by id (+product, addons), nothing to change",
                 [by_id(lic) for lic in few], {"platform.edit": 1}),
        Scenario("license_by_comment", "b", license_module, "isp_license by comment+product, no addons, nothing to change",
                 [by_comment(lic, addons=False) for lic in few], {"platform": 2}),
        Scenario("license_by_comment_addons", "b", license_module,
                 "isp_license by comment+product with addons, nothing to change", [by_comment(lic) for lic in few],
                 {"platform": 2, "platform.edit": 1}),
        Scenario("license_by_comment_list_addons", "b", license_module,
                 "as above, the API lists addon values in rows (emulator list_addons=true): no read needed",
                 [by_comment(lic) for lic in few], {"platform": 2}, config={"list_addons": True}),
        Scenario("fleet_by_id", "c", license_module, "fleet reconcile, %d licenses in one loop, by id" % len(fleet),
                 [by_id(lic) for lic in fleet], {"platform.edit": 1}),
        Scenario("fleet_by_comment", "c", license_module, "fleet reconcile, the same %d licenses, by comment" % len(fleet),
                 [by_comment(lic) for lic in fleet], {"platform": 2, "platform.edit": 1}),
        Scenario("prolong_noop", "d", prolong, "isp_license_prolong by id, min_days_left=7, nothing to renew",
                 [{"label": lic["comment"], "id": lic["id"], "min_days_left": 7} for lic in far], {"platform.edit": 1},
                 check_item=expect_count("periods", 0)),
        Scenario("prolong_once", "d", prolong, "isp_license_prolong by id, min_days_left=14, renews one month",
                 [{"label": lic["comment"], "id": lic["id"], "period": 1, "min_days_left": 14} for lic in due],
                 {"platform.edit": 2}, writes={"service.prolong": 1}, changed=True, check_item=expect_count("periods", 1)),
    ]


# -- running -----------------------------------------------------------------------------------------------


def playbook_text(name: str, module: str, args: dict) -> str:
    """A one-task play looping over ``bench_items`` (JSON is YAML)."""
    task = {
        "name": name,
        module: args,
        "loop": "{{ bench_items }}",
        "loop_control": {"index_var": "bench_index", "label": "{{ item.label }}"},
    }
    play = {"name": "benchmark %s" % name, "hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": [task]}
    return json.dumps([play], indent=1) + "\n"


def module_args(items: list) -> dict:
    keys = sorted({key for item in items for key in item if key != "label"})
    args = {"api_url": "{{ emulator_url }}?%s={{ bench_index }}" % TAG}
    args.update((key, "{{ item.%s }}" % key) for key in keys)
    return args


@dataclass
class Run:
    """One ansible-playbook run: its wall time and what the bench_timing callback recorded."""

    rc: int
    seconds: float
    task: dict
    describe: str

    @property
    def task_seconds(self) -> float:
        return self.task["end"] - self.task["start"] if self.task and self.task.get("end") else None

    def item_seconds(self) -> list:
        marks = [self.task["start"]] + [item["time"] for item in self.task["items"]] if self.task else []
        return [end - start for start, end in zip(marks, marks[1:])]


def run_loop(emulator, workdir: Path, name: str, module: str, args: dict, items: list) -> Run:
    timing_file = workdir / ("%s-timing.json" % name)
    env = {
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_DIR),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timing",
        "BILLMGR_BENCH_TIMING_FILE": str(timing_file),
    }
    started = time.perf_counter()
    result = run_playbook(playbook_text(name, module, args), emulator, extra_vars={"bench_items": items}, env=env,
                          tmp_path=workdir / name)
    seconds = time.perf_counter() - started
    tasks = json.loads(timing_file.read_text(encoding="utf-8")) if timing_file.is_file() else []
    return Run(result.rc, seconds, tasks[0] if tasks else {}, result.describe())


def account_size(seed: dict) -> int:
    return len(seed["licenses"])


def rows_of(entry: dict, total: int) -> int:
    """How many license rows a read returned: a list page holds up to p_cnt rows, a read-one 1."""
    if entry["write"]:
        return 0
    if entry["func"] == "platform":
        params = entry["params"]
        if "p_cnt" not in params:
            return total
        size, page = int(params["p_cnt"]), int(params.get("p_num") or 1)
        return max(0, min(size, total - (page - 1) * size))
    return 1 if entry["func"] == "platform.edit" else 0


def requests_by_item(log: list) -> tuple:
    """{item index: [entries]} from the tag in each request's query string, and the untagged entries."""
    tagged = collections.defaultdict(list)
    untagged = []
    for entry in log:
        values = parse_qs(entry.get("query") or "").get(TAG)
        if values:
            tagged[int(values[0])].append(entry)
        else:
            untagged.append(entry)
    return tagged, untagged


def counts(entries: list, write: bool) -> dict:
    return dict(sorted(collections.Counter(entry["func"] for entry in entries if entry["write"] == write).items()))


def check_scenario(scenario: Scenario, run: Run, tagged: dict, untagged: list) -> list:
    """Every way the run differs from the scenario's expectations (deterministic counts only, never time)."""
    errors = []
    if run.rc != 0:
        text = run.describe
        errors.append(text if len(text) <= 4000 else "%s\n...\n%s" % (text[:1000], text[-3000:]))
    if untagged:
        errors.append("%d request(s) carry no %s tag: %s" % (len(untagged), TAG, sorted({e["func"] for e in untagged})))
    items = run.task.get("items", []) if run.task else []
    if len(items) != scenario.size:
        errors.append("expected %d item results, the callback saw %d" % (scenario.size, len(items)))
    for index in range(scenario.size):
        entries = tagged.get(index, [])
        reads, writes = counts(entries, False), counts(entries, True)
        if reads != scenario.reads or writes != scenario.writes:
            errors.append("item %d (%s): expected reads %s writes %s, got reads %s writes %s"
                          % (index, scenario.items[index].get("label"), scenario.reads, scenario.writes, reads, writes))
        if index < len(items):
            summary = items[index]
            if summary["status"] != "ok":
                errors.append("item %d (%s): %s %s" % (index, scenario.items[index].get("label"), summary["status"],
                                                       summary.get("msg", "")))
            elif summary["changed"] != scenario.changed:
                errors.append("item %d: expected changed=%s, got %s" % (index, scenario.changed, summary["changed"]))
            problem = scenario.check_item(summary) if scenario.check_item else None
            if problem:
                errors.append("item %d: %s" % (index, problem))
    extra = sorted(set(tagged) - set(range(scenario.size)))
    if extra:
        errors.append("requests tagged with unknown items %s" % extra)
    return errors


def measure(scenario: Scenario, emulator, workdir: Path, total_rows: int) -> tuple:
    emulator.reset()
    if scenario.config:
        emulator.configure(**scenario.config)
    run = run_loop(emulator, workdir, scenario.name, scenario.module, module_args(scenario.items), scenario.items)
    log = emulator.log_entries()
    tagged, untagged = requests_by_item(log)
    per_item = [len(tagged.get(index, [])) for index in range(scenario.size)]
    reads = [entry for entry in log if not entry["write"]]
    writes = [entry for entry in log if entry["write"]]
    rows = sum(rows_of(entry, total_rows) for entry in log)
    size = float(scenario.size)
    item_seconds = run.item_seconds()
    record = {
        "name": scenario.name,
        "group": scenario.group,
        "module": scenario.module,
        "description": scenario.description,
        "items": scenario.size,
        "requests": len(log),
        "reads": len(reads),
        "writes": len(writes),
        "requests_per_item": {"min": min(per_item), "max": max(per_item), "mean": len(log) / size},
        "reads_per_item_by_func": dict((func, n / size) for func, n in counts(log, False).items()),
        "writes_per_item_by_func": dict((func, n / size) for func, n in counts(log, True).items()),
        "expected_per_item": {"reads": scenario.reads, "writes": scenario.writes},
        "rows_read": rows,
        "rows_read_per_item": rows / size,
        "playbook_seconds": run.seconds,
        "task_seconds": run.task_seconds,
        "seconds_per_item": _ratio(run.task_seconds, size),
        "median_item_seconds": statistics.median(item_seconds) if item_seconds else None,
    }
    return record, check_scenario(scenario, run, tagged, untagged)


def measure_baseline(items: list, emulator, workdir: Path) -> dict:
    """``ansible.builtin.ping`` over the same loop: Ansible's own cost per item (no API request)."""
    emulator.reset()
    name = "ping_x%d" % len(items)
    run = run_loop(emulator, workdir, name, "ansible.builtin.ping", {"data": "{{ item.label }}"}, items)
    if run.rc != 0:
        raise RuntimeError("the ping baseline failed:\n%s" % run.describe)
    item_seconds = run.item_seconds()
    return {
        "name": name,
        "items": len(items),
        "requests": len(emulator.log_entries()),
        "playbook_seconds": run.seconds,
        "task_seconds": run.task_seconds,
        "seconds_per_item": _ratio(run.task_seconds, len(items)),
        "median_item_seconds": statistics.median(item_seconds) if item_seconds else None,
    }


IMPORTS = (
    ("python (bare start)", "pass"),
    ("ansible.module_utils.basic", "import ansible.module_utils.basic"),
    ("requests", "import requests"),
    ("lxml.etree", "import lxml.etree"),
)


def import_costs(repeat: int = 5) -> dict:
    """Median seconds of a fresh interpreter that imports what every module run imports (context for x ping)."""
    costs = {}
    for label, code in IMPORTS:
        samples = []
        for _attempt in range(repeat):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            samples.append(time.perf_counter() - started)
        costs[label] = statistics.median(samples)
    return costs


# -- reporting ---------------------------------------------------------------------------------------------


def by_func_text(record: dict) -> str:
    parts = ["%s %s" % (func, _number(n)) for func, n in record["reads_per_item_by_func"].items()]
    parts += ["%s(w) %s" % (func, _number(n)) for func, n in record["writes_per_item_by_func"].items()]
    return ", ".join(parts) or "-"


def _ratio(numerator, denominator):
    """numerator / denominator, or None when either is unknown (a failed run has no times)."""
    if numerator is None or not denominator:
        return None
    return numerator / float(denominator)


def _seconds(value, spec: str = "%.3f") -> str:
    return "-" if value is None else spec % value


def _number(value: float) -> str:
    return ("%d" % value) if float(value).is_integer() else ("%.2f" % value)


def table(records: list) -> str:
    header = ["scenario", "items", "req/item", "reads", "writes", "by func, per item", "rows/item", "s/item",
              "ping s/item", "x ping", "+s/item", "playbook s"]
    rows = [header]
    for rec in records:
        base = rec["baseline"]
        rows.append([
            rec["name"], "%d" % rec["items"], _number(rec["requests_per_item"]["mean"]), "%d" % rec["reads"],
            "%d" % rec["writes"], by_func_text(rec), _number(rec["rows_read_per_item"]), _seconds(rec["median_item_seconds"]),
            _seconds(base["median_item_seconds"]), _seconds(rec["ratio_to_ping"], "%.2f"), _seconds(rec["module_seconds_per_item"], "%+.3f"),
            "%.1f" % rec["playbook_seconds"],
        ])
    widths = [max(len(row[col]) for row in rows) for col in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) if col in (0, 5) else cell.rjust(width)
                               for col, (cell, width) in enumerate(zip(row, widths))).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def fleet_summary(records: list) -> list:
    found = dict((rec["name"], rec) for rec in records)
    by_id, by_comment = found.get("fleet_by_id"), found.get("fleet_by_comment")
    if not by_id or not by_comment:
        return []
    line = "  %-11s %5d requests, %7d license rows read, loop %s s (ping loop %s s)"
    lines = ["fleet of %d licenses in one loop (account of %d):" % (by_id["items"], by_id["account_size"])]
    for label, rec in (("by id:", by_id), ("by comment:", by_comment)):
        lines.append(line % (label, rec["requests"], rec["rows_read"], _seconds(rec["task_seconds"], "%5.1f"),
                             _seconds(rec["baseline"]["task_seconds"], "%5.1f")))
    lines.append("  by comment / by id: x%.1f requests, x%.0f rows, x%s time" % (
        by_comment["requests"] / float(by_id["requests"] or 1), by_comment["rows_read"] / float(by_id["rows_read"] or 1),
        _seconds(_ratio(by_comment["task_seconds"], by_id["task_seconds"]), "%.2f")))
    return lines


def environment() -> dict:
    try:
        from ansible.release import __version__ as ansible_version
    except ImportError:
        ansible_version = None
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "ansible_core": ansible_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_before": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of ispsystem.billmanager against an emulated 1,000-license account.")
    parser.add_argument("--only", help="comma-separated scenario names (default: all)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="JSON results file (default %(default)s)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)

    seed = fleet_seed()
    selected = scenarios(seed)
    if args.list:
        for scenario in selected:
            print("%-32s %3d items  %s" % (scenario.name, scenario.size, scenario.description))
        return 0
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - {scenario.name for scenario in selected})
        if unknown:
            parser.error("unknown scenario(s) %s; see --list" % ", ".join(unknown))
        selected = [scenario for scenario in selected if scenario.name in wanted]

    collections_root = require_collection()
    env_info = environment()
    print("ispsystem.billmanager benchmarks: %d scenarios, account of %d licenses, collection from %s"
          % (len(selected), account_size(seed), collections_root), flush=True)
    started = time.perf_counter()
    baselines = {}
    records = []
    failures = {}
    with tempfile.TemporaryDirectory(prefix="billmgr-bench-") as tmp, Emulator(seed=seed) as emulator:
        workdir = Path(tmp)
        for scenario in selected:
            if scenario.size not in baselines:
                baselines[scenario.size] = measure_baseline(scenario.items, emulator, workdir)
            record, errors = measure(scenario, emulator, workdir, account_size(seed))
            record["account_size"] = account_size(seed)
            record["baseline"] = baselines[scenario.size]
            base = record["baseline"]
            record["ratio_to_ping"] = _ratio(record["median_item_seconds"], base["median_item_seconds"])
            record["ratio_to_ping_mean"] = _ratio(record["seconds_per_item"], base["seconds_per_item"])
            record["module_seconds_per_item"] = None if record["ratio_to_ping"] is None else \
                record["median_item_seconds"] - base["median_item_seconds"]
            record["ok"] = not errors
            records.append(record)
            if errors:
                failures[scenario.name] = errors
            print("  %-30s %3d items  %7.1f req/item  %6s s/item  %s" % (
                scenario.name, scenario.size, record["requests_per_item"]["mean"], _seconds(record["median_item_seconds"]),
                "ok" if not errors else "FAILED"), flush=True)

    imports = import_costs()
    elapsed = time.perf_counter() - started
    print()
    print(table(records))
    for line in fleet_summary(records):
        print(line)
    print("fresh interpreter + import (median of 5): %s" % ", ".join("%s %.3f s" % item for item in imports.items()))
    print("\ns/item = median seconds of one loop item (module run); ping s/item = the same for ansible.builtin.ping over")
    print("the same loop in the same run; x ping = their ratio (Ansible's own per-task overhead = 1);")
    print("+s/item = the difference: what the module costs beyond Ansible's own per-task overhead.")
    print("Times are reported, never checked; request counts are checked. Total %.0f s." % elapsed)

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    env_info["total_seconds"] = elapsed
    report = {
        "environment": env_info,
        "account_size": account_size(seed),
        "page_size": PAGE_SIZE,
        "statuses": dict(collections.Counter(STATUS_NAMES[lic["status"]] for lic in seed["licenses"])),
        "baselines": [baselines[size] for size in sorted(baselines)],
        "import_seconds": imports,
        "scenarios": records,
        "failures": failures,
    }
    output.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print("results: %s" % output)

    if failures:
        print("\nREQUEST COUNT REGRESSIONS (or failed runs):", file=sys.stderr)
        for name, errors in failures.items():
            for error in errors[:10]:
                print("  %s: %s" % (name, error), file=sys.stderr)
            if len(errors) > 10:
                print("  %s: ... %d more" % (name, len(errors) - 10), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
