# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The cells a license shows in list rows and in the platform.edit read-one: dates in config expiry_form,
# the status in config status_form, with the signs of a pending change (config processing_signs), and the cost
# in config cost_text (with its numeric twins in rows, config list_cost_cells).

from .dates import format_date
from .processing import shown_state
from .products import CURRENCY, format_item_cost, price_text
from .texts import DAILY_CHARGE, PERIOD_WORDS, status_text
from .wire import add


def add_license_fields(parent, lic, config, lang, in_row):
    add(parent, "period", lic.period)
    add(parent, "createdate", format_date(lic.createdate))
    _add_expiry(parent, lic, config["expiry_form"], lang)
    if lic.autoprolong:
        add(parent, "autoprolong", lic.autoprolong)
    _add_status(parent, lic, config, lang, in_row)


def _add_expiry(parent, lic, form, lang):
    """date: <expiredate>DATE; real: <expiredate>TEXT + <real_expiredate>DATE; text: <expiredate>TEXT. No expiry: empty."""
    date = format_date(lic.expiredate) or None
    if form == "date":
        add(parent, "expiredate", date)
        return
    add(parent, "expiredate", DAILY_CHARGE[lang] if date else None)
    if form == "real":
        add(parent, "real_expiredate", date)


def _add_status(parent, lic, config, lang, in_row):
    """The status in config status_form: code (status [+ item_status text in rows]), item_status_code, orig,
    orig_named, text; then <special_status> when a change is pending (or always, config special_status_cell)."""
    form = config["status_form"]
    code, substate, special = shown_state(lic, config["processing_signs"])
    text = status_text(code, lang)
    if form == "code":
        add(parent, "status", code)
        if in_row:
            add(parent, "item_status", text)
    elif form == "item_status_code":
        add(parent, "item_status", code)
    elif form == "orig":
        add(parent, "item_status", text, orig="%d_%d_%d" % (code, code, special))
    elif form == "orig_named":
        add(parent, "item_status", text, orig=substate)
    else:
        add(parent, "item_status", text)
    if special or config["special_status_cell"]:
        add(parent, "special_status", special)


def add_cost(parent, lic, config, lang, in_row):
    """<cost>30.00 EUR</cost> (cost_text per_period: "30.00 EUR / Month"); in rows with list_cost_cells also
    <item_cost>30.0000</item_cost><currency_str>EUR</currency_str>. The price of one period at the license's period."""
    text = price_text(lic.cost)
    word = PERIOD_WORDS[lang].get(lic.period) if config["cost_text"] == "per_period" else None
    add(parent, "cost", "%s / %s" % (text, word) if word else text)
    if in_row and config["list_cost_cells"]:
        add(parent, "item_cost", format_item_cost(lic.cost))
        add(parent, "currency_str", CURRENCY)
