# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the tarball ships: its links resolve inside it, its changelog, no development files; one set of versions."""

from __future__ import annotations

import json
import re

import yaml

from release_files import REPO_ROOT, galaxy_version

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
RST_LINK = re.compile(r"`[^`<]*<([^>`]+)>`__?")
EXTERNAL = ("http://", "https://", "mailto:")


def relative_links(path):
    text = path.read_text(encoding="utf-8")
    pattern = MARKDOWN_LINK if path.suffix == ".md" else RST_LINK
    for target in pattern.findall(text):
        if not target.startswith(EXTERNAL) and not target.startswith("#"):
            yield target.split("#", 1)[0]


def test_every_link_of_the_readme_and_the_docs_resolves_inside_the_tarball(extracted):
    documents = [path for path in extracted.rglob("*") if path.suffix in (".md", ".rst")]
    assert extracted / "README.md" in documents
    checked, broken = 0, []
    for document in documents:
        for target in relative_links(document):
            resolved = (document.parent / target).resolve()
            checked += 1
            if not resolved.exists() or extracted.resolve() not in resolved.parents:
                broken.append("%s -> %s" % (document.relative_to(extracted), target))
    assert broken == []
    assert checked >= 8  # the README alone has more: the check looks at the links it should


def test_the_changelog_is_shipped_with_this_release(extracted):
    changelog = (extracted / "CHANGELOG.rst").read_text(encoding="utf-8")
    assert "v%s\n" % galaxy_version() in changelog
    assert "New Roles" in changelog and "ispsystem.billmanager.panel_license" in changelog
    releases = yaml.safe_load((extracted / "changelogs" / "changelog.yaml").read_text(encoding="utf-8"))["releases"]
    assert galaxy_version() in releases


def test_development_files_stay_out(extracted):
    for name in ("Makefile", "ee", "tests/emulator", "tests/integration", "tests/release", "tests/performance", ".ci",
                 "tests/mutation", "tests/ee", "noxfile.py", "antsibull-nox.toml", ".github"):
        assert not (extracted / name).exists(), name
    manifest = json.loads((extracted / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["collection_info"]["version"] == galaxy_version()


def makefile_variable(name):
    match = re.search(r"^%s := (\S+)$" % name, (REPO_ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    return match.group(1)


def test_requires_ansible_the_matrix_and_the_readme_name_the_same_versions():
    oldest, newest = makefile_variable("CORE_OLDEST"), makefile_variable("CORE_NEWEST")
    main = re.search(r"^ansible-core>=(\d+\.\d+),", (REPO_ROOT / "test-requirements.txt").read_text(encoding="utf-8"), re.M).group(1)
    runtime = yaml.safe_load((REPO_ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    assert runtime["requires_ansible"] == ">=%s.0" % oldest
    role_meta = yaml.safe_load((REPO_ROOT / "roles" / "panel_license" / "meta" / "main.yml").read_text(encoding="utf-8"))
    assert str(role_meta["galaxy_info"]["min_ansible_version"]) == oldest
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    tested = re.findall(r"^\| (\d+\.\d+) \|", readme, re.M)
    assert tested == sorted({oldest, main, newest}, key=lambda version: tuple(map(int, version.split("."))))
    assert "ansible-core **%s or newer**" % oldest in readme
    ee = yaml.safe_load((REPO_ROOT / "ee" / "execution-environment.yml").read_text(encoding="utf-8"))
    next_minor = "%s.%d" % (newest.split(".")[0], int(newest.split(".")[1]) + 1)
    assert ee["dependencies"]["ansible_core"]["package_pip"] == "ansible-core>=%s.0,<%s" % (oldest, next_minor)


def test_the_build_ignores_what_the_tarball_must_not_ship():
    ignored = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))["build_ignore"]
    assert {"ee", "tests/release", "tests/integration", "tests/emulator", "Makefile"} <= set(ignored)


def test_guides_are_listed_once_each():
    """docs/docsite/extra-docs.yml lists each guide_*.rst exactly once, and each guide carries its docsite label."""
    docsite = REPO_ROOT / "docs" / "docsite"
    listed = [entry for section in yaml.safe_load((docsite / "extra-docs.yml").read_text(encoding="utf-8"))["sections"]
              for entry in section["toctree"]]
    guides = sorted(path.stem for path in (docsite / "rst").glob("*.rst"))
    assert sorted(listed) == guides
    for guide in guides:
        label = ".. _ansible_collections.ispsystem.billmanager.docsite.%s:" % guide
        assert label in (docsite / "rst" / ("%s.rst" % guide)).read_text(encoding="utf-8"), guide


def test_docs_do_not_send_readers_to_unshipped_files(extracted):
    """Shipped docs may name make targets only where they say they need a git checkout."""
    for document in [path for path in extracted.rglob("*") if path.suffix in (".md", ".rst")]:
        text = document.read_text(encoding="utf-8")
        for unshipped in ("tests/emulator/README.md", "tests/performance/README.md"):
            assert unshipped not in text, document
        if "make demo" in text or "make test" in text:
            assert "checkout" in text, document
