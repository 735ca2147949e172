# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The config keys: their defaults and the check of a new value (README "Admin API" and "Server variants").

import copy
import ipaddress

# The functions whose effect can be delayed (config processing_delay*), with the sub-state each shows while
# it is processed (item_status orig "5_<sub-state>" under status_form orig_named).
DELAYABLE_FUNCS = {
    "service.prolong": "prolong", "platform.suspend": "suspend", "platform.resume": "resume",
    "platform.delete": "close", "platform.edit": "edit",
}
# The license fields a saved list filter can name (config list_filter), with the type of the value.
FILTER_FIELDS = {"comment": str, "status": int, "pricelist": int, "period": int}
STATUS_FORMS = ("code", "item_status_code", "orig", "orig_named", "text")
NOT_FOUND_FORMS = ("missed_elid", "missed_item", "missed_id", "access_elid")
REDIRECT_STATUSES = (301, 302, 307, 308)

DEFAULT_CONFIG = {
    "order_processing_seconds": 0, "list_addons": False, "prolong_answer": "nested", "session_ttl": 3600,
    # Server variants (README "Server variants"): the defaults keep the answers described in the README.
    "list_page_max": None, "list_totals": True, "list_ignores_p_num": False, "list_comment": True, "status_form": "code",
    "account_lang": "en", "not_found_error": "missed_elid", "authinfo_whitelist": None,
    # A server that works in its own time and keeps state of its own.
    "processing_delay": {}, "processing_delay_requests": {}, "processing_signs": "status", "special_status_cell": False,
    "refuse_in_flux": False, "list_filter": None, "list_filter_element": "absent", "comment_max_length": None,
    "comment_storage": "as_sent", "expiry_form": "date", "error_http_status": 200, "whitelist_error": "ip",
    "redirect": None, "cart_answer": "billorder.id", "cart_item": False, "autoprolong_must_match": False,
    # Money preview and license keys (issue 15). prolong_form_price is on by default: the priced form is the documented one.
    "prolong_form_price": True, "order_form_price": False, "list_cost_cells": False, "cost_text": "plain",
    "key_delay_seconds": 0, "key_delay_requests": 0,
}


def default_config():
    return copy.deepcopy(DEFAULT_CONFIG)


def _is_bool(value):
    return isinstance(value, bool)


def _is_int(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _is_seconds(value, zero_ok=False):
    """A number of seconds > 0 (zero_ok: >= 0)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    return value >= 0 if zero_ok else value > 0


def _one_of(*choices):
    return lambda value: isinstance(value, str) and value in choices


def _addresses(value):
    """null, or a list of IP addresses / networks (ValueError on a bad one)."""
    return value is None or (isinstance(value, list) and all(ipaddress.ip_network(item, strict=False) for item in value))


def _per_delayable_func(check):
    """A dict {func: value} whose funcs can be delayed and whose values pass check."""
    return lambda value: isinstance(value, dict) and all(func in DELAYABLE_FUNCS and check(item) for func, item in value.items())


def _list_filter(value):
    """null, or a non-empty dict {field: value} of FILTER_FIELDS."""
    if value is None:
        return True
    return isinstance(value, dict) and bool(value) and all(
        field in FILTER_FIELDS and isinstance(item, FILTER_FIELDS[field]) and not isinstance(item, bool)
        for field, item in value.items())


def _redirect(value):
    """null, or {"status": 301|302|307|308, "location": "http(s)://..."}."""
    if value is None:
        return True
    return (isinstance(value, dict) and set(value) == {"status", "location"} and value["status"] in REDIRECT_STATUSES
            and not isinstance(value["status"], bool) and isinstance(value["location"], str)
            and value["location"].startswith(("http://", "https://")))


CONFIG_CHECKS = {
    "order_processing_seconds": lambda value: float(value) >= 0,
    "list_addons": _is_bool,
    "prolong_answer": _one_of("flat", "nested", "ok"),
    "session_ttl": lambda value: float(value) > 0,
    "list_page_max": lambda value: value is None or _is_int(value, 1),
    "list_totals": _is_bool,
    "list_ignores_p_num": _is_bool,
    "list_comment": _is_bool,
    "status_form": _one_of(*STATUS_FORMS),
    "account_lang": _one_of("en", "ru"),
    "not_found_error": _one_of(*NOT_FOUND_FORMS),
    "authinfo_whitelist": _addresses,
    "processing_delay": _per_delayable_func(_is_seconds),
    "processing_delay_requests": _per_delayable_func(lambda value: _is_int(value, 1)),
    "processing_signs": _one_of("status", "special_status", "none"),
    "special_status_cell": _is_bool,
    "refuse_in_flux": _is_bool,
    "list_filter": _list_filter,
    "list_filter_element": _one_of("absent", "empty"),
    "comment_max_length": lambda value: value is None or _is_int(value, 1),
    "comment_storage": _one_of("as_sent", "html_escaped", "folded"),
    "expiry_form": _one_of("date", "real", "text"),
    "error_http_status": lambda value: _is_int(value, 200) and value <= 599,
    "whitelist_error": _one_of("ip", "badip"),
    "redirect": _redirect,
    "cart_answer": _one_of("billorder.id", "billorder"),
    "cart_item": _is_bool,
    "autoprolong_must_match": _is_bool,
    "prolong_form_price": _is_bool,
    "order_form_price": _is_bool,
    "list_cost_cells": _is_bool,
    "cost_text": _one_of("plain", "per_period"),
    "key_delay_seconds": lambda value: _is_seconds(value, zero_ok=True),
    "key_delay_requests": lambda value: _is_int(value, 0),
}


def check_config(settings):
    """Raise ValueError unless every key of settings is a known config key with a good value."""
    for key, value in settings.items():
        check = CONFIG_CHECKS.get(key)
        if check is None:
            raise ValueError("unknown config key %r (known: %s)" % (key, ", ".join(sorted(DEFAULT_CONFIG))))
        try:
            good = check(value)
        except (TypeError, ValueError):
            good = False
        if not good:
            raise ValueError("bad value for config %s: %r" % (key, value))
