# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark-only callback: when each task starts and ends, when each loop item ends, and a summary of each result.

Enabled by tests/performance/run_benchmarks.py; writes ``{"play": {"start", "end"}, "tasks": [...]}`` to the file
named by BILLMGR_BENCH_TIMING_FILE when the playbook ends. Times are ``time.time()`` of the controller.
Results are summarised (status, changed, counts), not copied, so that big results (a list of
10,000 licenses) cost the benchmark as little as possible. A task that runs on many hosts (the role) keeps
the summary of its last result and how many hosts ended in each status.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timing
type: aggregate
short_description: record task and loop item times (benchmarks only)
description:
  - Records when the play starts and ends, when every task starts and ends and when every loop item ends, with a
    small summary of each result, and writes them as JSON to the file named by the E(BILLMGR_BENCH_TIMING_FILE)
    environment variable.
"""


def summarize(result: dict) -> dict:
    """The few values of a module result the benchmark checks."""
    summary = {"changed": bool(result.get("changed")), "failed": bool(result.get("failed"))}
    if result.get("msg"):
        summary["msg"] = "%s" % result["msg"]
    for key in ("licenses", "calls", "results"):
        if isinstance(result.get(key), list):
            summary[key] = len(result[key])
    for key in ("periods", "api_requests", "summary"):
        if key in result:
            summary[key] = result[key]
    return summary


class CallbackModule(CallbackBase):
    """Collects per-task and per-item times and writes them when the playbook ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tasks = []
        self._current = None
        self._play = {"start": None, "end": None}

    def v2_playbook_on_play_start(self, play):
        if self._play["start"] is None:
            self._play["start"] = time.time()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._current = {"task": task.get_name(), "action": task.action, "start": time.time(), "end": None,
                         "status": None, "items": [], "hosts": {}}
        self._tasks.append(self._current)

    def _item(self, status, result):
        if self._current is not None:
            entry = summarize(result.result)
            entry.update({"time": time.time(), "status": status})
            self._current["items"].append(entry)

    def _end(self, status, result):
        if self._current is not None:
            self._current["end"] = time.time()
            self._current["status"] = status
            self._current["result"] = summarize(result.result)
            hosts = self._current["hosts"]
            hosts[status] = hosts.get(status, 0) + 1
            if status == "ok" and result.result.get("changed"):
                hosts["changed"] = hosts.get("changed", 0) + 1

    def v2_runner_item_on_ok(self, result):
        self._item("ok", result)

    def v2_runner_item_on_failed(self, result):
        self._item("failed", result)

    def v2_runner_item_on_skipped(self, result):
        self._item("skipped", result)

    def v2_runner_on_ok(self, result, **kwargs):
        self._end("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end("failed", result)

    def v2_runner_on_skipped(self, result):
        self._end("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._end("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        self._play["end"] = time.time()
        path = os.environ.get("BILLMGR_BENCH_TIMING_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"play": self._play, "tasks": self._tasks}, handle, indent=1, sort_keys=True)
