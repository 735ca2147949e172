# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Money preview and license keys (issue 15, README "Server variants"): the priced prolong form (prolong_form_price),
# the priced order form (order_form_price), cost cells (list_cost_cells, cost_text) and keys issued later
# (key_delay_seconds, key_delay_requests). The wire shapes are pinned byte for byte. Over real HTTP.

import json
import time
import xml.etree.ElementTree as ET

import pytest
import requests

from billmgr_emulator import Emulator

DEMO = "demo:demo-secret"
XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
ORDER = {"clicked_button": "finish", "sok": "ok", "pricelist": "55163", "period": "1", "addon_55165": "3",
         "addon_55164": "50", "skipbasket": "on", "comment": "new-cluster"}
DEFAULTS = {"prolong_form_price": True, "order_form_price": False, "list_cost_cells": False, "cost_text": "plain",
            "key_delay_seconds": 0, "key_delay_requests": 0}
OLD_PROLONG_FORM = ('<slist name="period"><msg key="1">1 month(s)</msg><msg key="12">12 month(s)</msg></slist></doc>')
ORDER_FORM = ('<doc func="platform.order.param" lang="en"><pricelist>55163</pricelist><slist name="pricelist">'
              '<msg key="55161">DCImanager 6</msg><msg key="55163">VMmanager 6</msg><msg key="55200">ISPmanager 6 Lite</msg>'
              '</slist><slist name="period"><msg key="1">1 month</msg><msg key="12">1 year</msg><msg key="-100">Trial</msg>'
              '</slist>')


def body(emu, func, authinfo=DEMO, **params):
    """POST a form call answered with HTTP 200; return the raw answer text."""
    data = {"out": "xml", "func": func, "authinfo": authinfo}
    data.update(params)
    response = requests.post(emu.url, data=data, timeout=5)
    assert response.status_code == 200
    return response.content.decode("utf-8")


def call(emu, func, **params):
    return ET.fromstring(body(emu, func, **params).encode("utf-8"))


def order(emu, **overrides):
    """platform.order.param with ORDER's parameters; an override of None leaves that parameter out."""
    params = dict(ORDER)
    params.update(overrides)
    return call(emu, "platform.order.param", **dict((key, value) for key, value in params.items() if value is not None))


def order_trial(emu):
    return order(emu, pricelist="55200", period="-100", addon_55165=None, addon_55164=None).findtext("id")


def error_of(doc):
    error = doc.find("error")
    if error is None:
        return None
    return error.get("type"), error.get("object"), error.findtext("param[@name='value']"), error.findtext("msg")


def license_of(emu, license_id):
    return next(lic for lic in emu.snapshot()["licenses"] if lic["id"] == license_id)


def row(emu, license_id, **params):
    return next(elem for elem in call(emu, "platform", **params).findall("elem") if elem.findtext("id") == str(license_id))


def admin(emu, method, route, payload=None):
    response = requests.request(method, "%s/%s" % (emu.admin_url, route), json=payload, timeout=5)
    return response.status_code, response.json()


def prolong_form(elid, expiredate, newexpiredate, period, month, year):
    return (XML + '<doc func="service.prolong" lang="en"><elid>%s</elid><expiredate>%s</expiredate>'
            '<newexpiredate>%s</newexpiredate><period>%s</period><slist name="period"><msg key="1">1 month - %s EUR</msg>'
            '<msg key="12">1 year - %s EUR</msg></slist></doc>' % (elid, expiredate, newexpiredate, period, month, year))


def old_prolong_form(elid, expiredate):
    return (XML + '<doc func="service.prolong" lang="en"><elid>%s</elid><expiredate>%s</expiredate>' % (elid, expiredate)
            + OLD_PROLONG_FORM)


# -- config -------------------------------------------------------------------------------------------------------

def test_defaults(emulator):
    config = emulator.snapshot()["config"]
    assert dict((key, config[key]) for key in DEFAULTS) == DEFAULTS
    assert all(lic["key_issued"] and lic["key_due"] is None and lic["key_requests_left"] is None
               for lic in emulator.snapshot()["licenses"])


@pytest.mark.parametrize("key, bad", [
    ("prolong_form_price", "yes"), ("prolong_form_price", None), ("order_form_price", 1), ("list_cost_cells", "true"),
    ("cost_text", "month"), ("cost_text", None), ("key_delay_seconds", -1), ("key_delay_seconds", True),
    ("key_delay_seconds", "5"), ("key_delay_seconds", None), ("key_delay_requests", -1), ("key_delay_requests", 1.5),
    ("key_delay_requests", False),
])
def test_config_is_checked(emulator_factory, key, bad):
    emu = emulator_factory()
    with pytest.raises(ValueError):
        emu.configure(**{key: bad})
    assert admin(emu, "POST", "config", {key: bad})[0] == 400
    with pytest.raises(ValueError):
        Emulator(seed=dict(json.loads(json.dumps(emu.seed)), config={key: bad}))
    assert dict((name, emu.snapshot()["config"][name]) for name in DEFAULTS) == DEFAULTS


# -- 1. the prolong form states the price of the renewal -------------------------------------------------------

def test_prolong_form_wire_shape(emulator):
    assert body(emulator, "service.prolong", elid="101") == prolong_form(101, "2026-12-01", "2027-01-01", 1, "30.00", "300.00")
    assert body(emulator, "service.prolong", elid="101", period="12") == \
        prolong_form(101, "2026-12-01", "2027-12-01", 12, "30.00", "300.00")
    # the license's own period is the default: 103 is yearly (DCImanager 6 + 20 servers: 40.00 a month)
    assert body(emulator, "service.prolong", elid="103") == prolong_form(103, "2027-03-15", "2028-03-15", 12, "40.00", "400.00")
    assert body(emulator, "service.prolong", elid="103", period="1") == \
        prolong_form(103, "2027-03-15", "2027-04-15", 1, "40.00", "400.00")
    # the texts are not localised; only <doc lang> follows the language
    assert body(emulator, "service.prolong", elid="101", lang="ru") == \
        prolong_form(101, "2026-12-01", "2027-01-01", 1, "30.00", "300.00").replace('lang="en"', 'lang="ru"')


def test_prolong_form_of_a_suspended_license_is_priced_and_renews_from_today(emulator):
    # 102: suspended by its owner, expiry 2027-01-01 still ahead; a renewal runs from today (2026-11-27)
    assert body(emulator, "service.prolong", elid="102") == prolong_form(102, "2027-01-01", "2026-12-27", 1, "16.00", "160.00")
    emulator.suspend_by_provider(101, "abuse")
    assert body(emulator, "service.prolong", elid="101", period="12") == \
        prolong_form(101, "2026-12-01", "2027-11-27", 12, "30.00", "300.00")


def test_prolong_form_previews_exactly_what_the_renewal_does(emulator):
    for elid, period in (("101", "12"), ("102", "1"), ("103", "1")):
        form = call(emulator, "service.prolong", elid=elid, period=period)
        before = emulator.snapshot()["users"]["demo"]["balance"]
        done = call(emulator, "service.prolong", elid=elid, period=period, sok="ok")
        assert done.findtext("doc/newexpiredate") == form.findtext("newexpiredate")
        price = form.find("slist/msg[@key='%s']" % period).text.split(" - ")[1]
        charges = emulator.snapshot()["charges"]
        assert "%s EUR" % charges[-1]["amount"] == price
        assert float(before) - float(charges[-1]["amount"]) == pytest.approx(float(charges[-1]["balance"]))


def test_prolong_form_is_a_read_with_the_renewal_period_errors(emulator):
    bad = call(emulator, "service.prolong", elid="101", period="3")
    assert error_of(bad) == ("value", "period", "3", "Invalid value of parameter 'period'")
    assert error_of(bad) == error_of(call(emulator, "service.prolong", elid="101", period="3", sok="ok"))
    assert error_of(call(emulator, "service.prolong", elid="105"))[:2] == ("access", "elid")
    assert error_of(call(emulator, "service.prolong", elid="999"))[:2] == ("missed", "elid")
    state = emulator.snapshot()
    assert (state["users"]["demo"]["balance"], state["charges"], license_of(emulator, 101)["expiredate"]) == \
        ("500.00", [], "2026-12-01")
    emulator.clear_log()
    call(emulator, "service.prolong", elid="101", period="12")
    call(emulator, "platform.order.param", pricelist="55163", period="1")
    call(emulator, "platform.edit", elid="101")
    assert [(entry["func"], entry["write"]) for entry in emulator.log_entries()] == [
        ("service.prolong", False), ("platform.order.param", False), ("platform.edit", False)]


def test_prolong_form_without_a_price_for_what_cannot_be_renewed(emulator):
    trial = int(order_trial(emulator))
    assert body(emulator, "service.prolong", elid=str(trial)) == old_prolong_form(trial, "2026-12-27")
    assert body(emulator, "service.prolong", elid="104") == old_prolong_form(104, "2026-08-01")
    emulator.configure(cart_item=True)
    order(emulator, skipbasket="off")
    item = max(lic["id"] for lic in emulator.snapshot()["licenses"])
    assert body(emulator, "service.prolong", elid=str(item)) == \
        XML + '<doc func="service.prolong" lang="en"><elid>%s</elid><expiredate />%s' % (item, OLD_PROLONG_FORM)


def test_prolong_form_price_off_is_the_old_form(emulator):
    emulator.configure(prolong_form_price=False)
    assert body(emulator, "service.prolong", elid="101") == old_prolong_form(101, "2026-12-01")
    assert body(emulator, "service.prolong", elid="102", period="3") == old_prolong_form(102, "2027-01-01")


def test_prolong_form_of_a_license_with_pending_changes_previews_the_projection(emulator):
    emulator.configure(processing_delay_requests={"service.prolong": 10, "platform.edit": 10})
    call(emulator, "service.prolong", elid="101", period="1", sok="ok")
    call(emulator, "platform.edit", elid="101", sok="ok", addon_55165="4")
    # still shows the old expiry; the renewal would run from the pending one, with the pending addon
    assert body(emulator, "service.prolong", elid="101") == prolong_form(101, "2026-12-01", "2027-02-01", 1, "35.00", "350.00")


# -- 2. the priced order form (inferred) ---------------------------------------------------------------------------

def test_order_form_has_no_price_by_default(emulator):
    assert body(emulator, "platform.order.param", pricelist="55163", period="1", addon_55165="7") == XML + ORDER_FORM + "</doc>"
    assert error_of(call(emulator, "platform.order.param", pricelist="1", period="7", addon_9="x")) is None


@pytest.mark.parametrize("params, total", [
    ({"period": "1", "addon_55165": "7"}, "45.00"),
    ({"period": "12", "addon_55165": "7"}, "450.00"),
    ({"period": "1", "addon_55165": "3", "addon_55164": "50"}, "30.00"),
    ({"period": "1"}, "10.00"),
    ({"period": "-100", "addon_55165": "7"}, "0.00"),
])
def test_order_form_price_states_the_first_period_of_that_order(emulator, params, total):
    emulator.configure(order_form_price=True)
    assert body(emulator, "platform.order.param", pricelist="55163", **params) == \
        XML + ORDER_FORM + "<orderinfo>Total amount: %s EUR</orderinfo></doc>" % total
    state = emulator.snapshot()
    assert (state["orders"], state["charges"], len(state["licenses"])) == ([], [], 5)


def test_order_form_price_needs_pricelist_and_period(emulator):
    emulator.configure(order_form_price=True)
    assert call(emulator, "platform.order.param").find("orderinfo") is None
    assert call(emulator, "platform.order.param", pricelist="55163").find("orderinfo") is None
    assert call(emulator, "platform.order.param", period="1").find("orderinfo") is None


@pytest.mark.parametrize("params", [
    {"pricelist": "999", "period": "1"}, {"pricelist": "55163", "period": "7"}, {"pricelist": "55163", "period": "1", "addon_55171": "1"},
    {"pricelist": "55163", "period": "1", "addon_55165": "-1"}, {"pricelist": "55163", "period": "1", "addon_55165": "x"},
    {"pricelist": "x", "period": "1"},
])
def test_order_form_price_answers_the_orders_errors(emulator, params):
    emulator.configure(order_form_price=True)
    form = error_of(call(emulator, "platform.order.param", **params))
    placed = error_of(call(emulator, "platform.order.param", clicked_button="finish", sok="ok", skipbasket="on", **params))
    assert form is not None and form == placed


# -- 3. money cells in list rows -------------------------------------------------------------------------------------

def test_list_cost_cells(emulator):
    emulator.configure(list_cost_cells=True)
    first = row(emulator, 101)
    tags = [child.tag for child in first]
    assert tags[tags.index("cost"):] == ["cost", "item_cost", "currency_str", "processingmodule"]
    assert ET.tostring(first, encoding="unicode").endswith(
        "<cost>30.00 EUR</cost><item_cost>30.0000</item_cost><currency_str>EUR</currency_str>"
        "<processingmodule>ISPsystem licenses</processingmodule></elem>")
    assert [(elem.findtext("id"), elem.findtext("item_cost")) for elem in call(emulator, "platform").findall("elem")] == [
        ("101", "30.0000"), ("102", "16.0000"), ("103", "400.0000"), ("104", "22.0000")]
    read_one = call(emulator, "platform.edit", elid="101")
    assert (read_one.find("item_cost"), read_one.find("currency_str"), read_one.findtext("cost")) == (None, None, "30.00 EUR")
    emulator.configure(list_addons=True)
    assert [child.tag for child in row(emulator, 101)][-3:] == ["processingmodule", "addon_55164", "addon_55165"]


def test_cost_text_per_period(emulator):
    emulator.configure(cost_text="per_period")
    assert [elem.findtext("cost") for elem in call(emulator, "platform").findall("elem")] == [
        "30.00 EUR / Month", "16.00 EUR / Month", "400.00 EUR / Year", "22.00 EUR / Month"]
    assert call(emulator, "platform.edit", elid="103").findtext("cost") == "400.00 EUR / Year"
    assert row(emulator, 101, lang="ru").findtext("cost") == "30.00 EUR / Месяц"
    assert call(emulator, "platform.edit", elid="103", lang="ru").findtext("cost") == "400.00 EUR / Год"
    trial = order_trial(emulator)
    assert row(emulator, trial).findtext("cost") == "0.00 EUR"
    emulator.configure(list_cost_cells=True)
    assert (row(emulator, 103).findtext("cost"), row(emulator, 103).findtext("item_cost")) == ("400.00 EUR / Year", "400.0000")


# -- 4. license keys appear later ------------------------------------------------------------------------------------

def test_key_delay_requests(emulator):
    emulator.configure(key_delay_requests=2)
    new_id = order(emulator).findtext("id")
    state = license_of(emulator, int(new_id))
    assert (state["key_issued"], state["key_requests_left"], state["key_due"]) == (False, 2, None)
    status, answer = admin(emulator, "GET", "state")  # the admin API is no API request: it counts nothing
    assert status == 200 and next(lic for lic in answer["licenses"] if lic["id"] == int(new_id)) == state
    key = state["lickey"]
    assert len(key) == 32
    read_one = body(emulator, "platform.edit", elid=new_id)  # request 1 after the order
    assert read_one.endswith("<addon_55164>50</addon_55164><addon_55165>3</addon_55165><lickey /></doc>")
    assert call(emulator, "platform.edit", elid=new_id).find("lickey").text is None  # request 2
    assert body(emulator, "platform.edit", elid=new_id).endswith("<lickey>%s</lickey></doc>" % key)  # request 3
    state = license_of(emulator, int(new_id))
    assert (state["key_issued"], state["key_requests_left"], state["key_due"]) == (True, None, None)
    # licenses ordered before the switch keep their key; rows never carry one
    assert call(emulator, "platform.edit", elid="101").findtext("lickey") == license_of(emulator, 101)["lickey"]
    assert call(emulator, "platform").find("elem/lickey") is None


def test_key_delay_seconds(emulator):
    emulator.configure(key_delay_seconds=0.6)
    start = time.time()
    new_id = order(emulator).findtext("id")
    state = license_of(emulator, int(new_id))
    assert (state["key_issued"], state["key_requests_left"]) == (False, None)
    assert start + 0.6 <= state["key_due"] <= time.time() + 0.6
    assert call(emulator, "platform.edit", elid=new_id).find("lickey").text is None
    emulator.configure(key_delay_seconds=0)  # a key held back stays held until its own time
    assert call(emulator, "platform.edit", elid=new_id).find("lickey").text is None
    time.sleep(max(0.0, state["key_due"] - time.time()) + 0.05)
    assert license_of(emulator, int(new_id))["key_issued"] is True
    assert call(emulator, "platform.edit", elid=new_id).findtext("lickey") == state["lickey"]


def test_key_delay_requests_wins_and_counts_from_the_order_not_from_processing(emulator):
    emulator.configure(key_delay_seconds=60, key_delay_requests=1, order_processing_seconds=60)
    new_id = order(emulator).findtext("id")
    assert license_of(emulator, int(new_id))["key_due"] is None
    first = call(emulator, "platform.edit", elid=new_id)
    assert (first.findtext("status"), first.find("lickey").text) == ("5", None)
    second = call(emulator, "platform.edit", elid=new_id)
    assert (second.findtext("status"), second.findtext("lickey")) == ("5", license_of(emulator, int(new_id))["lickey"])


def test_a_held_key_survives_the_state_file(emulator_factory, tmp_path):
    path = tmp_path / "state.json"
    emu = emulator_factory(state_file=path)
    emu.configure(key_delay_requests=3)
    new_id = int(order(emu).findtext("id"))
    saved = next(lic for lic in json.loads(path.read_text())["licenses"] if lic["id"] == new_id)
    assert (saved["key_due"], saved["key_requests_left"]) == (None, 3)
    emu.stop()
    again = emulator_factory(state_file=path)
    assert license_of(again, new_id)["key_requests_left"] == 3
    assert call(again, "platform.edit", elid=str(new_id)).find("lickey").text is None


def test_a_cart_item_ordered_with_a_key_delay_holds_its_key_too(emulator):
    emulator.configure(cart_item=True, key_delay_requests=1)
    order(emulator, skipbasket="off")
    item = max(lic["id"] for lic in emulator.snapshot()["licenses"])
    assert license_of(emulator, item)["key_issued"] is False
