# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# License keys that appear some time after the order (config key_delay_seconds / key_delay_requests): until then
# the platform.edit read-one shows an empty <lickey/>. The key itself (License.lickey) is fixed at the order.


def hold_key(lic, config, now):
    """A license just ordered: hold its key back for key_delay_requests further requests (when > 0, it wins),
    else for key_delay_seconds from now; nothing when both are 0."""
    if config["key_delay_requests"] > 0:
        lic.key_requests_left = config["key_delay_requests"]
    elif config["key_delay_seconds"] > 0:
        lic.key_due = now + config["key_delay_seconds"]


def _held(state):
    return [lic for lic in state.licenses.values() if not lic.key_issued]


def issue_due(state, now):
    """Issue the keys whose time has come (no requests left, or the due time passed); return True when one was."""
    issued = False
    for lic in _held(state):
        counted = lic.key_requests_left is not None and lic.key_requests_left <= 0
        timed = lic.key_due is not None and now >= lic.key_due
        if counted or timed:
            lic.key_due = lic.key_requests_left = None
            issued = True
    return issued


def count_request(state):
    """One more API request has started: count it for the keys that wait for a number of requests."""
    for lic in _held(state):
        if lic.key_requests_left:
            lic.key_requests_left -= 1


def shown_key(lic):
    """The read-one's <lickey>: the key once issued, else empty."""
    return lic.lickey if lic.key_issued else None
