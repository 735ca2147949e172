# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 15: amounts as the server states them, never computed; max_spend."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import (
    Cost, PriceReader, parse_max_spend, spend_problem, stated_amount, totals,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import Plan
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    FakeTransport, doc, error_doc, expect, make_client,
)


@pytest.mark.parametrize('text, expected', [
    ('30.00 EUR', (Decimal('30.00'), 'EUR')),
    ('EUR 30.00', (Decimal('30.00'), 'EUR')),
    ('€30,50', (Decimal('30.50'), 'EUR')),
    ('1.80 € / Месяц', (Decimal('1.80'), 'EUR')),
    ('30.00 EUR / Month', (Decimal('30.00'), 'EUR')),
    ('1200 RUB', (Decimal('1200'), 'RUB')),
    ('30.00', None),  # no currency: not a stated amount
    ('30.00 EUR + 5.00 EUR', None),  # two amounts
    ('about 30 EUR', None),
    ('1 month - 30.00 EUR', None),  # the whole option text is not an amount (its price part is)
    ('', None),
    (None, None),
])
def test_an_amount_is_read_only_where_the_server_states_one_and_its_currency(text, expected):
    assert stated_amount(text) == expected


@pytest.mark.parametrize('text', ['50', 'EUR', '50 euros', '-5 EUR', '50 EUR / Month', '', 'fifty EUR'])
def test_max_spend_must_be_an_amount_and_a_currency_code(text):
    with pytest.raises(InvalidOptionError, match='max_spend must be an amount and its currency code') as info:
        parse_max_spend(text)
    assert info.value.options == ('max_spend',)


def renewal_plan(elid=101, period=1, count=1):
    plan = Plan()
    for _number in range(count):
        plan.add('service.prolong', {'elid': elid, 'period': period, 'sok': 'ok'}, spends_money=True)
    return plan


def reader(script):
    transport = FakeTransport(script)
    return PriceReader(make_client(transport)), transport


def prolong_form(elid=101, period=1, options='<msg key="1">1 month - 30.00 EUR</msg><msg key="12">1 year - 300.00 EUR</msg>'):
    return expect('service.prolong', {'elid': elid, 'period': period}).answer(
        doc('<elid>%s</elid><expiredate>2026-12-01</expiredate><newexpiredate>2027-01-01</newexpiredate>'
            '<slist name="period">%s</slist>' % (elid, options), func='service.prolong'))


LICENSE = {'id': 101, 'period': '1', 'cost': 25.0, 'currency': 'EUR'}


def test_a_renewal_is_priced_by_the_prolong_form_once_per_license_and_period():
    prices, transport = reader([prolong_form()])
    costs = prices.costs(renewal_plan(count=3), LICENSE)
    transport.assert_done()  # one form read for three renewals of the same period
    assert [(cost.amount, cost.currency, cost.source) for cost in costs] == [(Decimal('30.00'), 'EUR', 'prolong form')] * 3
    assert totals(costs) == ({'EUR': 90.0}, 0)


def test_without_a_price_in_the_form_a_renewal_by_the_own_period_is_priced_by_the_list_row():
    prices, transport = reader([prolong_form(options='<msg key="1">1 month</msg>')])
    (cost,) = prices.costs(renewal_plan(), LICENSE)
    assert (cost.amount, cost.currency, cost.source) == (Decimal('25.0'), 'EUR', 'list row')


def test_a_renewal_by_another_period_than_the_licenses_own_is_unknown_without_the_form():
    """A 12-month renewal of a monthly license priced from a monthly figure would be a computation: unknown."""
    prices, transport = reader([prolong_form(period=12, options='<msg key="12">1 year</msg>')])
    (cost,) = prices.costs(renewal_plan(period=12), LICENSE)
    assert not cost.known and cost.source == 'unknown'


def test_a_form_the_server_refuses_to_show_states_no_price():
    prices, transport = reader([expect('service.prolong', {'elid': 101, 'period': 1}).answer(
        error_doc('access', 'func', 'Access denied'))])
    (cost,) = prices.costs(renewal_plan(), dict(LICENSE, currency=None))
    assert not cost.known


def test_an_order_is_priced_by_the_order_form_when_it_shows_a_total():
    plan = Plan().add('platform.order.param', {'clicked_button': 'finish', 'sok': 'ok', 'pricelist': 55163, 'period': 1,
                                               'addon_55165': 3}, spends_money=True)
    form = {'pricelist': 55163, 'period': 1, 'addon_55165': 3}
    priced, transport = reader([expect('platform.order.param', form).answer(doc('<orderinfo>Total amount: 25.00 EUR</orderinfo>'))])
    unpriced, _unused = reader([expect('platform.order.param', form).answer(doc('<slist name="pricelist"/>'))])
    assert [(cost.amount, cost.source) for cost in priced.costs(plan, None)] == [(Decimal('25.00'), 'order form')]
    assert [cost.known for cost in unpriced.costs(plan, None)] == [False]


def test_a_resize_and_the_renewal_of_a_license_not_ordered_yet_are_unknown_without_a_request():
    plan = Plan().add('platform.edit', {'elid': 101, 'addon_55165': 4, 'sok': 'ok'}, spends_money=True)
    plan.add('service.prolong', {'elid': None, 'period': 1, 'sok': 'ok'}, spends_money=True)
    prices, transport = reader([])
    assert [cost.known for cost in prices.costs(plan, LICENSE)] == [False, False]
    transport.assert_done()


def costs_of(*amounts):
    calls = renewal_plan(count=len(amounts)).calls
    return [Cost(call, *amount) if amount else Cost(call) for call, amount in zip(calls, amounts)]


@pytest.mark.parametrize('costs, reason', [
    (costs_of((Decimal('30'), 'EUR'), (Decimal('30'), 'EUR')), 'it spends 60.00 EUR, more than max_spend=50.00 EUR'),
    (costs_of((Decimal('30'), 'EUR'), None), '1 of its amount(s) are not stated by the server'),
    (costs_of((Decimal('30'), 'RUB')), 'it spends in another currency than EUR'),
])
def test_max_spend_refuses_a_total_above_it_an_unknown_amount_or_another_currency(costs, reason):
    problem = spend_problem(costs, (Decimal('50'), 'EUR'))
    assert reason in problem and 'nothing was written' in problem
    assert 'renewal of license 101: ' in problem  # each call listed with its amount


def test_max_spend_lets_a_plan_within_it_go():
    assert spend_problem(costs_of((Decimal('30'), 'EUR'), (Decimal('20'), 'EUR')), (Decimal('50'), 'EUR')) is None
