# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The license model: products, statuses, and one function from an API row to a license dict.

A row is either an ``<elem>`` of ``func=platform`` or the ``<doc>`` of ``platform.edit`` read
without ``sok``. Cells may hold ids or display values ("VMmanager 6", "Active", "25.00 EUR",
"1 month"): both are understood, and an unknown value never raises.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

PRODUCTS = {
    'vmmanager6': {'pricelist': 55163, 'name': 'VMmanager 6', 'addons': {'nodes': 55165, 'vms': 55164}},
    'dcimanager6': {'pricelist': 55161, 'name': 'DCImanager 6', 'addons': {}},
}
PRICELIST_TO_PRODUCT = dict((spec['pricelist'], name) for name, spec in PRODUCTS.items())
PRODUCT_DISPLAY_NAMES = dict((re.sub(r'\W', '', spec['name']).lower(), spec['pricelist']) for spec in PRODUCTS.values())

STATUS_CODES = {1: 'ordered', 2: 'active', 3: 'suspended', 4: 'deleted', 5: 'processing'}
STATUS_NAMES = dict((name, code) for code, name in STATUS_CODES.items())
# Display texts BILLmanager may put in a status cell instead of the code.
STATUS_TEXTS = {
    'ordered': 1, 'active': 2, 'suspended': 3, 'stopped': 3, 'deleted': 4, 'processing': 5,
    'inprogress': 5, 'open': 1,
}

PERIODS = {'1': 1, '12': 12, 'trial': -100}
PERIOD_NAMES = dict((code, name) for name, code in PERIODS.items())
AUTOPROLONG_VALUES = ('1', '12', 'off')

ADDON_FIELD = re.compile(r'^addon_(\d+)$')
DATE_FORMATS = ('%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%d.%m.%Y', '%Y/%m/%d')
# An amount: digits with optional thousands separators (space, comma, dot) and a decimal part.
AMOUNT = re.compile(r'-?\d[\d\s\u00a0.,]*\d|-?\d')


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def addon_aliases(pricelist):
    """{alias: addon_id} for a pricelist (empty when none are published)."""
    product = PRICELIST_TO_PRODUCT.get(pricelist)
    return dict(PRODUCTS[product]['addons']) if product else {}


def addon_key(pricelist, addon_id):
    """Name under which an addon appears in a license dict: its alias, else its id as a string."""
    for alias, known_id in addon_aliases(pricelist).items():
        if known_id == addon_id:
            return alias
    return '%s' % addon_id


def license_from_row(row, today=None):
    """Turn an ``<elem>`` list row or a ``platform.edit`` ``<doc>`` into the license dict."""
    today = today or utc_today()
    cells = _cells(row)
    pricelist = parse_pricelist(cells.get('pricelist') or cells.get('pricelist_id'))
    status_code = parse_status(cells.get('status'), cells.get('item_status') or cells.get('status_msg'))
    expiredate = parse_date(cells.get('expiredate'))
    cost, currency = parse_money(cells.get('cost'))
    addons = dict((addon_key(pricelist, int(m.group(1))), parse_int(value))
                  for name, value in cells.items() for m in [ADDON_FIELD.match(name)] if m)
    return {
        'id': parse_int(cells.get('id') or cells.get('elid')),
        'product': PRICELIST_TO_PRODUCT.get(pricelist),
        'pricelist': pricelist,
        'status': STATUS_CODES.get(status_code, 'unknown') if status_code is not None else 'unknown',
        'status_code': status_code,
        'comment': cells.get('comment') or '',
        'period': parse_period(cells.get('period')),
        'createdate': parse_date(cells.get('createdate')),
        'expiredate': expiredate,
        'days_left': _days_between(today, expiredate),
        'autoprolong': parse_autoprolong(cells.get('autoprolong')),
        'addons': addons if addons else None,
        'cost': cost,
        'currency': currency,
    }


def _cells(row):
    """{child tag: stripped text} of a row. An empty element that is not a value field is a flag: 'on'."""
    cells = {}
    for child in row:
        if not isinstance(child.tag, str):
            continue
        text = (child.text or '').strip()
        if not text and child.tag not in VALUE_FIELDS and not ADDON_FIELD.match(child.tag):
            text = 'on'
        cells[child.tag] = text
    return cells


# Fields whose empty element means "no value" rather than a boolean flag that is set.
VALUE_FIELDS = frozenset(['comment', 'createdate', 'expiredate', 'autoprolong', 'cost', 'period', 'pricelist',
                          'status', 'item_status', 'id', 'elid'])


def parse_int(value):
    if value is None:
        return None
    match = re.match(r'^\s*(-?\d+)\s*$', '%s' % value)
    return int(match.group(1)) if match else None


def parse_pricelist(value):
    """A pricelist id from an id or a known display name; None when unknown."""
    number = parse_int(value)
    if number is not None:
        return number
    if not value:
        return None
    return PRODUCT_DISPLAY_NAMES.get(re.sub(r'\W', '', value).lower())


def parse_status(value, text=None):
    """Status code from the numeric cell, else from a display text."""
    number = parse_int(value)
    if number is not None:
        return number
    for candidate in (value, text):
        if candidate:
            code = STATUS_TEXTS.get(re.sub(r'\W', '', candidate).lower())
            if code is not None:
                return code
    return None


def parse_period(value):
    """'1', '12', 'trial', or the raw text for anything else (None when absent)."""
    if not value:
        return None
    number = parse_int(value)
    if number is None:
        lowered = value.lower()
        if 'trial' in lowered:
            return 'trial'
        number = _months_from_text(lowered)
    if number is None:
        return value
    return PERIOD_NAMES.get(number, '%s' % number)


def parse_autoprolong(value):
    """'1', '12' or 'off' (unknown text is returned as is)."""
    if value is None:
        return 'off'
    lowered = value.strip().lower()
    if lowered in ('', 'null', 'off', '0', 'none', 'no', 'disabled'):
        return 'off'
    number = parse_int(lowered)
    if number is None:
        number = _months_from_text(lowered)
    if number in (1, 12):
        return '%s' % number
    return value


def _months_from_text(text):
    if 'year' in text or 'annual' in text:
        return 12
    if 'month' in text:
        found = re.search(r'\d+', text)
        return int(found.group(0)) if found else 1
    return None


def parse_date(value):
    """'YYYY-MM-DD' from the date formats BILLmanager uses; None for empty or zero dates."""
    if not value or value.startswith('0000'):
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_money(value):
    """(amount as float, currency or None) from '25.00 EUR', '25', '€25,00', '1,234.56 EUR', '1 234,56 RUB'."""
    if not value:
        return None, None
    match = AMOUNT.search(value)
    if not match:
        return None, None
    digits = re.sub(r'[\s\u00a0]', '', match.group(0))
    separators = [char for char in digits if char in '.,']
    if separators:
        last = digits.rfind(separators[-1])
        whole, fraction = digits[:last], digits[last + 1:]
        if len(separators) == 1 and len(fraction) == 3 and separators[0] == ',':
            whole, fraction = digits.replace(',', ''), ''  # "1,234": a thousands separator, not a decimal comma
        digits = re.sub(r'[.,]', '', whole) + ('.' + fraction if fraction else '')
    currency = re.sub(r'[\d\s\u00a0.,-]', '', value) or None
    return float(digits), currency


def _days_between(today, isodate):
    if not isodate:
        return None
    return (datetime.date(*map(int, isodate.split('-'))) - today).days
