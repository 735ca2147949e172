# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# License operations on the State: validation first, then money, then the change. Errors are ApiError.

from .dates import add_days, add_months, format_date
from .model import ACTIVE, DELETED, PROCESSING, SUSPENDED, License, parse_autoprolong
from .products import (
    CURRENCY, ORDER_PERIODS, PRODUCTS, PROLONG_PERIODS, TRIAL_DAYS, TRIAL_PERIOD, format_money, period_factor, period_price, pro_rata,
)
from .wire import ApiError, bad_value, missed, not_found

ASCII_WHITESPACE = " \t\n\r\x0b\x0c"


def ensure_funds(state, user_name, amount):
    """Raise the money error when the user cannot pay amount."""
    user = state.users[user_name]
    if amount > user.balance:
        raise ApiError(
            "money", "balance",
            "Insufficient funds: the balance is %s %s, the cost is %s %s" % (
                format_money(user.balance), CURRENCY, format_money(amount), CURRENCY),
            extra=(("balance", format_money(user.balance)), ("cost", format_money(amount))),
        )


def charge(state, user_name, amount, func, license_id=None, order_id=None):
    """Take amount from the user's balance and record it in state.charges (zero amounts are not recorded)."""
    ensure_funds(state, user_name, amount)
    if amount <= 0:
        return
    user = state.users[user_name]
    user.balance -= amount
    state.charges.append({
        "seq": len(state.charges) + 1, "date": format_date(state.today), "user": user_name, "amount": format_money(amount),
        "func": func, "license": license_id, "order": order_id, "balance": format_money(user.balance),
    })


def find_license(state, user_name, params):
    elid = params.get("elid")
    if not elid:
        raise missed("elid")
    try:
        lic = state.licenses.get(int(elid))
    except ValueError:
        lic = None
    if lic is None:
        raise not_found(elid, state.config.get("not_found_error", "missed_elid"))
    if lic.user != user_name:
        raise ApiError("access", "elid", "Access denied: the license belongs to another account", value=elid)
    return lic


def writable_license(state, user_name, params):
    lic = find_license(state, user_name, params)
    if lic.status == DELETED:
        raise bad_value("elid", lic.id, "License is deleted")
    return lic


def parse_choice(params, name, choices, required=True, default=None):
    raw = params.get(name)
    if raw is None or raw == "":
        if required:
            raise missed(name)
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value not in choices:
        raise bad_value(name, raw)
    return value


def parse_addons(product, params, current):
    """Merge addon_N params into a copy of current; unknown ids and bad counts are value errors."""
    addons = dict(current)
    for key in sorted(params):
        if not key.startswith("addon_"):
            continue
        raw = params[key]
        try:
            addon = product.addons.get(int(key[len("addon_"):]))
        except ValueError:
            addon = None
        if addon is None:
            raise bad_value(key, raw, "Addon %s does not exist for %s" % (key, product.name))
        try:
            count = int(raw)
        except ValueError:
            count = None
        if count is None or not addon.minimum <= count <= addon.maximum:
            raise bad_value(key, raw, "%s must be a whole number from %s to %s" % (addon.name, addon.minimum, addon.maximum))
        addons[addon.id] = count
    return addons


def parse_comment(params, default=""):
    """A comment as a web form stores it: CRLF -> LF, ASCII whitespace trimmed; a control character left is refused."""
    if "comment" not in params:
        return default
    comment = params["comment"].replace("\r\n", "\n").strip(ASCII_WHITESPACE)
    for char in comment:
        if (char < " " and char != "\n") or char == "\x7f":
            raise ApiError("value", "comment", "The comment contains the control character U+%04X" % ord(char),
                           value="U+%04X" % ord(char))
    return comment


def parse_autoprolong_param(params, default=None):
    if "autoprolong" not in params:
        return default
    try:
        return parse_autoprolong(params["autoprolong"])
    except ValueError as exc:
        raise bad_value("autoprolong", params["autoprolong"]) from exc


def parse_order(params):
    button = params.get("clicked_button")
    if not button:
        raise missed("clicked_button")
    if button != "finish":
        raise bad_value("clicked_button", button)
    pricelist = parse_choice(params, "pricelist", PRODUCTS)
    period = parse_choice(params, "period", ORDER_PERIODS)
    skipbasket = params.get("skipbasket") or "off"
    if skipbasket not in ("on", "off"):
        raise bad_value("skipbasket", skipbasket)
    product = PRODUCTS[pricelist]
    return {
        "product": product, "period": period, "autoprolong": parse_autoprolong_param(params),
        "addons": parse_addons(product, params, product.default_addons()), "skipbasket": skipbasket == "on",
        "comment": parse_comment(params), "remoteid": params.get("remoteid") or None,
    }


def trial_used(state, user_name, pricelist):
    return any(lic.period == TRIAL_PERIOD and lic.pricelist == pricelist for lic in state.user_licenses(user_name))


def place_order(state, user_name, params, now):
    """platform.order.param with sok: returns (license or None, order dict)."""
    wanted = parse_order(params)
    product, period = wanted["product"], wanted["period"]
    if period == TRIAL_PERIOD and trial_used(state, user_name, product.id):
        raise ApiError("exists", "pricelist", "A trial of %s was already used by this account" % product.name, value=product.id)
    cost = period_price(product, wanted["addons"], period)
    order = {
        "id": None, "user": user_name, "pricelist": product.id, "period": period,
        "autoprolong": None if wanted["autoprolong"] is None else str(wanted["autoprolong"]),
        "addons": dict((str(k), v) for k, v in sorted(wanted["addons"].items())), "comment": wanted["comment"],
        "remoteid": wanted["remoteid"], "skipbasket": "on" if wanted["skipbasket"] else "off", "cost": format_money(cost),
        "date": format_date(state.today), "status": "cart", "license": None,
    }
    if not wanted["skipbasket"]:
        order["id"] = state.new_order_id()
        state.orders.append(order)
        return None, order
    ensure_funds(state, user_name, cost)
    order["id"] = state.new_order_id()
    lic = _create_license(state, user_name, wanted, order["id"], now)
    charge(state, user_name, cost, "platform.order.param", license_id=lic.id, order_id=order["id"])
    order.update({"status": "paid", "license": lic.id})
    state.orders.append(order)
    return lic, order


def _create_license(state, user_name, wanted, order_id, now):
    period = wanted["period"]
    if period == TRIAL_PERIOD:
        expiredate = add_days(state.today, TRIAL_DAYS)
    else:
        expiredate = add_months(state.today, period)
    delay = float(state.config.get("order_processing_seconds") or 0)
    lic = License(
        state.new_license_id(), user_name, wanted["product"].id, period, comment=wanted["comment"], addons=wanted["addons"],
        status=PROCESSING if delay > 0 else ACTIVE, createdate=state.today, expiredate=expiredate,
        autoprolong=wanted["autoprolong"], remoteid=wanted["remoteid"], order_id=order_id,
        ready_at=now + delay if delay > 0 else None,
    )
    state.licenses[lic.id] = lic
    return lic


def prolong(state, user_name, params):
    """service.prolong with sok: returns the new expiry date."""
    lic = writable_license(state, user_name, params)
    if lic.period == TRIAL_PERIOD:
        raise bad_value("period", params.get("period"), "A trial license cannot be prolonged")
    period = parse_choice(params, "period", PROLONG_PERIODS)
    charge(state, user_name, period_price(lic.product, lic.addons, period), "service.prolong", license_id=lic.id)
    if lic.status == SUSPENDED:
        lic.expiredate = add_months(state.today, period)
        if lic.suspend_reason != "user":
            lic.status, lic.suspend_reason = ACTIVE, None
    else:
        lic.expiredate = add_months(lic.expiredate, period)
    return lic.expiredate


def period_days(lic):
    if lic.period == TRIAL_PERIOD:
        return TRIAL_DAYS
    return (lic.expiredate - add_months(lic.expiredate, -lic.period)).days


def edit(state, user_name, params):
    """platform.edit with sok: comment, addon_N (raising charges pro rata), autoprolong."""
    lic = writable_license(state, user_name, params)
    comment = parse_comment(params, lic.comment)
    addons = parse_addons(lic.product, params, lic.addons)
    autoprolong = parse_autoprolong_param(params, lic.autoprolong)
    full_price = sum(
        lic.product.addons[addon_id].unit_price * period_factor(lic.period) * (count - lic.addons.get(addon_id, 0))
        for addon_id, count in addons.items() if count > lic.addons.get(addon_id, 0)
    )
    amount = pro_rata(full_price, (lic.expiredate - state.today).days, period_days(lic))
    if amount > 0:
        charge(state, user_name, amount, "platform.edit", license_id=lic.id)
    lic.comment = comment
    lic.addons = addons
    lic.autoprolong = autoprolong
    return amount


def suspend(state, user_name, params):
    lic = writable_license(state, user_name, params)
    if lic.status != SUSPENDED:
        lic.status, lic.suspend_reason, lic.ready_at = SUSPENDED, "user", None


def resume(state, user_name, params):
    lic = writable_license(state, user_name, params)
    if lic.status != SUSPENDED:
        return
    if lic.suspend_reason == "expired" or lic.expiredate <= state.today:
        raise bad_value("elid", lic.id, "License %s has expired; prolong it first" % lic.id)
    lic.status, lic.suspend_reason = ACTIVE, None


def delete(state, user_name, params):
    lic = writable_license(state, user_name, params)
    lic.status, lic.suspend_reason, lic.ready_at = DELETED, None, None
