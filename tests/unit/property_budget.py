# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How many examples each property test tries: its own budget under ``make test``, times
``BILLMGR_FUZZ_SCALE`` under ``make fuzz`` (20 there)."""

from __future__ import annotations

import os


def examples(budget):
    """``budget`` examples, scaled by the environment variable BILLMGR_FUZZ_SCALE (default 1)."""
    scale = int(os.environ.get('BILLMGR_FUZZ_SCALE') or '1')
    if scale < 1:
        raise ValueError('BILLMGR_FUZZ_SCALE must be a whole number >= 1, not %r' % scale)
    return budget * scale
