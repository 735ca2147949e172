# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The movable clock: moving it forward runs the license lifecycle one day at a time.
# A license expires when today >= expiredate. At expiry: autoprolong + enough money -> renewed (charged);
# otherwise suspended (reason "expired"). 30 days after expiry a suspended license is deleted.

from .dates import add_days, add_months, format_date
from .model import ACTIVE, DELETED, ORDERED, PROCESSING, SUSPENDED
from .operations import charge
from .products import TRIAL_PERIOD, period_price
from .wire import ApiError

DELETE_AFTER_DAYS = 30


def tick_processing(state, now):
    """Licenses in status 5 (processing) become active once their processing time is over."""
    for lic in state.licenses.values():
        if lic.status == PROCESSING and (lic.ready_at is None or now >= lic.ready_at):
            lic.status, lic.ready_at = ACTIVE, None


def _auto_renew(state, lic, events):
    """Renew an expired license while autoprolong is on and the balance pays; return True when it is current again."""
    while lic.autoprolong and lic.period != TRIAL_PERIOD and state.today >= lic.expiredate:
        try:
            charge(state, lic.user, period_price(lic.product, lic.addons, lic.autoprolong), "autoprolong", license_id=lic.id)
        except ApiError:
            events.append({"date": format_date(state.today), "license": lic.id, "event": "autoprolong_failed"})
            return False
        lic.expiredate = add_months(lic.expiredate, lic.autoprolong)
        events.append({"date": format_date(state.today), "license": lic.id, "event": "renewed",
                       "expiredate": format_date(lic.expiredate)})
    return state.today < lic.expiredate


def _run_day(state, events):
    for key in sorted(state.licenses):
        lic = state.licenses[key]
        if lic.expiredate is None:  # an unpaid cart item (config cart_item): nothing runs out
            continue
        if lic.status in (ACTIVE, PROCESSING, ORDERED) and state.today >= lic.expiredate:
            if not _auto_renew(state, lic, events):
                lic.status, lic.suspend_reason, lic.ready_at = SUSPENDED, "expired", None
                events.append({"date": format_date(state.today), "license": lic.id, "event": "suspended"})
        if lic.status == SUSPENDED and state.today >= add_days(lic.expiredate, DELETE_AFTER_DAYS):
            lic.status, lic.suspend_reason = DELETED, None
            events.append({"date": format_date(state.today), "license": lic.id, "event": "deleted"})


def move_clock(state, day):
    """Set today to day. Moving forward runs the lifecycle for each day passed; returns the events."""
    events = []
    if day <= state.today:
        state.today = day
        return events
    while state.today < day:
        state.today = add_days(state.today, 1)
        _run_day(state, events)
    return events
