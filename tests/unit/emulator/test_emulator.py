# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The BILLmanager emulator, exercised over real HTTP (fixtures in tests/conftest.py).

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

DEMO = "demo:demo-secret"
ORDER = {"clicked_button": "finish", "sok": "ok", "pricelist": "55163", "period": "1", "addon_55165": "3",
         "addon_55164": "50", "skipbasket": "on", "comment": "new-cluster"}
EMULATOR_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "emulator")


def call(emu, func, authinfo=DEMO, timeout=5, **params):
    """POST a form call; return the parsed <doc>."""
    data = {"out": "xml", "func": func}
    if authinfo:
        data["authinfo"] = authinfo
    data.update(params)
    response = requests.post(emu.url, data=data, timeout=timeout, verify=emu.ca_file or True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def order(emu, **overrides):
    """platform.order.param with ORDER's parameters; an override of None leaves that parameter out."""
    params = dict(ORDER)
    params.update(overrides)
    return call(emu, "platform.order.param", **params)


def error_of(doc):
    error = doc.find("error")
    if error is None:
        return None
    return error.get("type"), error.get("object"), error.findtext("msg")


def license_of(emu, license_id):
    with emu.lock:
        return emu.state.licenses[license_id]


def balance(emu, user="demo"):
    return emu.snapshot()["users"][user]["balance"]


def admin(emu, method, route, payload=None):
    response = requests.request(method, "%s/%s" % (emu.admin_url, route), json=payload, timeout=5)
    return response.status_code, response.json()


# -- auth ---------------------------------------------------------------------------------------------------------

def test_authinfo_ok_bad_and_missing(emulator):
    assert error_of(call(emulator, "platform")) is None
    assert error_of(call(emulator, "platform", authinfo="demo:wrong")) == ("auth", "badpassword", "Invalid username or password")
    assert error_of(call(emulator, "platform", authinfo="nobody:x"))[0] == "auth"
    assert error_of(call(emulator, "platform", authinfo=None))[0] == "auth"
    bad = call(emulator, "platform", authinfo="demo:wrong").find("error")
    assert bad.find("param[@name='object']").text == "badpassword"
    assert bad.get("lang") == "en"


def test_password_may_contain_colons(emulator_factory):
    seed = {"today": "2026-01-10", "users": [{"name": "u", "password": "a:b:c", "balance": "1.00"}]}
    emu = emulator_factory(seed=seed)
    assert error_of(call(emu, "platform", authinfo="u:a:b:c")) is None


def test_session_auth_and_expiry(emulator):
    answer = call(emulator, "auth", authinfo=None, username="demo", password="demo-secret")
    session = answer.find("auth")
    assert session.get("id") == session.text and session.get("level") == "16"
    listed = call(emulator, "platform", authinfo=None, auth=session.text)
    assert [elem.findtext("id") for elem in listed.findall("elem")] == ["101", "102", "103", "104"]
    assert error_of(call(emulator, "auth", authinfo=None, username="demo", password="nope"))[:2] == ("auth", "badpassword")
    assert error_of(call(emulator, "platform", authinfo=None, auth="bogus"))[0] == "auth"
    with emulator.lock:
        emulator.state.sessions[session.text].last_used -= 3601
    assert error_of(call(emulator, "platform", authinfo=None, auth=session.text))[0] == "auth"


# -- reads --------------------------------------------------------------------------------------------------------

def test_list_paging_and_rows(emulator):
    page = call(emulator, "platform", p_cnt="2", p_num="2")
    assert (page.findtext("p_cnt"), page.findtext("p_num"), page.findtext("p_elems")) == ("2", "2", "4")
    assert [elem.findtext("id") for elem in page.findall("elem")] == ["103", "104"]
    assert page.get("func") == "platform" and page.get("lang") == "en"
    assert call(emulator, "platform", p_cnt="2", p_num="3").findall("elem") == []
    everything = call(emulator, "platform")
    assert everything.findtext("p_elems") == "4" and len(everything.findall("elem")) == 4
    row = everything.find("elem")
    assert [child.tag for child in row] == ["id", "pricelist", "period", "createdate", "expiredate", "autoprolong", "status",
                                            "item_status", "comment", "cost", "processingmodule"]
    assert (row.findtext("pricelist"), row.findtext("cost"), row.findtext("item_status")) == ("VMmanager 6", "30.00 EUR", "Active")
    assert everything.findall("elem")[1].find("autoprolong") is None
    assert everything.findall("elem")[3].findtext("status") == "4"
    assert error_of(call(emulator, "platform", p_cnt="zero"))[:2] == ("value", "p_cnt")
    emulator.configure(list_addons=True)
    assert call(emulator, "platform").find("elem").findtext("addon_55165") == "3"


def test_empty_comment_absent_from_list_row(emulator):
    call(emulator, "platform.edit", elid="103", sok="ok", comment="")
    row = call(emulator, "platform").findall("elem")[2]
    assert row.find("comment") is None
    assert call(emulator, "platform.edit", elid="103").find("comment") is not None


def test_read_one(emulator):
    doc = call(emulator, "platform.edit", elid="101")
    assert doc.get("func") == "platform.edit"
    assert {child.tag: child.text for child in doc} == {
        "elid": "101", "id": "101", "pricelist": "55163", "period": "1", "createdate": "2026-10-01", "expiredate": "2026-12-01",
        "autoprolong": "1", "status": "2", "comment": "web-cluster", "cost": "30.00 EUR", "addon_55164": "50", "addon_55165": "3",
        "lickey": license_of(emulator, 101).lickey,
    }
    assert error_of(call(emulator, "platform.edit", elid="105"))[:2] == ("access", "elid")
    missing = call(emulator, "platform.edit", elid="999")
    assert error_of(missing) == ("missed", "elid", "Object not found")
    assert missing.find("error/param[@name='value']").text == "999"
    assert error_of(call(emulator, "platform.delete"))[:2] == ("missed", "elid")
    assert error_of(call(emulator, "no.such.func"))[:2] == ("unknown", "no.such.func")


# -- order --------------------------------------------------------------------------------------------------------

def test_order_charges_and_answers_an_id(emulator):
    doc = order(emulator)
    assert doc.find("ok") is not None and doc.findtext("id") == "1000" and doc.findtext("billorder.id") == "5000"
    assert balance(emulator) == "470.00"
    lic = license_of(emulator, 1000)
    assert (lic.status, lic.comment, lic.addons, str(lic.createdate), str(lic.expiredate)) == (
        2, "new-cluster", {55165: 3, 55164: 50}, "2026-11-27", "2026-12-27")
    yearly = order(emulator, pricelist="55161", period="12", autoprolong="12", addon_55171="5", addon_55165=None, addon_55164=None)
    assert yearly.findtext("id") == "1001" and balance(emulator) == "220.00"
    assert str(license_of(emulator, 1001).expiredate) == "2027-11-27" and license_of(emulator, 1001).autoprolong == 12


def test_order_validation_happens_before_charging(emulator):
    cases = [
        ({"pricelist": "1"}, ("value", "pricelist")),
        ({"period": "3"}, ("value", "period")),
        ({"period": ""}, ("missed", "period")),
        ({"addon_55171": "1"}, ("value", "addon_55171")),
        ({"addon_55165": "-1"}, ("value", "addon_55165")),
        ({"addon_55164": "many"}, ("value", "addon_55164")),
        ({"autoprolong": "6"}, ("value", "autoprolong")),
        ({"skipbasket": "maybe"}, ("value", "skipbasket")),
        ({"clicked_button": ""}, ("missed", "clicked_button")),
    ]
    for overrides, expected in cases:
        assert error_of(order(emulator, **overrides))[:2] == expected
    assert balance(emulator) == "500.00" and len(emulator.snapshot()["licenses"]) == 5


def test_insufficient_funds_is_a_money_error_and_orders_nothing(emulator):
    emulator.set_balance("demo", "12.00")
    doc = order(emulator)
    assert error_of(doc)[:2] == ("money", "balance")
    assert doc.find("error/param[@name='balance']").text == "12.00"
    assert doc.find("error/param[@name='cost']").text == "30.00"
    assert "12.00 EUR" in error_of(doc)[2] and "30.00 EUR" in error_of(doc)[2]
    state = emulator.snapshot()
    assert len(state["licenses"]) == 5 and state["orders"] == [] and state["users"]["demo"]["balance"] == "12.00"


def test_skipbasket_off_only_fills_the_cart(emulator):
    doc = order(emulator, skipbasket="off")
    assert doc.find("ok") is not None and doc.find("id") is None and doc.findtext("billorder.id") == "5000"
    assert order(emulator, skipbasket=None).find("id") is None  # off is the default
    state = emulator.snapshot()
    assert len(state["licenses"]) == 5 and balance(emulator) == "500.00"
    assert [item["status"] for item in state["orders"]] == ["cart", "cart"]


def test_new_order_passes_through_processing(emulator):
    emulator.configure(order_processing_seconds=0.3)
    new_id = order(emulator).findtext("id")
    assert call(emulator, "platform.edit", elid=new_id).findtext("status") == "5"
    time.sleep(0.35)
    assert call(emulator, "platform.edit", elid=new_id).findtext("status") == "2"


def test_trial_rules(emulator):
    doc = order(emulator, period="-100")
    lic = license_of(emulator, int(doc.findtext("id")))
    assert (lic.period, str(lic.expiredate), balance(emulator)) == (-100, "2026-12-27", "500.00")
    assert error_of(order(emulator, period="-100"))[:2] == ("exists", "pricelist")
    assert error_of(order(emulator, period="-100", pricelist="55161", addon_55165=None, addon_55164=None)) is None
    refused = call(emulator, "service.prolong", elid=str(lic.id), period="1", sok="ok")
    assert error_of(refused) == ("value", "period", "A trial license cannot be prolonged")
    assert call(emulator, "platform", p_cnt="10").findall("elem")[-2].findtext("period") == "-100"


# -- prolong ------------------------------------------------------------------------------------------------------

def test_prolong_active_extends_from_expiry(emulator):
    doc = call(emulator, "service.prolong", elid="101", period="1", sok="ok")
    assert doc.get("func") == "service.prolong" and doc.findtext("doc/newexpiredate") == "2027-01-01"
    assert balance(emulator) == "470.00"
    emulator.configure(prolong_answer="flat")
    assert call(emulator, "service.prolong", elid="101", period="12", sok="ok").findtext("newexpiredate") == "2028-01-01"
    assert balance(emulator) == "170.00"
    assert error_of(call(emulator, "service.prolong", elid="101", period="3", sok="ok"))[:2] == ("value", "period")
    assert error_of(call(emulator, "service.prolong", elid="104", period="1", sok="ok")) == ("value", "elid", "License is deleted")


def test_prolong_suspended_extends_from_today(emulator):
    # 102 was suspended by its user: the new expiry counts from today and it stays suspended.
    assert call(emulator, "service.prolong", elid="102", period="1", sok="ok").findtext("doc/newexpiredate") == "2026-12-27"
    assert license_of(emulator, 102).status == 3
    # 103 suspended by expiry: renewed from the renewal date and active again.
    emulator.set_today("2027-03-20")
    assert license_of(emulator, 103).status == 3
    emulator.set_balance("demo", "1000")
    assert call(emulator, "service.prolong", elid="103", period="12", sok="ok").findtext("doc/newexpiredate") == "2028-03-20"
    assert license_of(emulator, 103).status == 2


# -- edit, suspend, resume, delete --------------------------------------------------------------------------------

def test_edit_charges_the_pro_rata_rest_of_the_period(emulator):
    # 101: 2026-11-01..2026-12-01 (30 days), today 2026-11-27 -> 4 days left; 2 more nodes at 5.00 -> 2*5*4/30 = 1.33
    assert call(emulator, "platform.edit", elid="101", sok="ok", addon_55165="5", comment="renamed").find("ok") is not None
    lic = license_of(emulator, 101)
    assert (lic.addons[55165], lic.comment, balance(emulator)) == (5, "renamed", "498.67")
    call(emulator, "platform.edit", elid="101", sok="ok", addon_55165="1", addon_55164="10")
    assert (lic.addons, balance(emulator)) == ({55165: 1, 55164: 10}, "498.67")
    assert error_of(call(emulator, "platform.edit", elid="101", sok="ok", addon_55171="1"))[:2] == ("value", "addon_55171")
    emulator.set_balance("demo", "0.50")
    assert error_of(call(emulator, "platform.edit", elid="101", sok="ok", addon_55165="9"))[0] == "money"
    assert lic.addons[55165] == 1


def test_suspend_resume_delete(emulator):
    assert call(emulator, "platform.suspend", elid="101").find("ok") is not None
    assert license_of(emulator, 101).status == 3
    assert error_of(call(emulator, "platform.suspend", elid="101")) is None
    call(emulator, "platform.resume", elid="101")
    assert license_of(emulator, 101).status == 2
    assert error_of(call(emulator, "platform.resume", elid="101")) is None
    call(emulator, "platform.delete", elid="101")
    assert license_of(emulator, 101).status == 4 and balance(emulator) == "500.00"
    for func in ("platform.suspend", "platform.resume", "platform.delete"):
        assert error_of(call(emulator, func, elid="101")) == ("value", "elid", "License is deleted")
    assert error_of(call(emulator, "platform.edit", elid="101", sok="ok", comment="x"))[:2] == ("value", "elid")
    emulator.set_today("2027-01-05")
    assert error_of(call(emulator, "platform.resume", elid="102"))[:2] == ("value", "elid")


# -- clock --------------------------------------------------------------------------------------------------------

def test_clock_lifecycle(emulator):
    events = emulator.advance_days(4)
    assert {(event["license"], event["event"]) for event in events} == {(101, "renewed"), (105, "suspended")}
    assert str(license_of(emulator, 101).expiredate) == "2027-01-01" and balance(emulator) == "470.00"
    assert license_of(emulator, 105).suspend_reason == "expired"
    emulator.set_balance("demo", "0")
    emulator.set_today("2027-01-01")
    assert license_of(emulator, 101).status == 3
    emulator.advance_days(29)
    assert license_of(emulator, 105).status == 4 and license_of(emulator, 101).status == 3
    emulator.advance_days(1)
    assert license_of(emulator, 101).status == 4
    assert license_of(emulator, 102).status == 4  # expired 2027-01-01 while suspended, deleted 30 days later


# -- faults -------------------------------------------------------------------------------------------------------

def _order_raw(emu, timeout=5):
    data = dict(ORDER, out="xml", func="platform.order.param", authinfo=DEMO)
    return requests.post(emu.url, data=data, timeout=timeout)


def _licenses(emu):
    return len(emu.snapshot()["licenses"])


@pytest.mark.parametrize("kind, opts, check", [
    ("reset", {}, None),
    ("http_error", {"status": 503}, lambda r: r.status_code == 503 and "503" in r.text and r.headers["Content-Type"].startswith("text/html")),
    ("rate_limit", {"retry_after": 7}, lambda r: r.status_code == 429 and r.headers["Retry-After"] == "7"),
    ("malformed", {}, lambda r: r.status_code == 200 and r.content == b"<doc><ok></doc"),
    ("truncated", {}, lambda r: r.status_code == 200 and r.text.startswith("<?xml") and not r.text.rstrip().endswith("</doc>")),
    ("html_200", {}, lambda r: r.status_code == 200 and "<form" in r.text and r.headers["Content-Type"].startswith("text/html")),
])
def test_faults_that_execute_nothing(emulator, kind, opts, check):
    emulator.add_fault(func="platform.order.param", kind=kind, **opts)
    if check is None:
        with pytest.raises(requests.ConnectionError):
            _order_raw(emulator)
    else:
        assert check(_order_raw(emulator))
    assert _licenses(emulator) == 5 and balance(emulator) == "500.00"
    entry = emulator.log_entries()[-1]
    assert entry["fault"] == kind and entry["write"] is True
    assert _order_raw(emulator).status_code == 200 and _licenses(emulator) == 6


def test_drop_after_commit_executes_the_write(emulator):
    emulator.add_fault(func="platform.order.param", kind="drop_after_commit")
    with pytest.raises(requests.ConnectionError):
        _order_raw(emulator)
    assert _licenses(emulator) == 6 and balance(emulator) == "470.00"
    assert emulator.log_entries()[-1]["fault"] == "drop_after_commit"


def test_timeout_executes_then_answers_late(emulator):
    emulator.add_fault(func="*", kind="timeout", seconds=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        _order_raw(emulator, timeout=0.2)
    assert _licenses(emulator) == 6


def test_latency_skip_and_func_matching(emulator):
    emulator.add_fault(func="platform", kind="latency", seconds=0.2, skip=1)
    emulator.add_fault(func="service.prolong", kind="http_error")
    started = time.monotonic()
    call(emulator, "platform")
    assert time.monotonic() - started < 0.2
    call(emulator, "platform.edit", elid="101")
    started = time.monotonic()
    assert error_of(call(emulator, "platform")) is None
    assert time.monotonic() - started >= 0.2
    assert [rule["kind"] for rule in emulator.faults()] == ["http_error"]
    with pytest.raises(ValueError):
        emulator.add_fault(kind="explode")


# -- TLS, log, admin, persistence, CLI ----------------------------------------------------------------------------

def test_tls_with_the_test_ca(emulator_factory):
    emu = emulator_factory(tls=True)
    assert emu.url.startswith("https://127.0.0.1:") and os.path.exists(emu.ca_file)
    assert error_of(call(emu, "platform")) is None
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(emu.url, data={"func": "platform", "authinfo": DEMO}, timeout=5)
    emu.restart()
    assert error_of(call(emu, "platform")) is None


def test_request_log_redacts_secrets_but_keeps_the_raw_query(emulator):
    call(emulator, "platform", p_cnt="1")
    call(emulator, "auth", authinfo=None, username="demo", password="demo-secret")
    requests.get(emulator.url, params={"func": "platform", "authinfo": DEMO}, timeout=5)
    first, login, in_url = emulator.log_entries()
    assert first["query"] == "" and first["body_keys"] == ["authinfo", "func", "out", "p_cnt"]
    assert first["params"]["authinfo"] == "<redacted>" and first["user"] == "demo" and first["status"] == 200
    assert first["write"] is False and first["seq"] == 1 and first["method"] == "POST" and first["path"] == "/manager/billmgr"
    assert login["params"]["password"] == "<redacted>" and "demo-secret" not in json.dumps(login)
    assert "demo-secret" in in_url["query"] and in_url["params"]["authinfo"] == "<redacted>"


def test_admin_api(emulator):
    status, state = admin(emulator, "GET", "state")
    assert status == 200 and state["today"] == "2026-11-27" and state["users"]["demo"]["balance"] == "500.00"
    first = state["licenses"][0]
    assert (first["id"], first["addons"], first["autoprolong"], first["cost"]) == (101, {"55164": 50, "55165": 3}, "1", "30.00")
    assert admin(emulator, "POST", "balance", {"user": "demo", "balance": "42.5"})[1]["users"]["demo"]["balance"] == "42.50"
    assert admin(emulator, "POST", "clock", {"advance_days": 4})[1]["today"] == "2026-12-01"
    assert admin(emulator, "POST", "clock", {"today": "2026-12-02"})[1]["today"] == "2026-12-02"
    assert admin(emulator, "POST", "faults", {"func": "platform", "kind": "http_error", "status": 504})[0] == 200
    assert requests.post(emulator.url, data={"func": "platform", "authinfo": DEMO}, timeout=5).status_code == 504
    assert admin(emulator, "POST", "faults", {"kind": "nonsense"})[0] == 400
    assert admin(emulator, "DELETE", "faults")[1] == {"faults": []}
    assert len(admin(emulator, "GET", "log")[1]["entries"]) == 1
    assert admin(emulator, "DELETE", "log")[1] == {"entries": []}
    assert admin(emulator, "POST", "config", {"prolong_answer": "flat", "list_addons": True})[1]["config"]["prolong_answer"] == "flat"
    assert admin(emulator, "POST", "config", {"colour": "red"})[0] == 400
    assert admin(emulator, "POST", "reset")[1]["today"] == "2026-11-27"
    assert emulator.snapshot()["users"]["demo"]["balance"] == "500.00" and emulator.snapshot()["config"]["prolong_answer"] == "nested"
    assert admin(emulator, "GET", "nowhere")[0] == 404


def test_state_file_and_restart(emulator_factory, tmp_path):
    state_file = tmp_path / "state.json"
    emu = emulator_factory(state_file=str(state_file))
    order(emu)
    assert json.loads(state_file.read_text())["users"][0]["balance"] == "470.00"
    port = emu.port
    emu.restart()
    assert emu.port == port and call(emu, "platform").findtext("p_elems") == "5"
    emu.stop()
    again = emulator_factory(state_file=str(state_file))
    assert again.snapshot()["licenses"][-1]["comment"] == "new-cluster" and balance(again) == "470.00"


def test_cli_smoke(tmp_path):
    port_file = tmp_path / "port"
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR)
    command = [sys.executable, "-m", "billmgr_emulator", "--port", "0", "--port-file", str(port_file), "--quiet"]
    with subprocess.Popen(command, env=env) as process:
        try:
            deadline = time.monotonic() + 10
            while not port_file.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            url = "http://127.0.0.1:%s/manager/billmgr" % port_file.read_text().strip()
            answer = requests.post(url, data={"func": "platform", "authinfo": DEMO}, timeout=5)
            assert ET.fromstring(answer.content).findtext("p_elems") == "4"
        finally:
            process.terminate()
            assert process.wait(timeout=10) == 0


def test_concurrent_orders_never_overdraw(emulator):
    emulator.set_balance("demo", "90.00")
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _index: order(emulator), range(8)))
    assert sum(1 for doc in answers if error_of(doc) is None) == 3
    assert sum(1 for doc in answers if error_of(doc) and error_of(doc)[0] == "money") == 5
    assert balance(emulator) == "0.00" and _licenses(emulator) == 8


# -- server variants (config switches, README "Server variants"); each is off by default ---------------------------

def ids_of(doc):
    return [elem.findtext("id") for elem in doc.findall("elem")]


def test_variant_defaults_are_the_documented_answers(emulator):
    config = emulator.snapshot()["config"]
    assert {key: config[key] for key in ("list_page_max", "list_totals", "list_ignores_p_num", "list_comment", "status_form",
                                         "account_lang", "not_found_error", "authinfo_whitelist")} == {
        "list_page_max": None, "list_totals": True, "list_ignores_p_num": False, "list_comment": True, "status_form": "code",
        "account_lang": "en", "not_found_error": "missed_elid", "authinfo_whitelist": None}


def test_list_page_max_caps_the_page_and_says_the_size_used(emulator):
    emulator.configure(list_page_max=2)
    first = call(emulator, "platform", p_cnt="500")
    assert (first.findtext("p_cnt"), first.findtext("p_num"), first.findtext("p_elems")) == ("2", "1", "4")
    assert ids_of(first) == ["101", "102"]
    second = call(emulator, "platform", p_cnt="500", p_num="2")
    assert (second.findtext("p_cnt"), second.findtext("p_num"), ids_of(second)) == ("2", "2", ["103", "104"])
    unasked = call(emulator, "platform")  # no p_cnt: the server pages anyway
    assert (unasked.findtext("p_cnt"), unasked.findtext("p_num"), ids_of(unasked)) == ("2", "1", ["101", "102"])
    smaller = call(emulator, "platform", p_cnt="1", p_num="3")
    assert (smaller.findtext("p_cnt"), ids_of(smaller)) == ("1", ["103"])


def test_list_totals_off_drops_p_elems(emulator):
    emulator.configure(list_totals=False)
    paged = call(emulator, "platform", p_cnt="2")
    assert paged.find("p_elems") is None and paged.findtext("p_cnt") == "2" and ids_of(paged) == ["101", "102"]
    assert call(emulator, "platform").find("p_elems") is None
    assert [child.tag for child in call(emulator, "platform", p_cnt="1")][:3] == ["p_cnt", "p_num", "elem"]


def test_list_ignores_p_num_always_serves_page_one(emulator):
    emulator.configure(list_ignores_p_num=True)
    second = call(emulator, "platform", p_cnt="2", p_num="2")
    assert second.findtext("p_num") == "2" and second.findtext("p_elems") == "4"  # the asked number, echoed
    assert ids_of(second) == ids_of(call(emulator, "platform", p_cnt="2", p_num="1")) == ["101", "102"]
    assert ids_of(call(emulator, "platform", p_cnt="2", p_num="9")) == ["101", "102"]


def test_list_comment_off_hides_the_comment_from_rows_only(emulator):
    emulator.configure(list_comment=False)
    assert [elem.find("comment") for elem in call(emulator, "platform").findall("elem")] == [None] * 4
    assert call(emulator, "platform.edit", elid="101").findtext("comment") == "web-cluster"


@pytest.mark.parametrize("form, row_cells, read_cells", [
    ("code", [("status", "3", {}), ("item_status", "Suspended", {})], [("status", "3", {})]),
    ("item_status_code", [("item_status", "3", {})], [("item_status", "3", {})]),
    ("orig", [("item_status", "Suspended", {"orig": "3_3_0"})], [("item_status", "Suspended", {"orig": "3_3_0"})]),
    ("text", [("item_status", "Suspended", {})], [("item_status", "Suspended", {})]),
])
def test_status_form(emulator, form, row_cells, read_cells):
    emulator.configure(status_form=form)

    def status_cells(parent):
        return [(child.tag, child.text, child.attrib) for child in parent if child.tag in ("status", "item_status")]

    row = call(emulator, "platform").findall("elem")[1]
    assert status_cells(row) == row_cells
    assert [child.tag for child in row].index(row_cells[0][0]) == 5  # where status stood: after expiredate (no autoprolong)
    assert status_cells(call(emulator, "platform.edit", elid="102")) == read_cells
    if form == "orig":
        emulator.configure(account_lang="ru")
        assert status_cells(call(emulator, "platform.edit", elid="101")) == [("item_status", "Активна", {"orig": "2_2_0"})]


def test_lang_parameter_and_account_default(emulator):
    russian = call(emulator, "platform", lang="ru")
    assert russian.get("lang") == "ru"
    assert [elem.findtext("item_status") for elem in russian.findall("elem")] == ["Активна", "Остановлена", "Активна", "Удалена"]
    assert call(emulator, "platform", lang="de").get("lang") == "en"
    emulator.configure(account_lang="ru")
    assert call(emulator, "platform").get("lang") == "ru"
    assert call(emulator, "platform", lang="xx").get("lang") == "ru"
    english = call(emulator, "platform", lang="en")
    assert english.get("lang") == "en" and english.find("elem").findtext("item_status") == "Active"
    error = call(emulator, "platform.edit", elid="999", lang="en")
    assert error.get("lang") == "en" and error.find("error").get("lang") == "en" and error_of(error)[2] == "Object not found"
    assert emulator.log_entries()[0]["params"]["lang"] == "ru"


def test_russian_texts_of_statuses_and_errors(emulator):
    with emulator.lock:
        emulator.state.licenses[101].status, emulator.state.licenses[101].ready_at = 5, time.time() + 60
        emulator.state.licenses[102].status = 1
    rows = call(emulator, "platform", lang="ru").findall("elem")
    assert [elem.findtext("item_status") for elem in rows[:2]] == ["Обрабатывается", "Заказана"]
    emulator.configure(account_lang="ru")
    emulator.set_balance("demo", "12.00")
    cases = {
        "not_found": call(emulator, "platform.edit", elid="999"),
        "access": call(emulator, "platform.edit", elid="105"),
        "money": order(emulator),
        "value": order(emulator, period="3"),
        "deleted": call(emulator, "platform.suspend", elid="104"),
        "missed": call(emulator, "platform.delete"),
        "auth": call(emulator, "platform", authinfo="demo:wrong"),
        "no_auth": call(emulator, "platform", authinfo=None),
        "unknown": call(emulator, "no.such.func"),
    }
    emulator.set_balance("demo", "500.00")
    order(emulator, period="-100")
    cases["exists"] = order(emulator, period="-100")
    texts = dict((name, error_of(doc)) for name, doc in cases.items())
    assert texts == {
        "not_found": ("missed", "elid", "Объект не найден"),
        "access": ("access", "elid", "Доступ запрещён: лицензия принадлежит другой учётной записи"),
        "money": ("money", "balance", "Недостаточно средств: баланс 12.00 EUR, стоимость 30.00 EUR"),
        "value": ("value", "period", "Неверное значение параметра «period»"),
        "deleted": ("value", "elid", "Лицензия удалена"),
        "missed": ("missed", "elid", "Не задан обязательный параметр «elid»"),
        "auth": ("auth", "badpassword", "Неверное имя пользователя или пароль"),
        "no_auth": ("auth", "authinfo", "Требуется авторизация: передайте authinfo=пользователь:пароль или auth=СЕССИЯ"),
        "unknown": ("unknown", "no.such.func", "Неизвестная функция «no.such.func»"),
        "exists": ("exists", "pricelist", "Пробный период этого продукта уже использован этой учётной записью"),
    }
    assert all(doc.get("lang") == "ru" and doc.find("error").get("lang") == "ru" for doc in cases.values())


@pytest.mark.parametrize("form, expected", [
    ("missed_elid", ("missed", "elid")),
    ("missed_item", ("missed", "item")),
    ("missed_id", ("missed", "id")),
    ("access_elid", ("access", "elid")),
])
def test_not_found_error_forms(emulator, form, expected):
    emulator.configure(not_found_error=form)
    for func, params in (("platform.edit", {}), ("service.prolong", {"period": "1", "sok": "ok"}), ("platform.delete", {})):
        doc = call(emulator, func, elid="999", **params)
        assert error_of(doc) == expected + ("Object not found",)
        assert doc.find("error/param[@name='object']").text == expected[1]
        assert doc.find("error/param[@name='value']").text == "999"
    assert error_of(call(emulator, "platform.edit", elid="105"))[:2] == ("access", "elid")  # another user's: as always


# -- fault unacknowledged -----------------------------------------------------------------------------------------

def test_unacknowledged_edit_answers_the_read_one_form_and_changes_nothing(emulator):
    emulator.add_fault(func="platform.edit", kind="unacknowledged")
    doc = call(emulator, "platform.edit", elid="101", sok="ok", comment="renamed", addon_55165="9")
    assert doc.find("ok") is None and doc.find("error") is None
    assert ET.tostring(doc) == ET.tostring(call(emulator, "platform.edit", elid="101"))
    assert (license_of(emulator, 101).comment, license_of(emulator, 101).addons[55165], balance(emulator)) == ("web-cluster", 3, "500.00")
    entry = emulator.log_entries()[0]
    assert (entry["fault"], entry["status"], entry["write"], entry["user"]) == ("unacknowledged", 200, True, "demo")
    assert call(emulator, "platform.edit", elid="101", sok="ok", comment="renamed").find("ok") is not None  # the rule ran out


def test_unacknowledged_prolong_and_order_answer_their_forms(emulator):
    emulator.add_fault(func="*", kind="unacknowledged", count=2)
    prolong = call(emulator, "service.prolong", elid="101", period="1", sok="ok")
    assert [child.tag for child in prolong] == ["elid", "expiredate", "newexpiredate", "period", "slist"]
    assert (prolong.findtext("elid"), prolong.findtext("expiredate"), prolong.find("slist").get("name")) == ("101", "2026-12-01", "period")
    assert prolong.find("doc") is None  # the flat newexpiredate of the form, not the executed call's /doc/doc
    placed = order(emulator)
    assert [child.tag for child in placed] == ["pricelist", "slist", "slist"] and placed.findtext("pricelist") == "55163"
    state = emulator.snapshot()
    assert (len(state["licenses"]), state["orders"], balance(emulator)) == (5, [], "500.00")
    assert str(license_of(emulator, 101).expiredate) == "2026-12-01"


@pytest.mark.parametrize("func", ["platform.suspend", "platform.resume", "platform.delete"])
def test_unacknowledged_simple_write_answers_a_bare_doc_with_the_elid(emulator, func):
    emulator.add_fault(func=func, kind="unacknowledged")
    doc = call(emulator, func, elid="102", sok="ok")
    assert (doc.get("func"), doc.get("lang"), [(child.tag, child.text) for child in doc]) == (func, "en", [("elid", "102")])
    assert license_of(emulator, 102).status == 3
    assert emulator.log_entries()[-1]["fault"] == "unacknowledged"


# -- comments, request log, authinfo whitelist --------------------------------------------------------------------

def test_comment_is_stored_as_a_web_form_would(emulator):
    new_id = int(order(emulator, comment="  two\r\nlines \t\r\n").findtext("id"))
    assert license_of(emulator, new_id).comment == "two\nlines"
    call(emulator, "platform.edit", elid="101", sok="ok", comment="\n renamed\r\n")
    assert license_of(emulator, 101).comment == "renamed"
    assert call(emulator, "platform.edit", elid="101").findtext("comment") == "renamed"


@pytest.mark.parametrize("comment, code", [("a\x01b", "U+0001"), ("tab\there", "U+0009"), ("cr\ronly", "U+000D"), ("del\x7f", "U+007F")])
def test_comment_with_a_control_character_is_refused(emulator, comment, code):
    refused = order(emulator, comment=comment)
    assert error_of(refused)[:2] == ("value", "comment") and refused.find("error/param[@name='value']").text == code
    assert error_of(call(emulator, "platform.edit", elid="101", sok="ok", comment=comment, addon_55165="9"))[:2] == ("value", "comment")
    assert (len(emulator.snapshot()["licenses"]), balance(emulator)) == (5, "500.00")
    assert (license_of(emulator, 101).comment, license_of(emulator, 101).addons[55165]) == ("web-cluster", 3)


def test_request_log_counts_bytes_and_rows(emulator):
    listed = requests.post(emulator.url, data={"func": "platform", "authinfo": DEMO, "p_cnt": "3"}, timeout=5)
    one = requests.post(emulator.url, data={"func": "platform.edit", "authinfo": DEMO, "elid": "101"}, timeout=5)
    emulator.add_fault(func="platform", kind="http_error", status=503)
    failed = requests.post(emulator.url, data={"func": "platform", "authinfo": DEMO}, timeout=5)
    emulator.add_fault(func="platform", kind="reset")
    with pytest.raises(requests.ConnectionError):
        requests.post(emulator.url, data={"func": "platform", "authinfo": DEMO}, timeout=5)
    emulator.add_fault(func="platform.order.param", kind="drop_after_commit")
    with pytest.raises(requests.ConnectionError):
        _order_raw(emulator)
    counts = [(entry["bytes"], entry["rows"]) for entry in emulator.log_entries()]
    assert counts == [(len(listed.content), 3), (len(one.content), 0), (len(failed.content), 0), (0, 0), (0, 0)]


def test_authinfo_whitelist(emulator):
    session = call(emulator, "auth", authinfo=None, username="demo", password="demo-secret").findtext("auth")
    emulator.configure(authinfo_whitelist=["10.0.0.1", "192.168.0.0/16"])
    refused = call(emulator, "platform")
    assert error_of(refused)[:2] == ("auth", "ip") and refused.find("error/param[@name='value']").text == "127.0.0.1"
    assert error_of(call(emulator, "platform", authinfo="demo:wrong"))[:2] == ("auth", "ip")  # before the password
    assert error_of(call(emulator, "platform", authinfo=None, auth=session)) is None  # sessions are not restricted
    assert emulator.log_entries()[1]["user"] is None
    emulator.configure(authinfo_whitelist=["127.0.0.0/8"])
    assert error_of(call(emulator, "platform")) is None
    emulator.configure(authinfo_whitelist=[])
    assert error_of(call(emulator, "platform"))[:2] == ("auth", "ip")
    emulator.configure(authinfo_whitelist=None)
    assert error_of(call(emulator, "platform")) is None


@pytest.mark.parametrize("key, bad", [
    ("list_page_max", 0), ("list_page_max", "100"), ("list_page_max", True), ("list_totals", "no"), ("list_ignores_p_num", 1),
    ("list_comment", None), ("status_form", "orig_text"), ("account_lang", "de"), ("not_found_error", "missed"),
    ("authinfo_whitelist", "127.0.0.1"), ("authinfo_whitelist", ["not-an-ip"]),
])
def test_variant_config_is_checked(emulator_factory, key, bad):
    emu = emulator_factory()
    with pytest.raises(ValueError):
        emu.configure(**{key: bad})
    assert admin(emu, "POST", "config", {key: bad})[0] == 400
    seed = dict(json.loads(json.dumps(emu.seed)), config={key: bad})
    with pytest.raises(ValueError):
        emulator_factory(seed=seed)


def test_variant_config_from_a_seed_and_the_admin_api(emulator_factory):
    emu = emulator_factory()
    seed = dict(emu.seed, config={"list_page_max": 3, "status_form": "text", "account_lang": "ru"})
    seeded = emulator_factory(seed=seed)
    doc = call(seeded, "platform", p_cnt="10")
    assert (doc.get("lang"), doc.findtext("p_cnt"), len(doc.findall("elem"))) == ("ru", "3", 3)
    assert doc.find("elem/status") is None and doc.find("elem").findtext("item_status") == "Активна"
    status, answer = admin(emu, "POST", "config", {"not_found_error": "missed_item", "list_totals": False})
    assert status == 200 and (answer["config"]["not_found_error"], answer["config"]["list_totals"]) == ("missed_item", False)
    assert error_of(call(emu, "platform.edit", elid="999"))[:2] == ("missed", "item")
    admin(emu, "POST", "reset")
    assert error_of(call(emu, "platform.edit", elid="999"))[:2] == ("missed", "elid")
