# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmarks of the collection's modules and role against emulated accounts of 1,000 and 10,000 licenses.

Every scenario (bench_scenarios.py) is one real ansible-playbook run against the emulator seeded by
fleet_seed.py: a task looping over items, one task (isp_licenses), or the role panel_license over an
inventory of panel hosts. Each module run's requests are told apart by a tag in the API URL
(``api_url: <emulator>?bench_item=<index>``; the emulator logs the raw query string), so the request log gives
the requests of every single module run: reads, writes, which ``func``, and the rows and bytes they read
(the log's ``rows`` and ``bytes``).

Request counts are deterministic and are checked (a run making other requests than its scenario expects
fails the benchmark, exit code 1). Wall time is only reported, never checked: against ``ansible.builtin.ping``
of the same shape in the same run (the same loop, one task, or one task on the same hosts).

    .venv/bin/python tests/performance/run_benchmarks.py [--suite standard|large|all] [--only NAME,...]
                                                         [--output FILE] [--list]

The collection is taken from the laid-out tree (``make collection``; BILLMGR_TEST_COLLECTIONS_PATH wins).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import getpass
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

PERF_DIR = Path(__file__).resolve().parent
TESTS_DIR = PERF_DIR.parent
sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree
for _path in (PERF_DIR, TESTS_DIR / "integration", TESTS_DIR / "emulator"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from billmgr_emulator import Emulator  # noqa: E402  (needs the sys.path entries above)
from bench_report import markdown  # noqa: E402
from bench_scenarios import LOOP, PAGE_SIZE, PING_TASKS_PER_HOST, ROLE, SUITES, TASK, TASK_REPEAT, all_scenarios, seeds  # noqa: E402
from playbook_runner import API_PASSWORD, API_USER, require_collection, run_playbook  # noqa: E402

CALLBACK_DIR = PERF_DIR / "callback_plugins"
RESULTS_DIR = PERF_DIR / "results"
TAG = "bench_item"


# -- playbooks -----------------------------------------------------------------------------------------------


def tagged_url(index) -> str:
    return "{{ emulator_url }}?%s=%s" % (TAG, index)


def loop_play(name: str, module: str, items: list, ping: bool = False) -> list:
    """One task looping over ``bench_items``; each item's options are templated from the item."""
    if ping:
        args = {"data": "{{ item.label }}"}
    else:
        keys = sorted({key for item in items for key in item if key != "label"})
        args = {"api_url": tagged_url("{{ bench_index }}")}
        args.update((key, "{{ item.%s }}" % key) for key in keys)
    task = {"name": name, ("ansible.builtin.ping" if ping else module): args, "loop": "{{ bench_items }}",
            "loop_control": {"index_var": "bench_index", "label": "{{ item.label }}"}}
    return [{"name": "benchmark %s" % name, "hosts": "localhost", "connection": "local", "gather_facts": False,
             "tasks": [task]}]


def task_play(name: str, module: str, options: dict, ping: bool = False) -> list:
    """One task, no loop; its options are templated from ``bench_args``."""
    if ping:
        args = {}
    else:
        args = {"api_url": tagged_url(0)}
        args.update((key, "{{ bench_args.%s }}" % key) for key in sorted(options))
    task = {"name": name, ("ansible.builtin.ping" if ping else module): args}
    return [{"name": "benchmark %s" % name, "hosts": "localhost", "connection": "local", "gather_facts": False,
             "tasks": [task]}]


def role_play(name: str, role: str, ping: bool = False) -> list:
    """The role on every panel host of the inventory (or PING_TASKS_PER_HOST pings per host, issue #17's baseline)."""
    play = {"name": "benchmark %s" % name, "hosts": "panels", "gather_facts": False}
    if ping:
        play["tasks"] = [{"name": "%s %d" % (name, number), "ansible.builtin.ping": {}}
                         for number in range(1, PING_TASKS_PER_HOST + 1)]
    else:
        play["roles"] = [role]
    return [play]


def role_inventory(hosts: list, facts_dir: Path) -> dict:
    host_vars = dict((host["label"], dict((key, value) for key, value in host.items() if key not in ("label", "license_id")))
                     for host in hosts)
    return {"all": {"vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                             "panel_license_fact_dir": "%s/{{ inventory_hostname }}" % facts_dir,
                             "panel_license_key_file": "%s/{{ inventory_hostname }}/license.key" % facts_dir,
                             "panel_license_key_owner": getpass.getuser()},
                    "children": {"panels": {"hosts": host_vars}}}}


def write_fact_files(hosts: list, facts_dir: Path) -> None:
    """What the role keeps on each panel host after its first run: the fact file ({"id", "product", "comment"}) and
    the key file (the role rewrites a key file only when it is missing or the license changed: any content does)."""
    for host in hosts:
        folder = facts_dir / host["label"]
        folder.mkdir(parents=True, exist_ok=True)
        fact = {"id": host["license_id"], "product": host["panel_license_product"], "comment": host["label"]}
        (folder / "panel_license.fact").write_text(json.dumps(fact, indent=4) + "\n", encoding="utf-8")
        key_file = folder / "license.key"
        key_file.write_text("key of license %s, as the first run wrote it\n" % host["license_id"], encoding="utf-8")
        key_file.chmod(0o600)


# -- running -------------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One ansible-playbook run: its wall time and what the bench_timing callback recorded."""

    rc: int
    playbook_seconds: float
    timing: dict
    describe: str

    @property
    def tasks(self) -> list:
        return self.timing.get("tasks", [])

    @property
    def task(self) -> dict:
        return self.tasks[0] if self.tasks else {}

    def task_seconds(self):
        task = self.task
        return task["end"] - task["start"] if task.get("end") else None

    def play_seconds(self):
        play = self.timing.get("play") or {}
        return play["end"] - play["start"] if play.get("start") and play.get("end") else None

    def item_seconds(self) -> list:
        task = self.task
        marks = [task["start"]] + [item["time"] for item in task["items"]] if task else []
        return [end - start for start, end in zip(marks, marks[1:])]


def run(emulator, workdir: Path, name: str, play: list, extra_vars: dict, inventory: dict | None = None) -> Run:
    timing_file = workdir / ("%s-timing.json" % name)
    env = {
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_DIR),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_timing",
        "BILLMGR_BENCH_TIMING_FILE": str(timing_file),
    }
    started = time.perf_counter()
    result = run_playbook(json.dumps(play, indent=1) + "\n", emulator, extra_vars=extra_vars, env=env,
                          tmp_path=workdir / name, inventory=inventory, timeout=6 * 3600)
    seconds = time.perf_counter() - started
    timing = json.loads(timing_file.read_text(encoding="utf-8")) if timing_file.is_file() else {}
    return Run(result.rc, seconds, timing, result.describe())


def run_scenario(scenario, emulator, workdir: Path, ping: bool = False) -> Run:
    """The scenario's playbook (``ping``: its baseline, the same shape with ansible.builtin.ping)."""
    name = baseline_name(scenario) if ping else scenario.name
    if scenario.shape == LOOP:
        return run(emulator, workdir, name, loop_play(name, scenario.module, scenario.items, ping),
                   {"bench_items": scenario.items})
    if scenario.shape == TASK:
        return run(emulator, workdir, name, task_play(name, scenario.module, scenario.items[0], ping),
                   {"bench_args": scenario.items[0]})
    facts_dir = workdir / name / "facts"
    facts_dir.mkdir(parents=True, exist_ok=True)
    if scenario.facts and not ping:
        write_fact_files(scenario.items, facts_dir)
    return run(emulator, workdir, name, role_play(name, scenario.module, ping), {},
               inventory=role_inventory(scenario.items, facts_dir))


def baseline_name(scenario) -> str:
    if scenario.shape == LOOP:
        return "ping_loop_x%d" % len(scenario.items)
    if scenario.shape == TASK:
        return "ping_task"
    return "ping_x%d_hosts_x%d" % (PING_TASKS_PER_HOST, len(scenario.items))


def seconds_of(scenario, run_: Run):
    """The time compared with the baseline: the loop task, the one task, or the whole play (role)."""
    return run_.play_seconds() if scenario.shape == ROLE else run_.task_seconds()


def measure_baseline(scenario, emulator, workdir: Path) -> dict:
    """``ansible.builtin.ping`` in the scenario's shape: Ansible's own cost (no API request); one task: median of runs."""
    runs = []
    for _attempt in range(TASK_REPEAT if scenario.shape == TASK else 1):
        emulator.reset()
        runs.append(run_scenario(scenario, emulator, workdir, ping=True))
        if runs[-1].rc != 0:
            raise RuntimeError("the ping baseline %s failed:\n%s" % (baseline_name(scenario), runs[-1].describe))
    item_seconds = runs[0].item_seconds() if scenario.shape == LOOP else []
    seconds = [seconds_of(scenario, run_) for run_ in runs]
    return {
        "name": baseline_name(scenario),
        "account_size": scenario.account,
        "shape": scenario.shape,
        "size": len(scenario.items),
        "requests": len(emulator.log_entries()),
        "playbook_seconds": statistics.median(run_.playbook_seconds for run_ in runs),
        "seconds": statistics.median(seconds),
        "seconds_runs": seconds,
        "median_item_seconds": statistics.median(item_seconds) if item_seconds else None,
    }


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


def _short(text: str) -> str:
    return text if len(text) <= 4000 else "%s\n...\n%s" % (text[:1000], text[-3000:])


def _compare(what: str, scenario, entries: list) -> list:
    reads, writes = counts(entries, False), counts(entries, True)
    if reads != scenario.reads or writes != scenario.writes:
        return ["%s: expected reads %s writes %s, got reads %s writes %s" % (what, scenario.reads, scenario.writes, reads, writes)]
    return []


def check_loop(scenario, run_: Run, log: list) -> list:
    tagged, untagged = requests_by_item(log)
    errors = []
    if untagged:
        errors.append("%d request(s) carry no %s tag: %s" % (len(untagged), TAG, sorted({e["func"] for e in untagged})))
    items = run_.task.get("items", [])
    if len(items) != scenario.size:
        errors.append("expected %d item results, the callback saw %d" % (scenario.size, len(items)))
    for index in range(scenario.size):
        label = scenario.items[index].get("label")
        errors += _compare("item %d (%s)" % (index, label), scenario, tagged.get(index, []))
        if index < len(items):
            summary = items[index]
            if summary["status"] != "ok":
                errors.append("item %d (%s): %s %s" % (index, label, summary["status"], summary.get("msg", "")))
            elif summary["changed"] != scenario.changed:
                errors.append("item %d: expected changed=%s, got %s" % (index, scenario.changed, summary["changed"]))
            problem = scenario.check(summary) if scenario.check else None
            if problem:
                errors.append("item %d: %s" % (index, problem))
    extra = sorted(set(tagged) - set(range(scenario.size)))
    if extra:
        errors.append("requests tagged with unknown items %s" % extra)
    return errors


def check_task(scenario, run_: Run, log: list) -> list:
    tagged, untagged = requests_by_item(log)
    errors = []
    if untagged or set(tagged) - {0}:
        errors.append("requests not tagged %s=0: %d" % (TAG, len(untagged) + sum(len(tagged[k]) for k in tagged if k != 0)))
    errors += _compare("the task", scenario, log)
    result = run_.task.get("result") or {}
    if run_.task.get("status") != "ok":
        errors.append("the task ended %s: %s" % (run_.task.get("status"), result.get("msg", "")))
        return errors
    if result.get("changed") != scenario.changed:
        errors.append("expected changed=%s, got %s" % (scenario.changed, result.get("changed")))
    if result.get("api_requests") != len(log):
        errors.append("the module reports api_requests=%s, the emulator logged %d" % (result.get("api_requests"), len(log)))
    problem = scenario.check(result) if scenario.check else None
    if problem:
        errors.append(problem)
    return errors


def check_role(scenario, run_: Run, log: list) -> list:
    errors = _compare("the play", scenario, log)
    problem = scenario.check(run_.tasks) if scenario.check else None
    if problem:
        errors.append(problem)
    return errors


CHECKS = {LOOP: check_loop, TASK: check_task, ROLE: check_role}


def measure(scenario, emulator, workdir: Path) -> tuple:
    """Run the scenario (``repeat`` times, each checked); its record (requests, rows, bytes, times) and what differs
    from its expectations. Counts are those of the last run (every run must make the expected ones)."""
    errors, runs = [], []
    for attempt in range(scenario.repeat):
        emulator.reset()
        if scenario.config:
            emulator.configure(**scenario.config)
        for rule in scenario.faults:
            emulator.add_fault(**rule)
        run_ = run_scenario(scenario, emulator, workdir)
        runs.append(run_)
        log = emulator.log_entries()
        found = ([_short(run_.describe)] if run_.rc != 0 else []) + CHECKS[scenario.shape](scenario, run_, log)
        errors += [("run %d: %s" % (attempt + 1, error)) if scenario.repeat > 1 else error for error in found]
    reads = [entry for entry in log if not entry["write"]]
    item_seconds = run_.item_seconds() if scenario.shape == LOOP else []
    seconds = [seconds_of(scenario, one) for one in runs]
    record = {
        "name": scenario.name,
        "suite": scenario.suite,
        "group": scenario.group,
        "shape": scenario.shape,
        "module": scenario.module,
        "description": scenario.description,
        "config": scenario.config,
        "faults": list(scenario.faults),
        "account_size": scenario.account,
        "items": len(scenario.items),
        "size": scenario.size,
        "population": scenario.population,
        "compare": scenario.compare,
        "requests": len(log),
        "reads": len(reads),
        "writes": len(log) - len(reads),
        "reads_by_func": counts(log, False),
        "writes_by_func": counts(log, True),
        "expected": {"reads": scenario.reads, "writes": scenario.writes,
                     "per": {LOOP: "item", TASK: "task", ROLE: "play"}[scenario.shape], "total": scenario.expected_total},
        "rows": sum(entry["rows"] for entry in reads),
        "bytes": sum(entry["bytes"] for entry in log),
        "bytes_read": sum(entry["bytes"] for entry in reads),
        "playbook_seconds": statistics.median(one.playbook_seconds for one in runs),
        "seconds": None if None in seconds else statistics.median(seconds),
        "seconds_runs": seconds,
        "median_item_seconds": statistics.median(item_seconds) if item_seconds else None,
        "tasks_seconds": task_times(scenario, run_),
        "result": run_.task.get("result") if scenario.shape == TASK else None,
    }
    return record, errors


def task_times(scenario, run_: Run) -> dict | None:
    """role: seconds of every task (summed when a name comes twice), the longest first; API tasks marked ``api``."""
    if scenario.shape != ROLE:
        return None
    found = collections.OrderedDict()
    for task in run_.tasks:
        if task.get("end"):
            key = ("api: " if task["action"].startswith("ispsystem.billmanager.") else "") + task["task"]
            found[key] = found.get(key, 0.0) + task["end"] - task["start"]
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def module_processes(scenario, emulator, workdir: Path, collections_root: Path) -> dict:
    """The module of a one-task scenario run as a bare process (no Ansible), and ``ping`` likewise: median of runs.

    Splits the task's time into the module's own (its imports, reads, plan, result) and Ansible's (templating the
    options, shipping the module, reading its result).
    """
    module_file = collections_root.joinpath("ansible_collections", *scenario.module.split(".")[:2]) / "plugins" / "modules" \
        / ("%s.py" % scenario.module.split(".")[-1])
    options = dict(scenario.items[0], api_url=emulator.url, api_user=API_USER, api_password=API_PASSWORD)
    env = dict(os.environ, PYTHONPATH=str(collections_root), PYTHONDONTWRITEBYTECODE="1")
    found = {}
    for label, command, args in (("module", [sys.executable, str(module_file)], options),
                                 ("ping", [sys.executable, "-m", "ansible.modules.ping"], {})):
        args_file = workdir / ("%s-%s-args.json" % (scenario.name, label))
        args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
        samples = []
        for _attempt in range(TASK_REPEAT):
            emulator.reset()
            if scenario.config:
                emulator.configure(**scenario.config)
            started = time.perf_counter()
            done = subprocess.run(command + [str(args_file)], env=env, capture_output=True, text=True, check=False)
            samples.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError("%s as a bare process failed: %s %s" % (label, done.stdout[-2000:], done.stderr[-2000:]))
        found[label] = statistics.median(samples)
        found["%s_result_bytes" % label] = len(done.stdout)
    return found


def _ratio(numerator, denominator):
    """numerator / denominator, or None when either is unknown (a failed run has no times)."""
    if numerator is None or not denominator:
        return None
    return numerator / float(denominator)


def with_baseline(record: dict, base: dict) -> dict:
    record["baseline"] = base
    record["ratio_to_ping"] = _ratio(record["seconds"], base["seconds"])
    record["seconds_over_ping"] = None if record["seconds"] is None or base["seconds"] is None \
        else record["seconds"] - base["seconds"]
    record["item_ratio_to_ping"] = _ratio(record["median_item_seconds"], base["median_item_seconds"])
    if record["population"]:
        scale = record["population"] / float(record["items"])
        record["extrapolated"] = dict((key, record[key] * scale if record[key] is not None else None)
                                      for key in ("requests", "reads", "writes", "rows", "bytes_read", "seconds"))
        record["extrapolated"]["ping_seconds"] = base["seconds"] * scale if base["seconds"] is not None else None
    return record


# -- the environment -----------------------------------------------------------------------------------------


def loadavg():
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else None


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
        "forks": int(os.environ.get("ANSIBLE_FORKS", "5")),
        "loadavg_before": loadavg(),
    }


IMPORTS = (
    ("python (bare start)", "pass"),
    ("ansible.module_utils.basic", "import ansible.module_utils.basic"),
    ("http.client, ssl, urllib.request (the transport)", "import http.client, ssl, urllib.request"),
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


# -- main ----------------------------------------------------------------------------------------------------


def write_report(output: Path, report: dict) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    output.with_suffix(".md").write_text(markdown(report), encoding="utf-8")


def select(parser, every: list, suite: str, only: str | None) -> list:
    if only:
        wanted = [name.strip() for name in only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - {scenario.name for scenario in every})
        if unknown:
            parser.error("unknown scenario(s) %s; see --list" % ", ".join(unknown))
        return [scenario for scenario in every if scenario.name in wanted]
    return [scenario for scenario in every if suite == "all" or scenario.suite == suite or suite in scenario.also]


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of ispsystem.billmanager against emulated accounts.")
    parser.add_argument("--suite", choices=SUITES + ("all",), default="standard",
                        help="standard (make bench: 1,000 licenses), large (make bench-large: 10,000 licenses and the "
                             "whole loop over the 1,000), or all (default %(default)s)")
    parser.add_argument("--only", help="comma-separated scenario names, from any suite (default: the whole suite)")
    parser.add_argument("--output", help="JSON results file (default results/latest-<suite>.json; a .md beside it)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    args = parser.parse_args(argv)

    accounts = seeds()
    every = all_scenarios(accounts)
    if args.list:
        for scenario in every:
            unit = "runs" if scenario.shape == LOOP else "lic."
            fields = (scenario.name, scenario.suite, scenario.shape, scenario.account, scenario.size, unit, scenario.description)
            print("%-28s %-8s %-4s %6d acct %5d %s  %s" % fields)
        return 0
    selected = select(parser, every, args.suite, args.only)
    output = Path(args.output) if args.output else RESULTS_DIR / ("latest-%s.json" % ("only" if args.only else args.suite))

    collections_root = require_collection()
    env_info = environment()
    print("ispsystem.billmanager benchmarks: %d scenarios (%s), collection from %s, load average %s"
          % (len(selected), args.only or args.suite, collections_root, " ".join("%.2f" % v for v in env_info["loadavg_before"] or [])),
          flush=True)
    started = time.perf_counter()
    baselines, records, failures, loads = {}, [], {}, []

    def report(done: bool) -> dict:
        """The report so far; written after every scenario, so that a long run cut short leaves what it measured."""
        env_info["total_seconds"] = time.perf_counter() - started
        env_info["loadavg_after"] = loadavg()
        env_info["loadavg_1min_seen"] = [min(load[0] for load in loads), max(load[0] for load in loads)] if loads and loads[0] else None
        env_info["scenarios_done"] = "%d of %d" % (len(records), len(selected))
        env_info["complete"] = done
        return {
            "environment": env_info,
            "suite": args.only or args.suite,
            "page_size": PAGE_SIZE,
            "baselines": list(baselines.values()),
            "import_seconds": import_costs() if done else {},
            "scenarios": records,
            "failures": failures,
        }

    with tempfile.TemporaryDirectory(prefix="billmgr-bench-") as tmp:
        workdir = Path(tmp)
        # The larger account first: in make bench-large the account of 10,000 comes before the whole loop over the
        # 1,000, the longest scenario, so a run cut short still has it (the results are written after every scenario).
        for account in sorted({scenario.account for scenario in selected}, reverse=True):
            with Emulator(seed=accounts[account]) as emulator:
                for scenario in [s for s in selected if s.account == account]:
                    # one baseline per account and shape, measured just before the first scenario that needs it
                    # (a baseline taken in another stretch of the run, under another load, compares nothing)
                    key = (account, baseline_name(scenario))
                    if key not in baselines:
                        baselines[key] = measure_baseline(scenario, emulator, workdir)
                    record, errors = measure(scenario, emulator, workdir)
                    if scenario.compare == "bulk":
                        record["bare_process_seconds"] = module_processes(scenario, emulator, workdir, collections_root)
                    records.append(with_baseline(record, baselines[key]))
                    loads.append(loadavg())
                    record["ok"] = not errors
                    record["loadavg_after"] = loads[-1]
                    if errors:
                        failures[scenario.name] = errors
                    print("  %-26s %6d acct %5d %-4s %7d req %8d rows %6s s  x ping %5s  load %s  %s" % (
                        scenario.name, account, scenario.size, scenario.shape, record["requests"], record["rows"],
                        "-" if record["seconds"] is None else "%.2f" % record["seconds"],
                        "-" if record["ratio_to_ping"] is None else "%.2f" % record["ratio_to_ping"],
                        "%.2f" % loads[-1][0] if loads[-1] else "-", "ok" if not errors else "FAILED"), flush=True)
                    write_report(output, report(done=False))

    final = report(done=True)
    print()
    print(markdown(final))
    write_report(output, final)
    print("results: %s and %s" % (output, output.with_suffix(".md")))

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
