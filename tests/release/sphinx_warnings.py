#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fail `make docs` on any Sphinx warning about the collection's own content.

`make docs` builds offline, without intersphinx, so the labels that live on docs.ansible.com (ansible-core's
plugins such as ansible_collections.ansible.builtin.uri_module, common_return_values, ...) cannot resolve;
such "undefined label" warnings are reported as a count and let through. `make release-check` checks those
references against the installed ansible-core instead (antsibull-docs lint-collection-docs
--validate-collection-refs dependent). Every other warning, and an undefined label of this collection, fails.

Usage: sphinx_warnings.py WARNINGS_FILE
"""

from __future__ import annotations

import re
import sys

OWN_LABEL_PREFIX = "ansible_collections.ispsystem.billmanager."
UNDEFINED_LABEL = re.compile(r"WARNING: undefined label: '([^']+)'")


def classify(lines):
    """(ours, external): the warnings to fail on, and the unresolvable references to docs.ansible.com."""
    ours, external = [], []
    for line in lines:
        if "WARNING" not in line and "ERROR" not in line:
            continue
        match = UNDEFINED_LABEL.search(line)
        if match and not match.group(1).startswith(OWN_LABEL_PREFIX):
            external.append(line)
        else:
            ours.append(line)
    return ours, external


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        lines = sorted(set(handle.read().splitlines()))
    ours, external = classify(lines)
    labels = sorted({UNDEFINED_LABEL.search(line).group(1) for line in external})
    print("docs: %d warning(s) about this collection's content; %d reference(s) to docs.ansible.com left "
          "unresolved offline (%s)" % (len(ours), len(external), ", ".join(labels) or "none"))
    for line in ours:
        print(line)
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
