# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The JSON admin API under /_emulator: a thin map from (method, route) to Emulator methods.


def _state(emulator, payload):
    return emulator.snapshot()


def _log(emulator, payload):
    return {"entries": emulator.log_entries()}


def _clear_log(emulator, payload):
    emulator.clear_log()
    return {"entries": []}


def _clock(emulator, payload):
    if "advance_days" in payload:
        events = emulator.advance_days(int(payload["advance_days"]))
    elif "today" in payload:
        events = emulator.set_today(payload["today"])
    else:
        raise ValueError('send {"advance_days": N} or {"today": "YYYY-MM-DD"}')
    return {"today": emulator.snapshot()["today"], "events": events}


def _faults(emulator, payload):
    return {"faults": emulator.faults()}


def _add_fault(emulator, payload):
    emulator.add_fault(**payload)
    return {"faults": emulator.faults()}


def _clear_faults(emulator, payload):
    emulator.clear_faults()
    return {"faults": []}


def _balance(emulator, payload):
    if "user" not in payload or "balance" not in payload:
        raise ValueError('send {"user": NAME, "balance": "AMOUNT"}')
    emulator.set_balance(payload["user"], payload["balance"])
    return {"users": emulator.snapshot()["users"]}


def _reset(emulator, payload):
    emulator.reset()
    return {"today": emulator.snapshot()["today"]}


def _config(emulator, payload):
    return {"config": emulator.configure(**payload)}


def _suspend(emulator, payload):
    if "license" not in payload:
        raise ValueError('send {"license": ID, "reason": "employee" or "abuse"}')
    return {"license": emulator.suspend_by_provider(payload["license"], payload.get("reason", "abuse"))}


ROUTES = {
    ("GET", "state"): _state,
    ("GET", "log"): _log,
    ("DELETE", "log"): _clear_log,
    ("POST", "clock"): _clock,
    ("GET", "faults"): _faults,
    ("POST", "faults"): _add_fault,
    ("DELETE", "faults"): _clear_faults,
    ("POST", "balance"): _balance,
    ("POST", "reset"): _reset,
    ("GET", "config"): _config,
    ("POST", "config"): _config,
    ("POST", "suspend"): _suspend,
}


def dispatch(emulator, method, route, payload):
    """Return (HTTP status, JSON-able answer)."""
    action = ROUTES.get((method, route))
    if action is None:
        known = sorted(set(name for _method, name in ROUTES))
        if route in known:
            return 405, {"error": "method %s not allowed on /_emulator/%s" % (method, route)}
        return 404, {"error": "unknown admin route /_emulator/%s" % route, "routes": known}
    if not isinstance(payload, dict):
        return 400, {"error": "the body must be a JSON object"}
    try:
        return 200, action(emulator, payload)
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": str(exc)}
