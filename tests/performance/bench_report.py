# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The report of a benchmark run (run_benchmarks.py): Markdown tables, printed and written beside the JSON.

Tables: every scenario; the sampled loops with their extrapolated totals; per account, the bulk task vs the
loop of isp_license vs the role; the goals of issue #10 (counts are checked by run_benchmarks.py, times only
reported here).
"""

from __future__ import annotations

from bench_scenarios import CHANGES, LATENCY_SECONDS, LOOP, PING_TASKS_PER_HOST, READ_CONCURRENCY, ROLE, TASK, pages

GOAL_SECONDS_OVER_PING = 1.0  # bulk no-op of 1,000 licenses: within 1 s of one ping task
GOAL_LOOP_RATIO = 50.0  # ... and at least 50x faster than the loop of isp_license by comment

# Issue #17 (ratios measured in one run, default options)
GOAL_PROCESS_OVER_PING = 0.3  # no-op isp_licenses over 1,000: its bare process within 0.3 s of a bare ping process
GOAL_TASK_OVER_PING = 0.5  # ... its task within 0.5 s of a ping task
GOAL_RESULT_BYTES = 100 * 1024  # ... its result at most 100 KB
GOAL_LINEAR = 10.0  # no-op over 10,000: at most 10x the 1,000 figure
GOAL_LARGE_SECONDS = 8.0  # ... and at most 8 s (on an idle machine)
GOAL_LATENCY_FACTOR = 1.3  # 1,000 with addons at 50 ms: <= 1.3 x (reads x latency / concurrency) + the same without latency
GOAL_BY_ID_RATIO = 1.25  # isp_license by id, no-op: at most 1.25x a ping task
GOAL_ROLE_RATIO = 2.0  # the role's rerun on 200 hosts: at most 2x a play of three pings per host


def _n(value) -> str:
    if value is None:
        return "-"
    return "{:,}".format(int(round(value)))


def _s(value, spec: str = "%.2f") -> str:
    return "-" if value is None else spec % value


def _minus(value, other):
    return None if value is None or other is None else value - other


def _x(value) -> str:
    if value is None:
        return "-"
    return ("x%.0f" % value) if value >= 100 else ("x%.1f" % value) if value >= 10 else ("x%.2f" % value)


def _t(record: dict) -> str:
    """Seconds of a scenario or baseline: the median, with the range when the playbook ran more than once."""
    runs = [value for value in record.get("seconds_runs") or [] if value is not None]
    if len(runs) > 1:
        return "%.2f (%.2f-%.2f, %d runs)" % (record["seconds"], min(runs), max(runs), len(runs))
    return _s(record["seconds"])


def by_func(record: dict) -> str:
    parts = ["%s %d" % item for item in record["reads_by_func"].items()]
    parts += ["%s(w) %d" % item for item in record["writes_by_func"].items()]
    return ", ".join(parts) or "-"


def _what(record: dict) -> str:
    shape = record["shape"]
    if shape == LOOP:
        return "loop of %d" % record["items"]
    if shape == TASK:
        return "1 task, %d licenses" % record["size"]
    return "role, %d hosts" % record["size"]


def table(header: list, rows: list) -> list:
    lines = ["| %s |" % " | ".join(header), "|%s|" % "|".join("---" if i == 0 else "---:" for i in range(len(header)))]
    lines += ["| %s |" % " | ".join(row) for row in rows]
    return lines


def scenario_table(records: list) -> list:
    header = ["scenario", "account", "what", "requests", "by func (checked)", "rows read", "bytes read", "s",
              "ping s", "x ping", "+s", "s/run", "ping s/run"]
    rows = []
    for rec in records:
        base = rec["baseline"]
        rows.append([
            "`%s`%s" % (rec["name"], "" if rec["ok"] else " **FAILED**"), _n(rec["account_size"]), _what(rec),
            _n(rec["requests"]), by_func(rec), _n(rec["rows"]), _n(rec["bytes_read"]), _t(rec), _t(base),
            _s(rec["ratio_to_ping"]), _s(rec["seconds_over_ping"], "%+.2f"),
            _s(rec["median_item_seconds"], "%.3f"), _s(base["median_item_seconds"], "%.3f"),
        ])
    return table(header, rows)


def extrapolation_table(records: list) -> list:
    sampled = [rec for rec in records if rec.get("extrapolated")]
    if not sampled:
        return []
    header = ["loop", "account", "sample", "of", "requests", "rows read", "bytes read", "s", "ping loop s"]
    rows = []
    for rec in sampled:
        est = rec["extrapolated"]
        rows.append(["`%s`" % rec["name"], _n(rec["account_size"]), _n(rec["items"]), _n(rec["population"]),
                     _n(est["requests"]), _n(est["rows"]), _n(est["bytes_read"]), _s(est["seconds"], "%.0f"),
                     _s(est["ping_seconds"], "%.0f")])
    return ["", "Sampled loops, **extrapolated** to every item (measured per item x items; the sample is spread evenly "
            "over the account):", ""] + table(header, rows)


def _loop_of(records: list, account: int):
    """The loop of isp_license by comment over the account: measured whole when the run has it, else extrapolated."""
    loops = [rec for rec in records if rec["compare"] == "loop" and rec["account_size"] == account]
    whole = [rec for rec in loops if not rec["population"]]
    if whole:
        rec = whole[0]
        return rec, dict((key, rec[key]) for key in ("requests", "rows", "bytes_read", "seconds")), \
            rec["baseline"]["seconds"], "measured whole"
    if loops:
        rec = loops[0]
        return rec, rec["extrapolated"], rec["extrapolated"]["ping_seconds"], \
            "extrapolated from %s of %s" % (_n(rec["items"]), _n(rec["population"]))
    return None, None, None, None


def comparison(records: list) -> list:
    lines = []
    for account in sorted({rec["account_size"] for rec in records}):
        bulk = next((rec for rec in records if rec["compare"] == "bulk" and rec["account_size"] == account), None)
        role = next((rec for rec in records if rec["compare"] == "role" and rec["account_size"] == account), None)
        loop, loop_values, loop_ping, how = _loop_of(records, account)
        if not (bulk or loop or role):
            continue
        header = ["account of %s" % _n(account), "licenses", "requests", "rows read", "bytes read", "s",
                  "ping of the same shape, s", "x ping"]
        rows = []
        if bulk:
            rows.append(["one `isp_licenses` task (`%s`)" % bulk["name"], _n(bulk["size"]), _n(bulk["requests"]),
                         _n(bulk["rows"]), _n(bulk["bytes_read"]), _t(bulk),
                         "%s (one task)" % _t(bulk["baseline"]), _s(bulk["ratio_to_ping"])])
        if loop:
            rows.append(["loop of `isp_license` (`%s`, %s)" % (loop["name"], how), _n(loop["population"] or loop["items"]),
                         _n(loop_values["requests"]), _n(loop_values["rows"]), _n(loop_values["bytes_read"]),
                         _s(loop_values["seconds"], "%.0f"), "%s (loop)" % _s(loop_ping, "%.0f"),
                         _s(loop_values["seconds"] / loop_ping if loop_ping else None)])
        if role:
            rows.append(["role on %d hosts (`%s`)" % (role["size"], role["name"]), _n(role["size"]), _n(role["requests"]),
                         _n(role["rows"]), _n(role["bytes_read"]), _s(role["seconds"]),
                         "%s (one ping per host)" % _s(role["baseline"]["seconds"]), _s(role["ratio_to_ping"])])
        lines += [""] + table(header, rows)
        notes = []
        if bulk and loop:
            notes.append("Loop / bulk (%s): time %s, requests %s, rows %s, bytes %s." % (
                how, _x(loop_values["seconds"] / bulk["seconds"] if bulk["seconds"] else None),
                _x(loop_values["requests"] / float(bulk["requests"] or 1)), _x(loop_values["rows"] / float(bulk["rows"] or 1)),
                _x(loop_values["bytes_read"] / float(bulk["bytes_read"] or 1))))
        bare = (bulk or {}).get("bare_process_seconds")
        if bare:
            values = (bare["module"], _n(bare["module_result_bytes"]), bare["ping"], _s(bulk["seconds"]),
                      _s(_minus(bulk["seconds"], bare["module"])), _s(bulk["baseline"]["seconds"]),
                      _s(_minus(bulk["baseline"]["seconds"], bare["ping"])), _n(bulk["size"]))
            notes.append("The bulk module as a bare process (no Ansible, median of 3): %.2f s, its result %s bytes; `ping` "
                         "likewise %.2f s. Of the task's %s s, %s s are Ansible's (of one `ping` task's %s s, %s s): "
                         "templating the %s entries, shipping the module, taking in its result." % values)
        if role and role.get("tasks_seconds"):
            spent = sorted(role["tasks_seconds"].items(), key=lambda item: -item[1])
            api = sum(value for key, value in spent if key.startswith("api: "))
            notes.append("Where the role's %s s go: its API task(s) %.1f s; the longest tasks (all hosts): %s." % (
                _s(role["seconds"], "%.0f"), api, "; ".join("%s %.0f s" % (name.split(" : ")[-1], value)
                                                            for name, value in spent[:3])))
        for note in notes:
            lines += ["", note]
    return lines


def _find(records: list, name: str):
    return next((rec for rec in records if rec["name"] == name), None)


def goals(records: list) -> list:
    lines = []
    bulk = _find(records, "bulk_noop")
    if bulk:
        listing = bulk["reads_by_func"].get("platform", 0)
        values = (_n(bulk["size"]), _n(bulk["account_size"]), listing, _n(bulk["account_size"]),
                  pages(bulk["account_size"]), bulk["writes"], "" if bulk["ok"] else " (**FAILED**)")
        lines.append("- No-op bulk reconcile of %s licenses (account of %s): %d list requests (ceil(%s / 500) = %d) and "
                     "%d writes, **checked**%s." % values)
        over = bulk["seconds_over_ping"]
        bare = bulk.get("bare_process_seconds")
        bare_text = "" if not bare else "; as bare processes (no Ansible) the module took %.2f s, `ping` %.2f s: %+.2f s" % (
            bare["module"], bare["ping"], bare["module"] - bare["ping"])
        verdict = "met" if over is not None and over <= GOAL_SECONDS_OVER_PING else "**not met**"
        lines.append("- Its task took %s s, one `ping` task %s s: %s s more (goal: within %.0f s, %s; reported, not checked)%s."
                     % (_t(bulk), _t(bulk["baseline"]), _s(over, "%+.2f"), GOAL_SECONDS_OVER_PING, verdict, bare_text))
        loop, values, _ping, how = _loop_of(records, bulk["account_size"])
        if loop and bulk["seconds"]:
            ratio = values["seconds"] / bulk["seconds"]
            verdict = "met" if ratio >= GOAL_LOOP_RATIO else "**not met**"
            lines.append("- The loop of `isp_license` by comment over the same licenses (%s): %s s, %s the bulk task "
                         "(goal: at least x%.0f, %s)." % (how, _s(values["seconds"], "%.0f"), _x(ratio), GOAL_LOOP_RATIO, verdict))
    for role in [rec for rec in records if rec["shape"] == ROLE]:
        lines.append("- `%s` (account of %s): %s requests for %d hosts, of which %d list requests (%s complete read(s) of "
                     "the account), %d writes, **checked**%s." % (
                         role["name"], _n(role["account_size"]), _n(role["requests"]), role["size"],
                         role["reads_by_func"].get("platform", 0),
                         _s(role["reads_by_func"].get("platform", 0) / float(pages(role["account_size"])), "%g"),
                         role["writes"], "" if role["ok"] else " (**FAILED**)"))
    for change in [rec for rec in records if rec["name"].startswith("bulk_change_k")]:
        edits = change["writes_by_func"].get("platform.edit", 0)
        reads = change["reads_by_func"].get("platform.edit", 0)
        lines.append("- `%s` (account of %s): %d writes for K = %d changed licenses; %d list requests, %d reads of one "
                     "license = %d verifying reads (one per changed license) + %d reads of addon values before the plan "
                     "(the %d resized entries name addons, the rows carry none); %d reads of the prolong form (the "
                     "price of each renewal, issue #15), **checked**%s." % (
                         change["name"], _n(change["account_size"]), change["writes"], CHANGES,
                         change["reads_by_func"].get("platform", 0), reads, CHANGES, reads - CHANGES, edits,
                         change["reads_by_func"].get("service.prolong", 0), "" if change["ok"] else " (**FAILED**)"))
    return lines


def _verdict(ok) -> str:
    return "-" if ok is None else "met" if ok else "**not met**"


def _goal(text: str, figure: str, goal: str, ok) -> list:
    return [text, figure, goal, _verdict(ok)]


def _le(value, limit):
    return None if value is None or limit is None else value <= limit


def goals_17(records: list) -> list:
    """Issue #17's goals, each beside its figure (met / not met). Times are reported, never checked."""
    rows = []
    bulk = _find(records, "bulk_noop")
    if bulk:
        bare = bulk.get("bare_process_seconds") or {}
        if bare:
            over = bare["module"] - bare["ping"]
            rows.append(_goal("no-op `isp_licenses`, %s licenses: bare module process over a bare `ping` process"
                              % _n(bulk["size"]), "%+.2f s (%.2f vs %.2f)" % (over, bare["module"], bare["ping"]),
                              "<= %.1f s" % GOAL_PROCESS_OVER_PING, over <= GOAL_PROCESS_OVER_PING))
        over = bulk["seconds_over_ping"]
        rows.append(_goal("... its task over one `ping` task", "%s s" % _s(over, "%+.2f"),
                          "<= %.1f s" % GOAL_TASK_OVER_PING, _le(over, GOAL_TASK_OVER_PING)))
        size = bare.get("module_result_bytes")
        rows.append(_goal("... its result (JSON)", "%s KB" % _s(size and size / 1024.0, "%.0f"),
                          "<= %d KB" % (GOAL_RESULT_BYTES // 1024), _le(size, GOAL_RESULT_BYTES)))
    large = _find(records, "bulk_noop_10k")
    if large and large["seconds"] is not None:
        rows.append(_goal("no-op `isp_licenses`, %s licenses: its task" % _n(large["size"]), "%.2f s" % large["seconds"],
                          "<= %.0f s (idle machine)" % GOAL_LARGE_SECONDS, large["seconds"] <= GOAL_LARGE_SECONDS))
        if bulk and bulk["seconds"]:
            ratio = large["seconds"] / bulk["seconds"]
            rows.append(_goal("... against the %s-license task" % _n(bulk["size"]), _x(ratio), "<= x%.0f" % GOAL_LINEAR,
                              ratio <= GOAL_LINEAR))
    slow, plain = _find(records, "bulk_noop_addons_latency"), _find(records, "bulk_noop_addons")
    if slow and plain and slow["seconds"] is not None and plain["seconds"] is not None:
        reads = slow["reads_by_func"].get("platform.edit", 0)
        limit = GOAL_LATENCY_FACTOR * reads * LATENCY_SECONDS / READ_CONCURRENCY + plain["seconds"]
        rows.append(_goal("no-op with addons, %s licenses, %d ms per request (%d reads of one license, %d at a time)"
                          % (_n(slow["size"]), LATENCY_SECONDS * 1000, reads, READ_CONCURRENCY),
                          "%.2f s" % slow["seconds"],
                          "<= %.1f x %d x %.2f s / %d + %.2f s (the same without latency) = %.2f s"
                          % (GOAL_LATENCY_FACTOR, reads, LATENCY_SECONDS, READ_CONCURRENCY, plain["seconds"], limit),
                          slow["seconds"] <= limit))
    by_id = _find(records, "license_by_id")
    if by_id:
        ratio = by_id.get("item_ratio_to_ping")
        rows.append(_goal("`isp_license` by id, no-op: one run against one `ping` run (median item)", _x(ratio),
                          "<= x%.2f" % GOAL_BY_ID_RATIO, _le(ratio, GOAL_BY_ID_RATIO)))
    rerun = _find(records, "role_by_id")
    if rerun:
        ratio = rerun.get("ratio_to_ping")
        rows.append(_goal("role rerun on %d hosts, nothing to change: against a play of %d `ping` tasks per host"
                          % (rerun["size"], PING_TASKS_PER_HOST), "%s (%s s vs %s s)" % (
                              _x(ratio), _s(rerun["seconds"], "%.0f"), _s(rerun["baseline"]["seconds"], "%.0f")),
                          "<= x%.0f" % GOAL_ROLE_RATIO, _le(ratio, GOAL_ROLE_RATIO)))
    if not rows:
        return []
    return table(["what", "figure", "goal", "verdict"], rows)


def markdown(report: dict) -> str:
    env = report["environment"]
    records = report["scenarios"]
    seen = env.get("loadavg_1min_seen")
    lines = [
        "Run of %s: %s, %d CPUs, Python %s, ansible-core %s, forks %d; load average (1, 5, 15 min) before %s, after %s;"
        " 1-min load after each scenario %s; total %.0f s." % (
            report["suite"], env["date"], env["cpus"], env["python"], env["ansible_core"], env["forks"],
            " ".join("%.2f" % v for v in env["loadavg_before"] or []), " ".join("%.2f" % v for v in env["loadavg_after"] or []),
            ("%.2f-%.2f" % tuple(seen)) if seen else "-", env["total_seconds"]),
        "",
    ]
    if not env.get("complete", True):
        lines += ["**Incomplete run**: %s scenarios done so far (the results are written after every scenario)."
                  % env.get("scenarios_done"), ""]
    lines += scenario_table(records)
    lines += extrapolation_table(records)
    lines += comparison(records)
    found = goals(records)
    if found:
        lines += ["", "Goals of issue #10:", ""] + found
    found = goals_17(records)
    if found:
        loads = " ".join("%.2f" % v for v in env["loadavg_after"] or [])
        lines += ["", "Goals of issue #17 (reported, not checked; load average after the run %s):" % loads, ""] + found
    imports = report.get("import_seconds") or {}
    if imports:
        lines += ["", "Fresh interpreter + import (median of 5): %s." % ", ".join("%s %.3f s" % item for item in imports.items())]
    if report["failures"]:
        lines += ["", "**FAILED**: %s" % ", ".join(sorted(report["failures"]))]
    return "\n".join(lines) + "\n"
