# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run every ansible-test style target under tests/integration/targets/ against a fresh emulator.

A target is ``targets/<name>/tasks/main.yml``, run as a role of a localhost play. Optional files:
- ``targets/<name>/files/seed.json``: the emulator's seed instead of the default one;
- ``targets/<name>/emulator.json``: keyword arguments for Emulator (e.g. ``{"tls": true}``);
- ``targets/<name>/aliases``: a ``disabled`` line skips the target.
The play gets ``emulator_url``, ``emulator_admin_url`` and ``emulator_ca_file`` as extra vars, and
the modules BILLMGR_API_URL / BILLMGR_API_USER / BILLMGR_API_PASSWORD (+ BILLMGR_CA_PATH with TLS).
"""

from __future__ import annotations

import json

import pytest

from playbook_runner import TARGETS_DIR, require_collection, run_playbook

PLAY = """---
- hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - {target}
"""


def _targets() -> list:
    if not TARGETS_DIR.is_dir():
        return []
    return sorted(path.name for path in TARGETS_DIR.iterdir() if (path / "tasks" / "main.yml").is_file())


def _aliases(target: str) -> set:
    path = TARGETS_DIR / target / "aliases"
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def _emulator_kwargs(target: str) -> dict:
    kwargs = {}
    options = TARGETS_DIR / target / "emulator.json"
    if options.is_file():
        kwargs.update(json.loads(options.read_text(encoding="utf-8")))
    seed = TARGETS_DIR / target / "files" / "seed.json"
    if seed.is_file():
        kwargs["seed"] = str(seed)
    return kwargs


def test_collection_is_laid_out():
    """Fails with a clear message (run `make collection`) instead of a module-not-found from Ansible."""
    assert require_collection().is_dir()


@pytest.mark.parametrize("target", _targets())
def test_target(target, emulator_factory, tmp_path):
    if "disabled" in _aliases(target):
        pytest.skip("target %s is disabled in its aliases file" % target)
    require_collection()
    emulator = emulator_factory(**_emulator_kwargs(target))
    result = run_playbook(PLAY.format(target=target), emulator, verbosity=1, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()


def test_runner_over_tls(emulator_factory, tmp_path):
    """The runner hands the test CA to the play (emulator_ca_file) and to the modules (BILLMGR_CA_PATH)."""
    emulator = emulator_factory(tls=True)
    assert emulator.url.startswith("https://")
    result = run_playbook(PLAY.format(target="emulator_smoke"), emulator, verbosity=1, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
