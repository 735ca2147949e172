# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the release checks: the tarball `make tarball` built, extracted and installed."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from release_files import REPO_ROOT, galaxy_version


@pytest.fixture(scope="session")
def tarball():
    """BILLMGR_RELEASE_TARBALL (make release-check sets it), else build/release/ispsystem-billmanager-VERSION.tar.gz."""
    path = Path(os.environ.get("BILLMGR_RELEASE_TARBALL")
                or REPO_ROOT / "build" / "release" / ("ispsystem-billmanager-%s.tar.gz" % galaxy_version()))
    if not path.is_file():
        pytest.fail("%s is missing: run `make release-check` (or `make tarball` first)" % path)
    return path


@pytest.fixture(scope="session")
def extracted(tarball, tmp_path_factory):
    """The tarball's files (its root is the collection root)."""
    root = tmp_path_factory.mktemp("extracted")
    with tarfile.open(tarball) as archive:
        archive.extractall(root, filter="data")
    return root


@pytest.fixture(scope="session")
def installed(tarball, tmp_path_factory):
    """A collections path with the tarball installed by ansible-galaxy (offline: the collection has no dependencies)."""
    root = tmp_path_factory.mktemp("installed")
    subprocess.run(["ansible-galaxy", "collection", "install", "--offline", "-p", str(root), str(tarball)],
                   check=True, capture_output=True, text=True)
    return root
