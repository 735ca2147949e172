# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The product catalogue and its prices (Decimal, EUR, 2 places).

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCY = "EUR"
CENT = Decimal("0.01")
# item_cost (config list_cost_cells) carries 4 decimal places, as the numeric twin of the cost text does.
ITEM_COST_PLACES = Decimal("0.0001")
TRIAL_PERIOD = -100
TRIAL_DAYS = 30
ORDER_PERIODS = (1, 12, TRIAL_PERIOD)
PROLONG_PERIODS = (1, 12)
# A renewal period as the prolong form's period list names it.
PERIOD_NAMES = {1: "1 month", 12: "1 year"}
YEARLY_FACTOR = Decimal(10)


class Addon:
    def __init__(self, addon_id, name, unit_price, minimum, maximum):
        self.id = addon_id
        self.name = name
        self.unit_price = Decimal(unit_price)
        self.minimum = minimum
        self.maximum = maximum


class Product:
    def __init__(self, pricelist, name, base_price, addons=()):
        self.id = pricelist
        self.name = name
        self.base_price = Decimal(base_price)
        self.addons = dict((addon.id, addon) for addon in addons)

    def default_addons(self):
        return dict((addon.id, addon.minimum) for addon in self.addons.values())


PRODUCTS = {
    55163: Product(55163, "VMmanager 6", "10.00", (
        Addon(55165, "Cluster nodes", "5.00", 0, 1000),
        Addon(55164, "Virtual machines", "0.10", 0, 100000),
    )),
    # 55171 is INVENTED: the real DCImanager 6 addon ids are not public.
    55161: Product(55161, "DCImanager 6", "20.00", (
        Addon(55171, "Servers", "1.00", 0, 10000),
    )),
    55200: Product(55200, "ISPmanager 6 Lite", "4.00"),
}


def money(value):
    """Turn a string/number into a Decimal rounded to cents; raise ValueError on garbage."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError("not an amount: %r" % (value,)) from exc
    if not amount.is_finite():
        raise ValueError("not an amount: %r" % (value,))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(amount):
    return str(Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP))


def price_text(amount):
    """An amount with its ISO currency code: "30.00 EUR"."""
    return "%s %s" % (format_money(amount), CURRENCY)


def format_item_cost(amount):
    """The numeric twin of a cost text: "30.0000"."""
    return str(Decimal(amount).quantize(ITEM_COST_PLACES, rounding=ROUND_HALF_UP))


def period_factor(period):
    """How many monthly prices one period costs: 1 month = 1, 1 year = 10, trial = 0."""
    if period == TRIAL_PERIOD:
        return Decimal(0)
    if period == 12:
        return YEARLY_FACTOR
    return Decimal(period)


def monthly_price(product, addons):
    total = product.base_price
    for addon_id, count in addons.items():
        addon = product.addons.get(addon_id)
        if addon is not None:
            total += addon.unit_price * count
    return total


def period_price(product, addons, period):
    """Price of one period of a license: (base + addons) x the period factor, rounded to cents."""
    return money(monthly_price(product, addons) * period_factor(period))


def pro_rata(amount, remaining_days, period_days):
    """The share of amount for the remaining days of a period, rounded to cents."""
    if remaining_days <= 0 or period_days <= 0:
        return money(0)
    return money(Decimal(amount) * remaining_days / period_days)
