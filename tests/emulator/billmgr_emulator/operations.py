# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# License operations on the State: validation first, then money, then the change. Errors are ApiError.

from . import keys, processing
from .comments import parse_comment
from .dates import add_days, add_months, format_date
from .model import ACTIVE, DELETED, ORDERED, PROCESSING, PROVIDER_REASONS, SUSPENDED, License, parse_autoprolong
from .products import (
    CURRENCY, ORDER_PERIODS, PRODUCTS, PROLONG_PERIODS, TRIAL_DAYS, TRIAL_PERIOD, format_money, period_factor, period_price, pro_rata,
)
from .wire import ApiError, bad_value, missed, not_found


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


def run_write(state, user_name, params, now, operation):
    """Run operation(state, license, params) on an elid's license and return its result.

    The operation validates, charges and changes the license's projection (what it will be once its pending
    changes are applied); the changes are then applied at once or queued (processing.commit)."""
    lic = find_license(state, user_name, params)
    if state.config["refuse_in_flux"]:
        processing.refuse_in_flux(lic)
    view = processing.projected(lic)
    if view.status == DELETED:
        raise bad_value("elid", lic.id, "License is deleted")
    result = operation(state, view, params)
    processing.commit(state, lic, view, params["func"], now)
    return result


def ensure_paid(lic):
    """An ordered license that waits in the cart (config cart_item) has no expiry: it cannot be renewed or suspended."""
    if lic.expiredate is None:
        raise bad_value("elid", lic.id, "License %s is not paid yet" % lic.id)


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


def parse_autoprolong_param(params, default=None):
    if "autoprolong" not in params:
        return default
    try:
        return parse_autoprolong(params["autoprolong"])
    except ValueError as exc:
        raise bad_value("autoprolong", params["autoprolong"]) from exc


def parse_order(params, config):
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
        "comment": parse_comment(params, config), "remoteid": params.get("remoteid") or None,
    }


def order_autoprolong(wanted, config):
    """config autoprolong_must_match: an autoprolong other than the period is stored off."""
    if config["autoprolong_must_match"] and wanted["autoprolong"] != wanted["period"]:
        return None
    return wanted["autoprolong"]


def trial_used(state, user_name, pricelist):
    return any(lic.period == TRIAL_PERIOD and lic.pricelist == pricelist for lic in state.user_licenses(user_name))


def place_order(state, user_name, params, now):
    """platform.order.param with sok: returns (license or None, order dict)."""
    wanted = parse_order(params, state.config)
    wanted["autoprolong"] = order_autoprolong(wanted, state.config)
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
        if state.config["cart_item"]:
            item = _create_cart_item(state, user_name, wanted, order["id"])
            keys.hold_key(item, state.config, now)
            order["license"] = item.id
        return None, order
    ensure_funds(state, user_name, cost)
    order["id"] = state.new_order_id()
    lic = _create_license(state, user_name, wanted, order["id"], now)
    keys.hold_key(lic, state.config, now)
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


def _create_cart_item(state, user_name, wanted, order_id):
    """config cart_item: an order left in the cart is a license in status 1 (ordered): unpaid, no expiry."""
    lic = License(
        state.new_license_id(), user_name, wanted["product"].id, wanted["period"], comment=wanted["comment"],
        addons=wanted["addons"], status=ORDERED, createdate=state.today, expiredate=None, autoprolong=wanted["autoprolong"],
        remoteid=wanted["remoteid"], order_id=order_id,
    )
    state.licenses[lic.id] = lic
    return lic


def order_total(params):
    """The priced order form (config order_form_price): the price of the first period of the order that params
    describe, checked as the order checks them; None while pricelist or period is not given."""
    pricelist = parse_choice(params, "pricelist", PRODUCTS, required=False)
    period = parse_choice(params, "period", ORDER_PERIODS, required=False)
    if pricelist is None:
        return None
    product = PRODUCTS[pricelist]
    addons = parse_addons(product, params, product.default_addons())
    return None if period is None else period_price(product, addons, period)


def renewed_expiry(state, lic, period):
    """The expiry a renewal by period gives: a suspended license is renewed from today, any other from its expiry."""
    return add_months(state.today if lic.status == SUSPENDED else lic.expiredate, period)


def renewal_preview(state, lic, params):
    """The priced prolong form (config prolong_form_price): (period, new expiry, {period: price}) of a renewal of the
    license as its pending changes will leave it, the period asked (default: its own, else 1) checked as the renewal
    checks it. None when it cannot be renewed: a trial, a deleted license, an unpaid cart item."""
    view = processing.projected(lic)
    if view.period == TRIAL_PERIOD or view.status == DELETED or view.expiredate is None:
        return None
    own = view.period if view.period in PROLONG_PERIODS else 1
    period = parse_choice(params, "period", PROLONG_PERIODS, required=False, default=own)
    prices = dict((choice, period_price(view.product, view.addons, choice)) for choice in PROLONG_PERIODS)
    return period, renewed_expiry(state, view, period), prices


def prolong(state, lic, params):
    """service.prolong with sok: returns the new expiry date."""
    ensure_paid(lic)
    if lic.period == TRIAL_PERIOD:
        raise bad_value("period", params.get("period"), "A trial license cannot be prolonged")
    period = parse_choice(params, "period", PROLONG_PERIODS)
    charge(state, lic.user, period_price(lic.product, lic.addons, period), "service.prolong", license_id=lic.id)
    lic.expiredate = renewed_expiry(state, lic, period)
    # Only a license suspended for non-payment becomes active again.
    if lic.status == SUSPENDED and lic.suspend_reason == "expired":
        lic.status, lic.suspend_reason = ACTIVE, None
    return lic.expiredate


def period_days(lic):
    if lic.period == TRIAL_PERIOD:
        return TRIAL_DAYS
    if lic.expiredate is None:
        return 0
    return (lic.expiredate - add_months(lic.expiredate, -lic.period)).days


def remaining_days(lic, today):
    """Days left of the paid period (0 for an unpaid license)."""
    return 0 if lic.expiredate is None else (lic.expiredate - today).days


def edit(state, lic, params):
    """platform.edit with sok: comment, addon_N (raising charges pro rata), autoprolong."""
    comment = parse_comment(params, state.config, lic.comment)
    addons = parse_addons(lic.product, params, lic.addons)
    autoprolong = parse_autoprolong_param(params, lic.autoprolong)
    full_price = sum(
        lic.product.addons[addon_id].unit_price * period_factor(lic.period) * (count - lic.addons.get(addon_id, 0))
        for addon_id, count in addons.items() if count > lic.addons.get(addon_id, 0)
    )
    amount = pro_rata(full_price, remaining_days(lic, state.today), period_days(lic))
    if amount > 0:
        charge(state, lic.user, amount, "platform.edit", license_id=lic.id)
    lic.comment = comment
    lic.addons = addons
    lic.autoprolong = autoprolong
    return amount


def suspend(state, lic, params):
    ensure_paid(lic)
    if lic.status != SUSPENDED:
        lic.status, lic.suspend_reason, lic.ready_at = SUSPENDED, "user", None


def resume(state, lic, params):
    ensure_paid(lic)
    if lic.status != SUSPENDED:
        return
    if lic.suspend_reason in PROVIDER_REASONS:
        raise ApiError("value", "status", "The service was suspended by the provider; contact support", value=lic.id)
    if lic.suspend_reason == "expired" or lic.expiredate <= state.today:
        raise bad_value("elid", lic.id, "License %s has expired; prolong it first" % lic.id)
    lic.status, lic.suspend_reason = ACTIVE, None


def delete(state, lic, params):
    lic.status, lic.suspend_reason, lic.ready_at = DELETED, None, None


def suspend_by_provider(state, license_id, reason):
    """The provider suspends a license (reason employee or abuse): its owner cannot resume it."""
    if reason not in PROVIDER_REASONS:
        raise ValueError("reason must be one of %s" % ", ".join(PROVIDER_REASONS))
    lic = state.licenses[int(license_id)]
    if lic.status == DELETED:
        raise ValueError("license %s is deleted" % lic.id)
    lic.status, lic.suspend_reason, lic.ready_at = SUSPENDED, reason, None
    return lic
