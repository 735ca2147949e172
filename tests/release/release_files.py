# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the checkout is, and the version galaxy.yml gives the release."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


def galaxy_version():
    return yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))["version"]


def first_release_of(plugin_type, name):
    """The release whose changelog entry first lists the plugin or role (changelogs/changelog.yaml), or galaxy.yml's
    version for one that no release lists yet (new in the release being built)."""
    releases = yaml.safe_load((REPO_ROOT / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))["releases"]
    for version in sorted(releases, key=lambda text: tuple(int(part) for part in text.split("."))):
        release = releases[version]
        listed = (release.get("modules", []) if plugin_type == "module"
                  else release.get("objects", {}).get(plugin_type, []) if plugin_type == "role"
                  else release.get("plugins", {}).get(plugin_type, []))
        if name in [entry["name"] for entry in listed]:
            return version
    return galaxy_version()
