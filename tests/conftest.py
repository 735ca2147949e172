# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Shared pytest fixtures: the BILLmanager emulator (tests/emulator/billmgr_emulator, see its README.md).

import os
import sys

import pytest
from hypothesis import settings

# The property tests take their example counts from examples() (tests/unit/property_budget.py). Under the
# `mutation` profile (pytest --hypothesis-profile=mutation: make mutation runs the unit suite once per mutation)
# each runs at most this many examples.
settings.register_profile('mutation', max_examples=10)

EMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator")
if EMULATOR_DIR not in sys.path:
    sys.path.insert(0, EMULATOR_DIR)

from billmgr_emulator import Emulator  # noqa: E402  (needs the sys.path entry above)


@pytest.fixture
def emulator():
    """A started emulator with the default seed; stopped after the test."""
    emu = Emulator().start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator_factory():
    """Call with Emulator keyword arguments (seed, tls, state_file, ...) to get a started emulator; all stop at teardown."""
    started = []

    def factory(**kwargs):
        emu = Emulator(**kwargs).start()
        started.append(emu)
        return emu

    yield factory
    for emu in reversed(started):
        emu.stop()
