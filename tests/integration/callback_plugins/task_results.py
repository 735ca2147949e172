# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only callback: writes every task result of a run to the JSON file named by BILLMGR_TEST_RESULTS_FILE.

Enabled by tests/integration/playbook_runner.py so that tests can read module return values
(``calls``, ``diff``, ``license`` ...) while stdout stays the default human-readable output.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase
from ansible.vars.clean import module_response_deepcopy, strip_internal_keys

DOCUMENTATION = """
name: task_results
type: aggregate
short_description: write task results to a JSON file (tests only)
description:
  - Appends one record per host and task result (task name, action, host, status, result) and writes them
    all as a JSON list to the file named by the E(BILLMGR_TEST_RESULTS_FILE) environment variable.
"""


class CallbackModule(CallbackBase):
    """Collects task results and writes them when the playbook ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_results"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._records = []

    def _record(self, status, result):
        data = strip_internal_keys(module_response_deepcopy(result.result))
        self._records.append(
            {
                "task": result.task.get_name(),
                "action": result.task.action,
                "host": result.host.get_name(),
                "status": status,
                "result": json.loads(json.dumps(data, default=str)),
            }
        )

    def v2_runner_on_ok(self, result, **kwargs):
        self._record("changed" if result.result.get("changed") else "ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BILLMGR_TEST_RESULTS_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self._records, handle, indent=1, sort_keys=True)
