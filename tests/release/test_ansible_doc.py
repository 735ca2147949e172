# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-doc on every plugin and the role of the installed tarball, with each ansible-core of the matrix.

BILLMGR_ANSIBLE_DOC_BINS: the ansible-doc programs to use, separated by spaces (make release-check passes the
main venv's and those of the matrix venvs that exist); default: ansible-doc on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from release_files import first_release_of

ANSIBLE_DOC_BINS = os.environ.get("BILLMGR_ANSIBLE_DOC_BINS", "").split() or [shutil.which("ansible-doc") or "ansible-doc"]
COLLECTION = "ispsystem.billmanager"


def documented_content(root):
    """What the tarball should document: type -> plugin names, from its files."""
    filters = {path.stem for path in (root / "plugins" / "filter").glob("*.yml")}
    filters |= {path.stem for path in (root / "plugins" / "filter").glob("*.py")
                if "DOCUMENTATION = " in path.read_text(encoding="utf-8")}
    return {
        "module": {path.stem for path in (root / "plugins" / "modules").glob("*.py") if path.stem != "__init__"},
        "filter": filters,
        "role": {path.name for path in (root / "roles").iterdir() if (path / "meta" / "argument_specs.yml").is_file()},
    }


def ansible_doc(binary, installed, *args):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(installed), ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="1")
    env.pop("ANSIBLE_CONFIG", None)
    proc = subprocess.run([binary] + list(args), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, "%s %s\n%s%s" % (binary, " ".join(args), proc.stdout, proc.stderr)
    # ansible-core 2.21's own internal collection (ansible._protomatter) has no version: its warning is not ours
    flagged = [line for line in proc.stderr.splitlines()
               if ("WARNING" in line or "ERROR" in line) and "/ansible/_internal/ansible_collections/" not in line]
    assert flagged == [], proc.stderr
    return proc.stdout


def core_version(binary):
    return subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.split("\n")[0]


@pytest.fixture(scope="module", params=ANSIBLE_DOC_BINS, ids=lambda binary: binary.split("/")[-3])
def doc_bin(request):
    return request.param


@pytest.mark.parametrize("plugin_type", ["module", "filter", "role"])
def test_every_plugin_and_role_is_listed_documented_and_renders(doc_bin, installed, extracted, plugin_type):
    expected = documented_content(extracted)[plugin_type]
    assert expected, plugin_type
    listed = json.loads(ansible_doc(doc_bin, installed, "-t", plugin_type, "-l", "--json", COLLECTION))
    assert {name.split(".")[-1] for name in listed} == expected, core_version(doc_bin)

    names = ["%s.%s" % (COLLECTION, name) for name in sorted(expected)]
    docs = json.loads(ansible_doc(doc_bin, installed, "-t", plugin_type, "--json", *names))
    assert sorted(docs) == names
    for name, data in docs.items():
        doc = data["entry_points"]["main"] if plugin_type == "role" else data["doc"]
        assert doc["short_description"], name
        # the release that added it: the first whose changelog lists it, or this one
        assert str(doc["version_added"]) == first_release_of(plugin_type, name.split(".")[-1]), name

    text = ansible_doc(doc_bin, installed, "-t", plugin_type, *names)
    for name in names:
        assert name.lower() in text.lower()  # 2.16 shows a role's name in capitals
