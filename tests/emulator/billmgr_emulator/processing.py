# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# A server that works in its own time: the effect of a write may be applied later than its answer
# (config processing_delay / processing_delay_requests). A write is run on the license's projection (what it
# will be once its pending changes are applied); the fields it changed are applied at once, or queued.

import copy

from .config import DELAYABLE_FUNCS
from .model import PROCESSING, SUSPENDED, PendingChange
from .wire import ApiError

# The fields a write may change (the effect of a delayed write).
EFFECT_FIELDS = ("status", "suspend_reason", "expiredate", "comment", "addons", "autoprolong", "ready_at")
SUSPENDED_SUBSTATES = {"expired": "3_autosuspend", "employee": "3_employeesuspend", "abuse": "3_abusesuspend", "user": "3_usersuspend"}


def in_flux(lic):
    """A change is pending, or the license is a new order still processing."""
    return bool(lic.pending) or lic.status == PROCESSING


def refuse_in_flux(lic):
    if in_flux(lic):
        raise ApiError("value", "status", "The service is being processed; try again later", value=lic.id)


def projected(lic):
    """A copy of lic with its pending changes applied."""
    view = copy.copy(lic)
    view.addons = dict(lic.addons)
    view.pending = []
    for change in lic.pending:
        change.apply_to(view)
    return view


def effect_fields(lic):
    return dict((name, copy.copy(getattr(lic, name))) for name in EFFECT_FIELDS)


def _new_change(config, func, changes, now):
    """The pending change of func: due after its delay (requests win over seconds), or at once after those queued."""
    requests = config["processing_delay_requests"].get(func)
    if requests is not None:
        return PendingChange(func, changes, requests_left=requests)
    return PendingChange(func, changes, due=now + config["processing_delay"].get(func, 0))


def commit(state, lic, view, func, now):
    """Apply to lic the fields that the write changed on its projection (view), or queue them after its pending ones."""
    before = effect_fields(projected(lic))
    changes = dict((name, value) for name, value in effect_fields(view).items() if before[name] != value)
    change = _new_change(state.config, func, changes, now)
    if change.is_due(now) and not lic.pending:
        change.apply_to(lic)
    else:
        lic.pending.append(change)


def _with_pending(state):
    return [lic for lic in state.licenses.values() if lic.pending]


def apply_due(state, now):
    """Apply the pending changes that are due, oldest first; return True when one was applied."""
    applied = False
    for lic in _with_pending(state):
        while lic.pending and lic.pending[0].is_due(now):
            lic.pending.pop(0).apply_to(lic)
            applied = True
    return applied


def count_request(state):
    """One more API request has started: count it for the changes that wait for a number of requests."""
    for lic in _with_pending(state):
        for change in lic.pending:
            if change.requests_left:
                change.requests_left -= 1


def shown_state(lic, signs):
    """What the license shows under config processing_signs: (status code, orig sub-state, special_status)."""
    if lic.pending and signs != "none":
        code = PROCESSING if signs == "status" else lic.status
        return code, "5_" + DELAYABLE_FUNCS[lic.pending[0].func], 1
    return lic.status, resting_substate(lic), 0


def resting_substate(lic):
    """The orig of a license with no pending change: "2", "3_usersuspend", "5_open" (a new order processing) ..."""
    if lic.status == SUSPENDED:
        return SUSPENDED_SUBSTATES.get(lic.suspend_reason, "3")
    if lic.status == PROCESSING:
        return "5_open"
    return str(lic.status)
