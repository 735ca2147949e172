# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ee/execution-environment.yml: ansible-builder create makes a build context (no container runtime is needed,
nor here available) that installs the collection from the release tarball, and its Python dependencies come
from the collection's own meta/execution-environment.yml."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml

from release_files import REPO_ROOT, galaxy_version

EE_FILE = REPO_ROOT / "ee" / "execution-environment.yml"
CONTEXT = REPO_ROOT / "build" / "ee"
BUILDER = [sys.executable, "-m", "ansible_builder"]


def test_ansible_builder_create_makes_a_context_with_the_tarball(tarball, tmp_path):
    assert tarball.parent == REPO_ROOT / "build" / "release", "the EE definition takes the tarball from build/release"
    shutil.rmtree(CONTEXT, ignore_errors=True)
    proc = subprocess.run(BUILDER + ["create", "--file", str(EE_FILE), "--context", str(CONTEXT),
                                     "--output-filename", "Containerfile"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr

    containerfile = (CONTEXT / "Containerfile").read_text(encoding="utf-8")
    definition = yaml.safe_load(EE_FILE.read_text(encoding="utf-8"))
    assert 'ARG EE_BASE_IMAGE="%s"' % definition["images"]["base_image"]["name"] in containerfile
    assert "ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml" in containerfile
    assert "introspect.py introspect" in containerfile  # the Python requirements of the installed collections

    shipped = CONTEXT / "_build" / "collections" / tarball.name
    assert shipped.read_bytes() == tarball.read_bytes()
    requirements = yaml.safe_load((CONTEXT / "_build" / "requirements.yml").read_text(encoding="utf-8"))
    assert requirements["collections"] == [
        {"name": "collections/ispsystem-billmanager-%s.tar.gz" % galaxy_version(), "type": "file"}]

    # What the builder stage's introspection will find in the collection installed from that tarball.
    installed = tmp_path / "collections"
    subprocess.run(["ansible-galaxy", "collection", "install", "--offline", "-p", str(installed), str(shipped)],
                   check=True, capture_output=True, text=True)
    proc = subprocess.run(BUILDER + ["introspect", "--sanitize", str(installed)],
                          capture_output=True, text=True, check=True)
    python = yaml.safe_load(proc.stdout.split("\n", 1)[1])["python"]
    assert sorted(line.split("#")[0].strip() for line in python) == runtime_requirements()
    assert all("from collection ispsystem.billmanager" in line for line in python)


def runtime_requirements():
    """The Python packages of requirements.txt with their lower bounds (ansible-core is the EE's own)."""
    lines = [line.split("#")[0].strip() for line in (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    return sorted(line.replace(" ", "") for line in lines if line and not line.startswith("ansible-core"))


def test_meta_execution_environment_is_the_collections_dependency_file():
    """meta/execution-environment.yml stays what community collections have: version 1, dependencies only."""
    meta = yaml.safe_load((REPO_ROOT / "meta" / "execution-environment.yml").read_text(encoding="utf-8"))
    assert meta == {"version": 1, "dependencies": {"python": "meta/ee-requirements.txt"}}
    listed = [line.split("#")[0].strip() for line in (REPO_ROOT / "meta" / "ee-requirements.txt").read_text().splitlines()]
    assert sorted(filter(None, listed)) == runtime_requirements() == ["lxml>=4.6.0"]  # HTTP is Python's own (issue 17)
