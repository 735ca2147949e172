# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run real ansible-playbook processes against an in-process BILLmanager emulator.

Used by test_targets.py (ansible-test style targets) and by any pytest test that wants to run an
ad-hoc playbook and then look at ``emulator.log`` / ``emulator.state``::

    from playbook_runner import run_playbook

    def test_check_mode_writes_nothing(emulator, tmp_path):
        result = run_playbook(PLAYBOOK, emulator, check=True, tmp_path=tmp_path)
        assert result.rc == 0, result.describe()
        assert result.task_results("Order the license")[0]["changed"]
        assert not [e for e in emulator.log if e["write"]]

The collection is taken from the laid-out tree (``make collection``), never from the work tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TARGETS_DIR = REPO_ROOT / "tests" / "integration" / "targets"
CALLBACK_DIR = Path(__file__).resolve().parent / "callback_plugins"
COLLECTION_PARTS = ("ansible_collections", "ispsystem", "billmanager")

API_USER = "demo"
API_PASSWORD = "demo-secret"

DEFAULT_TIMEOUT = 600


class CollectionNotLaidOut(RuntimeError):
    """The collection is not where ANSIBLE_COLLECTIONS_PATH will point: run `make collection`."""


def collections_path() -> Path:
    """The directory to use as ANSIBLE_COLLECTIONS_PATH.

    BILLMGR_TEST_COLLECTIONS_PATH wins; when these tests run inside a laid-out tree
    (.../ansible_collections/ispsystem/billmanager) that tree's root is used; otherwise <repo>/build.
    """
    override = os.environ.get("BILLMGR_TEST_COLLECTIONS_PATH")
    if override:
        return Path(override).resolve()
    if REPO_ROOT.parts[-3:] == COLLECTION_PARTS:
        return REPO_ROOT.parents[2]
    return REPO_ROOT / "build"


def require_collection() -> Path:
    """Return the collections path, or raise when ispsystem.billmanager is not laid out there."""
    path = collections_path()
    collection = path.joinpath(*COLLECTION_PARTS)
    if not (collection / "galaxy.yml").is_file():
        raise CollectionNotLaidOut(
            "%s is not a laid-out collection: run `make collection` (make integration does it)" % collection
        )
    return path


def ansible_playbook_bin() -> str:
    """The ansible-playbook of the Python running the tests (the venv), else the one on PATH."""
    candidate = Path(sys.executable).parent / "ansible-playbook"
    if candidate.is_file() and os.access(str(candidate), os.X_OK):
        return str(candidate)
    found = shutil.which("ansible-playbook")
    if not found:
        raise RuntimeError("ansible-playbook not found next to %s nor on PATH: run `make venv`" % sys.executable)
    return found


@dataclass
class PlaybookResult:
    """What one ansible-playbook run returned."""

    rc: int
    stdout: str = field(repr=False)
    stderr: str = field(repr=False)
    cmd: list = field(default_factory=list, repr=False)
    tasks: list = field(default_factory=list, repr=False)
    """Every task result in run order: {"task", "action", "host", "status" (ok, changed, failed, skipped, unreachable), "result"} (callback task_results)."""

    def task_results(self, task_name: str, host: str = "localhost") -> list:
        """The result dicts of every run of the task named ``task_name`` on ``host``, in run order."""
        return [record["result"] for record in self.tasks if record["task"] == task_name and record["host"] == host]

    def describe(self) -> str:
        """A message for a failed assertion: the command, rc, stdout and stderr."""
        return "ansible-playbook exited %d\ncommand: %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (
            self.rc, " ".join(self.cmd), self.stdout, self.stderr
        )


def emulator_vars(emulator) -> dict:
    """Extra vars every playbook gets: where the emulator's API, admin API and test CA are."""
    return {
        "emulator_url": emulator.url,
        "emulator_admin_url": emulator.admin_url,
        "emulator_ca_file": emulator.ca_file,
    }


def playbook_env(emulator, collections: Path, workdir: Path, env: dict | None = None) -> dict:
    """The environment of an ansible-playbook run against ``emulator``."""
    run_env = dict(os.environ)
    for name in ("ANSIBLE_CONFIG", "BILLMGR_CA_PATH"):
        run_env.pop(name, None)
    run_env.update(
        {
            "BILLMGR_API_URL": emulator.url,
            "BILLMGR_API_USER": API_USER,
            "BILLMGR_API_PASSWORD": API_PASSWORD,
            # After a lost answer of a write that spends money, read again for this long (the modules' default is 60 s;
            # a test of a slow server sets more).
            "BILLMGR_CONFIRM_TIMEOUT": "5",
            "ANSIBLE_COLLECTIONS_PATH": str(collections),
            "ANSIBLE_ROLES_PATH": str(TARGETS_DIR),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
            "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_DIR),
            "ANSIBLE_CALLBACKS_ENABLED": "task_results",
            "BILLMGR_TEST_RESULTS_FILE": str(workdir / "task-results.json"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if emulator.ca_file:
        run_env["BILLMGR_CA_PATH"] = str(emulator.ca_file)
    if env:
        run_env.update({key: str(value) for key, value in env.items()})
    return run_env


def _playbook_file(playbook, workdir: Path) -> Path:
    if isinstance(playbook, Path):
        return playbook
    if "\n" not in playbook and Path(playbook).is_file():
        return Path(playbook)
    path = workdir / "playbook.yml"
    path.write_text(playbook, encoding="utf-8")
    return path


def run_playbook(
    playbook,
    emulator,
    extra_vars: dict | None = None,
    check: bool = False,
    diff: bool = False,
    verbosity: int = 0,
    env: dict | None = None,
    tmp_path: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    inventory: dict | None = None,
    limit: str | None = None,
) -> PlaybookResult:
    """Run ``playbook`` (YAML text, or the path of a file) with ansible-playbook against ``emulator``.

    The play sees ``emulator_url``, ``emulator_admin_url`` and ``emulator_ca_file`` (plus
    ``extra_vars``), and the modules their BILLMGR_* environment fallbacks (user demo). Hosts:
    ``localhost`` only, local connection, the Python that runs the tests. Task results are
    recorded (PlaybookResult.tasks / task_results) and stdout is the default callback's.
    """
    collections = require_collection()
    if tmp_path is None:
        workdir = Path(tempfile.mkdtemp(prefix="billmgr-playbook-"))
    else:
        workdir = Path(tmp_path)
        workdir.mkdir(parents=True, exist_ok=True)

    playbook_path = _playbook_file(playbook, workdir)
    if inventory is None:
        inventory_file = workdir / "inventory.ini"
        inventory_file.write_text(
            "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable, encoding="utf-8"
        )
    else:
        inventory_file = workdir / "inventory.json"
        inventory_file.write_text(json.dumps(inventory, indent=1), encoding="utf-8")
    all_vars = emulator_vars(emulator)
    all_vars.update(extra_vars or {})
    vars_file = workdir / "extra-vars.json"
    vars_file.write_text(json.dumps(all_vars), encoding="utf-8")

    cmd = [ansible_playbook_bin(), "-i", str(inventory_file), "-e", "@%s" % vars_file]
    if check:
        cmd.append("--check")
    if diff:
        cmd.append("--diff")
    if limit:
        cmd += ["--limit", limit]  # as an AWX job slice: a play over part of the hosts
    if verbosity:
        cmd.append("-" + "v" * verbosity)
    cmd.append(str(playbook_path))

    run_env = playbook_env(emulator, collections, workdir, env)
    results_file = Path(run_env["BILLMGR_TEST_RESULTS_FILE"])
    if results_file.exists():
        results_file.unlink()
    proc = subprocess.run(
        cmd,
        cwd=str(workdir),
        env=run_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    tasks = json.loads(results_file.read_text(encoding="utf-8")) if results_file.is_file() else []
    return PlaybookResult(rc=proc.returncode, stdout=proc.stdout, stderr=proc.stderr, cmd=cmd, tasks=tasks)
