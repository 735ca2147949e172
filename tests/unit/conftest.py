# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make ``ansible_collections.ispsystem.billmanager`` importable wherever the checkout lives."""

from __future__ import annotations

import os
import sys
import tempfile

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _collections_dir():
    parts = COLLECTION_ROOT.split(os.sep)
    if parts[-3:-2] == ['ansible_collections']:
        return os.sep.join(parts[:-3])
    link_root = tempfile.mkdtemp(prefix='billmgr-collections-')
    namespace_dir = os.path.join(link_root, 'ansible_collections', 'ispsystem')
    os.makedirs(namespace_dir)
    os.symlink(COLLECTION_ROOT, os.path.join(namespace_dir, 'billmanager'))
    return link_root


if 'ansible_collections.ispsystem.billmanager' not in sys.modules:
    sys.path.insert(0, _collections_dir())
