# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How many examples each property test tries: its own budget under ``make test``, times
``BILLMGR_FUZZ_SCALE`` under ``make fuzz`` (20 there), and at most the ``mutation`` hypothesis profile's
``max_examples`` under ``make mutation`` (``pytest --hypothesis-profile=mutation``; tests/conftest.py registers
the profile). A count given to ``@settings`` wins over any profile: that is why the profile is read here."""

from __future__ import annotations

import os

from hypothesis import settings

MUTATION_PROFILE = 'mutation'


def examples(budget):
    """``budget`` examples, scaled by the environment variable BILLMGR_FUZZ_SCALE (default 1), or capped by the
    ``mutation`` profile when that profile is loaded."""
    scale = int(os.environ.get('BILLMGR_FUZZ_SCALE') or '1')
    if scale < 1:
        raise ValueError('BILLMGR_FUZZ_SCALE must be a whole number >= 1, not %r' % scale)
    if settings.get_current_profile_name() == MUTATION_PROFILE:
        return min(budget, settings.default.max_examples)
    return budget * scale
