# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a plan will cost, as the server states it, and the money limit ``max_spend``.

Every planned call that spends money gets an amount, read only where the server states one, all read-only:

- a renewal: the prolong form read without ``sok`` for that license and period (its period list shows the price of a
  renewal by each period); else, for a renewal by the license's own period only, the list row's cost (``item_cost``
  with ``currency_str``, or the ``cost`` text parsed strictly);
- an order: the order form read without ``sok`` with exactly the order's values, where it shows a total;
- anything else (a resize, a renewal of a license not ordered yet) is ``unknown``: no amount is ever computed from a
  guessed price list.

Forms are read only for the calls that spend money, so a run with nothing to buy makes no extra request.
``max_spend`` ("50 EUR") refuses a plan, before any write, whose known total exceeds it, that holds an amount in
another currency, or that holds an unknown amount.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
from decimal import Decimal

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import FUNCS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import ApiError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import parse_int
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of

UNKNOWN = 'unknown'
# Currency signs the server may show instead of an ISO code.
CURRENCY_SIGNS = {'€': 'EUR', '$': 'USD', '£': 'GBP', '₽': 'RUB', 'руб': 'RUB', 'руб.': 'RUB', 'р.': 'RUB'}
_AMOUNT = r'(?P<amount>\d+(?:[.,]\d{1,4})?)'
_CURRENCY = r'(?P<currency>[A-Z]{3}|€|\$|£|₽|руб\.?|р\.)'
_PER_PERIOD = r'(?:/\s*[^\d/]+)?'
# "30.00 EUR", "EUR 30.00", "€30,00", "1.80 € / Месяц": one amount, one currency, at most a "/ period" after them.
STATED = [re.compile(r'^\s*%s\s*%s\s*%s$' % (_AMOUNT, _CURRENCY, _PER_PERIOD)),
          re.compile(r'^\s*%s\s*%s\s*%s$' % (_CURRENCY, _AMOUNT, _PER_PERIOD))]
# The order form's total: "Total amount: 45.00 EUR".
ORDER_TOTAL = re.compile(r'total\s+amount\s*:\s*(?P<stated>.+?)\s*$', re.IGNORECASE)
# An option of the prolong form's period list: "1 month - 30.00 EUR".
PERIOD_PRICE = re.compile(r'-\s*(?P<stated>[^-]+)$')


def currency_code(text):
    """The ISO code of a currency code or sign (None for anything else)."""
    if text is None:
        return None
    text = text.strip()
    if re.match(r'^[A-Z]{3}$', text):
        return text
    return CURRENCY_SIGNS.get(text.lower()) or CURRENCY_SIGNS.get(text)


def stated_amount(text):
    """(Decimal, ISO currency) of a text that states one amount and its currency, else None (parsed strictly)."""
    match = next((found for found in (pattern.match(text or '') for pattern in STATED) if found), None)
    if not match:
        return None
    currency = currency_code(match.group('currency'))
    if currency is None:
        return None
    return Decimal(match.group('amount').replace(',', '.')), currency


def parse_max_spend(text):
    """(Decimal, ISO currency) of the ``max_spend`` option, written "50 EUR"; InvalidOptionError otherwise."""
    parsed = stated_amount(text) if text is not None else None
    if parsed is None or re.search(r'/', text):
        raise InvalidOptionError('max_spend must be an amount and its currency code, such as "50 EUR" or "120.50 RUB", got %r'
                                 % (text,), ['max_spend'])
    return parsed


class Cost:
    """The amount one planned call spends: ``amount`` (Decimal) and ``currency`` as stated, with where it was stated;
    ``amount`` None when the server states none."""

    def __init__(self, call, amount=None, currency=None, source=UNKNOWN):
        self.call = call
        self.amount = amount
        self.currency = currency
        self.source = source

    @property
    def known(self):
        return self.amount is not None

    def as_dict(self):
        return {'func': self.call.func, 'elid': self.call.params.get('elid'), 'kind': self.call.kind,
                'amount': float(self.amount) if self.known else None, 'currency': self.currency, 'source': self.source}

    def describe(self):
        amount = '%s %s' % (format_amount(self.amount), self.currency) if self.known else 'unknown'
        target = 'license %s' % self.call.params['elid'] if self.call.params.get('elid') is not None else 'a new license'
        return '%s of %s: %s' % (self.call.kind, target, amount)


def format_amount(amount):
    return '%.2f' % amount


def totals(costs):
    """({currency: total as float}, how many amounts are unknown)."""
    sums = {}
    for cost in costs:
        if cost.known:
            sums[cost.currency] = sums.get(cost.currency, Decimal(0)) + cost.amount
    return dict((currency, float(total)) for currency, total in sums.items()), sum(1 for cost in costs if not cost.known)


class PriceReader:
    """Reads the amounts of the calls that spend money (each form once per run), never writes."""

    def __init__(self, client):
        self.client = client
        self._prolong_forms = {}

    def costs(self, plan, current):
        """A Cost for each call of ``plan`` that spends money; ``current`` is the license before it (None: new)."""
        return [self.cost(call, current) for call in plan.calls if call.spends_money]

    def cost(self, call, current):
        if call.kind == 'renewal':
            return self._renewal(call, current)
        if call.kind == 'order':
            return self._order(call)
        return Cost(call)  # a resize: the server states no price for it

    def _renewal(self, call, current):
        elid, period = call.params.get('elid'), parse_int(call.params.get('period'))
        if elid is None:
            return Cost(call)  # the renewal of a license the run orders first
        key = (elid, period)
        if key not in self._prolong_forms:
            self._prolong_forms[key] = self._read_prolong_form(elid, period)
        stated = self._prolong_forms[key]
        if stated is not None:
            return Cost(call, stated[0], stated[1], 'prolong form')
        own_period = current is not None and parse_int(current.get('period')) == period
        currency = currency_code(current.get('currency')) if current is not None else None
        if own_period and current.get('cost') is not None and currency is not None:
            return Cost(call, Decimal('%s' % current['cost']), currency, 'list row')
        return Cost(call)

    def _read_prolong_form(self, elid, period):
        try:
            form = self.client.read(FUNCS['renewal'], elid=elid, period=period)
        except ApiError:
            return None  # a form the server will not show states no price
        for option in form.findall("slist[@name='period']/msg"):
            if parse_int(option.get('key')) == period:
                match = PERIOD_PRICE.search(option.text or '')
                return stated_amount(match.group('stated')) if match else None
        return None

    def _order(self, call):
        form_values = dict((name, value) for name, value in call.params.items() if name not in ('sok', 'clicked_button'))
        try:
            form = self.client.read(FUNCS['order'], **form_values)
        except ApiError:
            return Cost(call)
        match = ORDER_TOTAL.search(text_of(form, 'orderinfo'))
        stated = stated_amount(match.group('stated')) if match else None
        return Cost(call, stated[0], stated[1], 'order form') if stated else Cost(call)


def spend_problem(costs, max_spend):
    """Why the plan's costs break ``max_spend`` (Decimal, currency), or None."""
    limit, currency = max_spend
    unknown = [cost for cost in costs if not cost.known]
    foreign = [cost for cost in costs if cost.known and cost.currency != currency]
    total = sum((cost.amount for cost in costs if cost.known and cost.currency == currency), Decimal(0))
    if unknown:
        reason = '%d of its amount(s) are not stated by the server' % len(unknown)
    elif foreign:
        reason = 'it spends in another currency than %s' % currency
    elif total > limit:
        reason = 'it spends %s %s, more than max_spend=%s %s' % (format_amount(total), currency, format_amount(limit), currency)
    else:
        return None
    return ('the plan breaks max_spend (%s %s): %s; nothing was written. It would spend: %s'
            % (format_amount(limit), currency, reason, '; '.join(cost.describe() for cost in costs)))
