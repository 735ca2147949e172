# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Server variants of a BILLmanager that works in its own time and keeps state of its own (README "Server variants",
# evidence round 3): delayed writes and their signs, saved list filters, stored comment forms, suspension reasons,
# expiry forms, error HTTP statuses, redirects, cart answers and autoprolong_must_match. Over real HTTP.

import json
import time
import xml.etree.ElementTree as ET

import pytest
import requests

DEMO = "demo:demo-secret"
ORDER = {"clicked_button": "finish", "sok": "ok", "pricelist": "55163", "period": "1", "addon_55165": "3",
         "addon_55164": "50", "skipbasket": "on", "comment": "new-cluster"}
NEW_DEFAULTS = {
    "processing_delay": {}, "processing_delay_requests": {}, "processing_signs": "status", "special_status_cell": False,
    "refuse_in_flux": False, "list_filter": None, "list_filter_element": "absent", "comment_max_length": None,
    "comment_storage": "as_sent", "expiry_form": "date", "error_http_status": 200, "whitelist_error": "ip",
    "redirect": None, "cart_answer": "billorder.id", "cart_item": False, "autoprolong_must_match": False,
}


def post(emu, func, authinfo=DEMO, **params):
    data = {"out": "xml", "func": func}
    if authinfo:
        data["authinfo"] = authinfo
    data.update(params)
    return requests.post(emu.url, data=data, timeout=5, allow_redirects=False)


def call(emu, func, **params):
    """POST a form call answered with HTTP 200; return the parsed <doc>."""
    response = post(emu, func, **params)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def order(emu, **overrides):
    """platform.order.param with ORDER's parameters; an override of None leaves that parameter out."""
    params = dict(ORDER)
    params.update(overrides)
    params = dict((key, value) for key, value in params.items() if value is not None)
    return call(emu, "platform.order.param", **params)


def error_of(doc):
    error = doc.find("error")
    return None if error is None else (error.get("type"), error.get("object"), error.findtext("msg"))


def cells(parent, *tags):
    """(tag, text, attributes) of the children named tags, in document order."""
    return [(child.tag, child.text, dict(child.attrib)) for child in parent if child.tag in tags]


def row(emu, license_id, **params):
    return next(elem for elem in call(emu, "platform", **params).findall("elem") if elem.findtext("id") == str(license_id))


def license_of(emu, license_id):
    return next(lic for lic in emu.snapshot()["licenses"] if lic["id"] == license_id)


def balance(emu):
    return emu.snapshot()["users"]["demo"]["balance"]


def ids_of(doc):
    return [elem.findtext("id") for elem in doc.findall("elem")]


def admin(emu, method, route, payload=None):
    response = requests.request(method, "%s/%s" % (emu.admin_url, route), json=payload, timeout=5)
    return response.status_code, response.json()


STATUS_CELLS = ("status", "item_status", "special_status")


# -- config -------------------------------------------------------------------------------------------------------

def test_new_switches_default_off(emulator):
    config = emulator.snapshot()["config"]
    assert dict((key, config[key]) for key in NEW_DEFAULTS) == NEW_DEFAULTS
    assert admin(emulator, "GET", "config")[1]["config"] == config
    assert all(lic["pending"] == [] for lic in emulator.snapshot()["licenses"])


@pytest.mark.parametrize("key, bad", [
    ("processing_delay", {"service.prolong": 0}), ("processing_delay", {"platform.order.param": 1}),
    ("processing_delay", {"platform.suspend": True}), ("processing_delay", [1]),
    ("processing_delay_requests", {"platform.delete": 0}), ("processing_delay_requests", {"platform.delete": 1.5}),
    ("processing_signs", "flag"), ("special_status_cell", "yes"), ("refuse_in_flux", 1),
    ("list_filter", {}), ("list_filter", {"colour": "red"}), ("list_filter", {"status": "2"}), ("list_filter", {"comment": 5}),
    ("list_filter", "comment=web"), ("list_filter_element", "none"), ("comment_max_length", 0), ("comment_max_length", "10"),
    ("comment_storage", "escaped"), ("expiry_form", "daily"), ("error_http_status", 99), ("error_http_status", "500"),
    ("error_http_status", 600), ("whitelist_error", "auth"), ("redirect", {"status": 303, "location": "https://x"}),
    ("redirect", {"status": 301, "location": "ftp://x"}), ("redirect", {"status": 301}), ("cart_answer", "order"),
    ("cart_item", None), ("autoprolong_must_match", "on"), ("prolong_answer", "bare"), ("status_form", "named"),
])
def test_new_config_is_checked(emulator_factory, key, bad):
    emu = emulator_factory()
    config = emu.snapshot()["config"]
    with pytest.raises(ValueError):
        emu.configure(**{key: bad})
    assert admin(emu, "POST", "config", {key: bad})[0] == 400
    with pytest.raises(ValueError):
        emulator_factory(seed=dict(json.loads(json.dumps(emu.seed)), config={key: bad}))
    assert emu.snapshot()["config"] == config


def test_new_config_from_a_seed_and_the_admin_api(emulator_factory):
    emu = emulator_factory()
    seeded = emulator_factory(seed=dict(emu.seed, config={"expiry_form": "text", "list_filter": {"status": 3}}))
    listed = call(seeded, "platform")
    assert ids_of(listed) == ["102"] and listed.find("elem").findtext("expiredate") == "Daily charge"
    status, answer = admin(emu, "POST", "config", {"processing_delay_requests": {"platform.suspend": 1}})
    assert status == 200 and answer["config"]["processing_delay_requests"] == {"platform.suspend": 1}


# -- 1. delayed writes --------------------------------------------------------------------------------------------

def test_delayed_prolong_is_charged_and_answered_at_once_and_applied_after_n_requests(emulator):
    emulator.configure(processing_delay_requests={"service.prolong": 2})
    answer = call(emulator, "service.prolong", elid="101", period="1", sok="ok")
    assert answer.findtext("doc/newexpiredate") == "2027-01-01" and balance(emulator) == "470.00"
    assert license_of(emulator, 101)["pending"] == [
        {"func": "service.prolong", "due": None, "requests_left": 2, "changes": {"expiredate": "2027-01-01"}}]
    listed = row(emulator, 101)  # the 1st request after the write
    assert [child.tag for child in listed] == ["id", "pricelist", "period", "createdate", "expiredate", "autoprolong", "status",
                                               "item_status", "special_status", "comment", "cost", "processingmodule"]
    assert cells(listed, *STATUS_CELLS) == [("status", "5", {}), ("item_status", "Processing", {}), ("special_status", "1", {})]
    assert listed.findtext("expiredate") == "2026-12-01"
    one = call(emulator, "platform.edit", elid="101")  # the 2nd: still processing
    assert cells(one, *STATUS_CELLS) == [("status", "5", {}), ("special_status", "1", {})]
    assert one.findtext("expiredate") == "2026-12-01"
    after = call(emulator, "platform.edit", elid="101")  # applied at the start of the 3rd
    assert cells(after, *STATUS_CELLS) == [("status", "2", {})] and after.findtext("expiredate") == "2027-01-01"
    assert license_of(emulator, 101)["pending"] == []


def test_snapshot_applies_a_change_that_is_due(emulator):
    emulator.configure(processing_delay_requests={"platform.suspend": 1})
    call(emulator, "platform.suspend", elid="101")
    assert license_of(emulator, 101)["status"] == 2 and license_of(emulator, 101)["pending"][0]["requests_left"] == 1
    call(emulator, "platform")
    assert license_of(emulator, 101)["status"] == 3 and license_of(emulator, 101)["pending"] == []


def test_delay_in_seconds(emulator):
    emulator.configure(processing_delay={"platform.suspend": 0.3})
    started = time.time()
    assert call(emulator, "platform.suspend", elid="101").find("ok") is not None
    pending = license_of(emulator, 101)["pending"]
    assert [change["func"] for change in pending] == ["platform.suspend"] and pending[0]["requests_left"] is None
    assert started + 0.3 <= pending[0]["due"] <= time.time() + 0.3
    assert pending[0]["changes"] == {"status": 3, "suspend_reason": "user"}
    assert call(emulator, "platform.edit", elid="101").findtext("status") == "5"
    time.sleep(0.35)
    assert license_of(emulator, 101)["status"] == 3  # snapshot() applies it
    assert call(emulator, "platform.edit", elid="101").findtext("status") == "3"


def test_a_second_write_is_queued_after_the_pending_one(emulator):
    emulator.configure(processing_delay_requests={"service.prolong": 3})
    assert call(emulator, "service.prolong", elid="101", period="1", sok="ok").findtext("doc/newexpiredate") == "2027-01-01"
    # answered from the projection: the second renewal answers the expiry after both
    assert call(emulator, "service.prolong", elid="101", period="1", sok="ok").findtext("doc/newexpiredate") == "2027-02-01"
    call(emulator, "platform.edit", elid="101", sok="ok", comment="queued")  # edit is not delayed, but waits its turn
    assert balance(emulator) == "440.00"
    pending = license_of(emulator, 101)["pending"]
    assert [(change["func"], change["requests_left"]) for change in pending] == [
        ("service.prolong", 1), ("service.prolong", 2), ("platform.edit", None)]
    assert call(emulator, "platform.edit", elid="101").findtext("comment") == "web-cluster"
    second = call(emulator, "platform.edit", elid="101")  # the first renewal applied; the rest still waits
    assert (second.findtext("expiredate"), second.findtext("comment"), second.findtext("status")) == ("2027-01-01", "web-cluster", "5")
    done = call(emulator, "platform.edit", elid="101")
    assert (done.findtext("expiredate"), done.findtext("comment"), done.findtext("status")) == ("2027-02-01", "queued", "2")
    assert license_of(emulator, 101)["pending"] == []


def test_delayed_edit_charges_at_once_and_shows_the_old_values_meanwhile(emulator):
    emulator.configure(processing_delay_requests={"platform.edit": 1}, status_form="orig_named")
    assert call(emulator, "platform.edit", elid="101", sok="ok", addon_55165="5", comment="renamed").find("ok") is not None
    assert balance(emulator) == "498.67"
    meanwhile = call(emulator, "platform.edit", elid="101")
    assert (meanwhile.findtext("comment"), meanwhile.findtext("addon_55165")) == ("web-cluster", "3")
    assert cells(meanwhile, *STATUS_CELLS) == [("item_status", "Processing", {"orig": "5_edit"}), ("special_status", "1", {})]
    done = call(emulator, "platform.edit", elid="101")
    assert (done.findtext("comment"), done.findtext("addon_55165"), cells(done, *STATUS_CELLS)) == (
        "renamed", "5", [("item_status", "Active", {"orig": "2"})])


def test_a_write_after_a_pending_delete_is_refused_as_deleted(emulator):
    emulator.configure(processing_delay_requests={"platform.delete": 5})
    call(emulator, "platform.delete", elid="101")
    assert error_of(call(emulator, "service.prolong", elid="101", period="1", sok="ok")) == ("value", "elid", "License is deleted")
    assert balance(emulator) == "500.00" and license_of(emulator, 101)["status"] == 2


@pytest.mark.parametrize("func, substate", [
    ("service.prolong", "5_prolong"), ("platform.suspend", "5_suspend"), ("platform.resume", "5_resume"), ("platform.delete", "5_close"),
])
def test_orig_named_shows_the_sub_state_of_the_pending_change(emulator, func, substate):
    emulator.configure(processing_delay_requests={func: 3}, status_form="orig_named")
    elid = "102" if func == "platform.resume" else "101"
    assert error_of(call(emulator, func, elid=elid, period="1", sok="ok")) is None
    assert cells(row(emulator, elid), *STATUS_CELLS) == [("item_status", "Processing", {"orig": substate}), ("special_status", "1", {})]


@pytest.mark.parametrize("form, in_row, in_read_one", [
    ("code", [("status", "2", {}), ("item_status", "Active", {}), ("special_status", "1", {})],
     [("status", "2", {}), ("special_status", "1", {})]),
    ("orig", [("item_status", "Active", {"orig": "2_2_1"}), ("special_status", "1", {})], None),
    ("orig_named", [("item_status", "Active", {"orig": "5_suspend"}), ("special_status", "1", {})], None),
    ("item_status_code", [("item_status", "2", {}), ("special_status", "1", {})], None),
])
def test_signs_special_status_keeps_the_old_status_code(emulator, form, in_row, in_read_one):
    emulator.configure(processing_delay_requests={"platform.suspend": 3}, processing_signs="special_status", status_form=form)
    call(emulator, "platform.suspend", elid="101")
    assert cells(row(emulator, 101), *STATUS_CELLS) == in_row
    assert cells(call(emulator, "platform.edit", elid="101"), *STATUS_CELLS) == (in_read_one or in_row)


def test_signs_status_under_orig_counts_special_status_last(emulator):
    emulator.configure(processing_delay_requests={"platform.suspend": 3}, status_form="orig", account_lang="ru")
    call(emulator, "platform.suspend", elid="101")
    assert cells(row(emulator, 101), *STATUS_CELLS) == [("item_status", "Обрабатывается", {"orig": "5_5_1"}), ("special_status", "1", {})]


def test_signs_none_shows_nothing_until_the_effect_applies(emulator):
    emulator.configure(processing_signs="none")
    before = post(emulator, "platform").content
    emulator.configure(processing_delay_requests={"platform.suspend": 2})
    call(emulator, "platform.suspend", elid="101")
    assert post(emulator, "platform").content == before
    assert call(emulator, "platform.edit", elid="101").findtext("status") == "2"
    assert call(emulator, "platform.edit", elid="101").findtext("status") == "3"


def test_special_status_cell_always_present(emulator):
    emulator.configure(special_status_cell=True, processing_delay_requests={"platform.suspend": 3})
    assert [elem.findtext("special_status") for elem in call(emulator, "platform").findall("elem")] == ["0", "0", "0", "0"]
    assert cells(call(emulator, "platform.edit", elid="103"), *STATUS_CELLS) == [("status", "2", {}), ("special_status", "0", {})]
    call(emulator, "platform.suspend", elid="101")
    assert [elem.findtext("special_status") for elem in call(emulator, "platform").findall("elem")] == ["1", "0", "0", "0"]


def test_a_new_order_processing_shows_5_open(emulator):
    """A new order's status 5 is its own status (today's shape: no special_status), sub-state 5_open."""
    emulator.configure(order_processing_seconds=30)
    new_id = order(emulator).findtext("id")
    assert cells(row(emulator, new_id), *STATUS_CELLS) == [("status", "5", {}), ("item_status", "Processing", {})]
    emulator.configure(status_form="orig_named")
    assert cells(row(emulator, new_id), *STATUS_CELLS) == [("item_status", "Processing", {"orig": "5_open"})]
    emulator.configure(status_form="orig")
    assert cells(row(emulator, new_id), *STATUS_CELLS) == [("item_status", "Processing", {"orig": "5_5_0"})]


def test_refuse_in_flux(emulator):
    emulator.configure(refuse_in_flux=True, processing_delay_requests={"service.prolong": 100}, order_processing_seconds=30)
    call(emulator, "service.prolong", elid="101", period="1", sok="ok")
    new_id = order(emulator).findtext("id")
    spent = balance(emulator)
    writes = [("service.prolong", {"period": "1", "sok": "ok"}), ("platform.edit", {"sok": "ok", "comment": "x"}),
              ("platform.suspend", {}), ("platform.resume", {}), ("platform.delete", {})]
    for elid in ("101", new_id):
        for func, params in writes:
            refused = call(emulator, func, elid=elid, **params)
            assert error_of(refused) == ("value", "status", "The service is being processed; try again later")
            assert refused.find("error/param[@name='value']").text == elid
    assert balance(emulator) == spent and len(license_of(emulator, 101)["pending"]) == 1
    assert call(emulator, "platform.edit", elid="101").find("error") is None  # reads are served
    assert error_of(call(emulator, "platform.suspend", elid="103")) is None  # a license at rest is not refused
    russian = call(emulator, "platform.delete", elid="101", lang="ru")
    assert error_of(russian)[2] == "Услуга обрабатывается; повторите попытку позже"
    assert all(entry["write"] for entry in emulator.log_entries() if entry["func"] != "platform" and entry["params"].get("sok"))


def test_prolong_answer_ok_is_a_bare_ok(emulator):
    emulator.configure(prolong_answer="ok")
    answer = post(emulator, "service.prolong", elid="101", period="1", sok="ok").content
    assert answer == b'<?xml version="1.0" encoding="UTF-8"?>\n<doc func="service.prolong" lang="en"><ok /></doc>'
    assert license_of(emulator, 101)["expiredate"] == "2027-01-01"


def test_pending_changes_are_saved_in_the_state_file(emulator_factory, tmp_path):
    state_file = tmp_path / "state.json"
    emu = emulator_factory(state_file=str(state_file))
    emu.configure(processing_delay_requests={"platform.edit": 2})
    call(emu, "platform.edit", elid="101", sok="ok", addon_55165="4")
    saved = next(lic for lic in json.loads(state_file.read_text())["licenses"] if lic["id"] == 101)
    assert saved["pending"] == [{"func": "platform.edit", "due": None, "requests_left": 2, "changes": {"addons": {"55164": 50, "55165": 4}}}]
    emu.stop()
    again = emulator_factory(state_file=str(state_file))
    assert call(again, "platform.edit", elid="101").findtext("status") == "5"
    assert call(again, "platform.edit", elid="101").findtext("status") == "5"
    assert call(again, "platform.edit", elid="101").findtext("addon_55165") == "4"
    assert next(lic for lic in json.loads(state_file.read_text())["licenses"] if lic["id"] == 101)["pending"] == []


# -- 2. saved list filters ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("list_filter, ids, text", [
    ({"comment": "-c"}, ["101", "104"], "comment: -c"),
    ({"status": 2}, ["101", "103"], "status: 2"),
    ({"pricelist": 55161}, ["103"], "pricelist: 55161"),
    ({"status": 2, "comment": "web"}, ["101"], "comment: web; status: 2"),
    ({"comment": "nothing"}, [], "comment: nothing"),
])
def test_list_filter_serves_only_matching_rows(emulator, list_filter, ids, text):
    emulator.configure(list_filter=list_filter)
    listed = call(emulator, "platform")
    assert ids_of(listed) == ids and listed.findtext("p_elems") == str(len(ids))
    assert [child.tag for child in listed][:2] == ["p_elems", "p_filter"] and listed.findtext("p_filter") == text
    paged = call(emulator, "platform", p_cnt="1", p_num="1")
    assert [child.tag for child in paged][:4] == ["p_cnt", "p_num", "p_elems", "p_filter"] and ids_of(paged) == ids[:1]


def test_list_filter_element_empty_without_a_filter(emulator):
    assert call(emulator, "platform").find("p_filter") is None
    emulator.configure(list_filter_element="empty")
    answer = post(emulator, "platform", p_cnt="1").content
    assert b"<p_elems>4</p_elems><p_filter /><elem>" in answer
    emulator.configure(list_filter={"comment": "staging"})
    assert b"<p_filter>comment: staging</p_filter>" in post(emulator, "platform").content
    assert call(emulator, "platform.edit", elid="101").find("p_filter") is None  # only list answers


# -- 3. comments stored otherwise than sent -----------------------------------------------------------------------

@pytest.mark.parametrize("config, sent, stored", [
    ({"comment_max_length": 5}, "  abcdefgh\r\n", "abcde"),
    ({"comment_max_length": 5}, "abc", "abc"),
    ({"comment_storage": "html_escaped"}, "a&b <c> \"d\" 'e'", "a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#39;"),
    ({"comment_storage": "folded"}, "Web  Cluster\n  EU\u00a0x", "web cluster eu x"),
    ({"comment_storage": "html_escaped", "comment_max_length": 3}, "a&bcd", "a&amp;b"),
])
def test_comment_storage(emulator, config, sent, stored):
    emulator.configure(**config)
    new_id = order(emulator, comment=sent).findtext("id")
    assert call(emulator, "platform.edit", elid=new_id).findtext("comment") == stored
    assert row(emulator, new_id).findtext("comment") == stored
    call(emulator, "platform.edit", elid="101", sok="ok", comment=sent)
    assert license_of(emulator, 101)["comment"] == stored


def test_an_escaped_comment_travels_escaped_again_on_the_wire(emulator):
    emulator.configure(comment_storage="html_escaped")
    call(emulator, "platform.edit", elid="101", sok="ok", comment="a&b")
    assert b"<comment>a&amp;amp;b</comment>" in post(emulator, "platform.edit", elid="101").content


# -- 4. suspension reasons ----------------------------------------------------------------------------------------

def _reasons_seed(emulator):
    seed = json.loads(json.dumps(emulator.seed))
    extra = [(201, 3, "2026-11-01", "expired"), (202, 3, "2027-01-01", "employee"), (203, 3, "2027-01-01", "abuse"), (204, 1, "2027-01-01", None)]
    for license_id, status, expiry, reason in extra:
        seed["licenses"].append({"id": license_id, "user": "demo", "pricelist": 55200, "period": 1, "status": status,
                                 "createdate": "2026-10-01", "expiredate": expiry, "suspend_reason": reason})
    return seed


def test_orig_named_names_the_resting_states(emulator_factory, emulator):
    emu = emulator_factory(seed=_reasons_seed(emulator))
    emu.configure(status_form="orig_named")
    origs = dict((elem.findtext("id"), elem.find("item_status").get("orig")) for elem in call(emu, "platform").findall("elem"))
    assert origs == {"101": "2", "102": "3_usersuspend", "103": "2", "104": "4", "201": "3_autosuspend", "202": "3_employeesuspend",
                     "203": "3_abusesuspend", "204": "1"}
    assert cells(call(emu, "platform.edit", elid="203"), *STATUS_CELLS) == [("item_status", "Suspended", {"orig": "3_abusesuspend"})]


@pytest.mark.parametrize("reason", ["employee", "abuse"])
def test_a_provider_suspension_cannot_be_resumed_and_stays_after_renewal(emulator, reason):
    assert emulator.suspend_by_provider(101, reason)["suspend_reason"] == reason
    refused = call(emulator, "platform.resume", elid="101")
    assert error_of(refused) == ("value", "status", "The service was suspended by the provider; contact support")
    assert refused.find("error/param[@name='value']").text == "101"
    assert call(emulator, "service.prolong", elid="101", period="1", sok="ok").findtext("doc/newexpiredate") == "2026-12-27"
    lic = license_of(emulator, 101)
    assert (lic["status"], lic["suspend_reason"], lic["expiredate"], balance(emulator)) == (3, reason, "2026-12-27", "470.00")
    assert error_of(call(emulator, "platform.resume", elid="101"))[:2] == ("value", "status")


def test_provider_suspension_through_the_admin_api(emulator):
    status, answer = admin(emulator, "POST", "suspend", {"license": 103, "reason": "employee"})
    assert status == 200 and (answer["license"]["status"], answer["license"]["suspend_reason"]) == (3, "employee")
    assert admin(emulator, "POST", "suspend", {"license": 103, "reason": "user"})[0] == 400
    assert admin(emulator, "POST", "suspend", {"license": 999})[0] == 400
    assert admin(emulator, "POST", "suspend", {"license": 104})[0] == 400  # deleted
    assert admin(emulator, "POST", "suspend", {})[0] == 400


def test_an_owner_suspended_license_that_expired_renews_from_today_then_resumes(emulator):
    emulator.set_today("2027-01-05")  # 102 (suspended by its owner) expired on 2027-01-01
    assert error_of(call(emulator, "platform.resume", elid="102"))[:2] == ("value", "elid")
    before = balance(emulator)
    assert call(emulator, "service.prolong", elid="102", period="1", sok="ok").findtext("doc/newexpiredate") == "2027-02-05"
    assert (license_of(emulator, 102)["status"], license_of(emulator, 102)["suspend_reason"]) == (3, "user")
    assert float(before) - float(balance(emulator)) == 16.00
    assert error_of(call(emulator, "platform.resume", elid="102")) is None and license_of(emulator, 102)["status"] == 2


def test_a_seed_suspend_reason_is_checked(emulator_factory, emulator):
    seed = json.loads(json.dumps(emulator.seed))
    seed["licenses"][1]["suspend_reason"] = "holiday"
    with pytest.raises(ValueError):
        emulator_factory(seed=seed)


# -- 5. expiry forms ----------------------------------------------------------------------------------------------

def test_expiry_form_real_and_text(emulator):
    emulator.configure(expiry_form="real")
    listed = row(emulator, 101)
    assert [child.tag for child in listed][3:6] == ["createdate", "expiredate", "real_expiredate"]
    assert (listed.findtext("expiredate"), listed.findtext("real_expiredate")) == ("Daily charge", "2026-12-01")
    one = call(emulator, "platform.edit", elid="101", lang="ru")
    assert (one.findtext("expiredate"), one.findtext("real_expiredate")) == ("Ежедневное списание", "2026-12-01")
    assert call(emulator, "service.prolong", elid="101").findtext("expiredate") == "2026-12-01"  # the prolong form: a date
    emulator.configure(expiry_form="text")
    assert (row(emulator, 101).findtext("expiredate"), row(emulator, 101).find("real_expiredate")) == ("Daily charge", None)
    assert call(emulator, "platform.edit", elid="101").find("real_expiredate") is None


# -- 6. error HTTP statuses and blocked addresses -----------------------------------------------------------------

def test_error_http_status(emulator):
    plain = post(emulator, "platform.edit", elid="999").content
    emulator.configure(error_http_status=500)
    answer = post(emulator, "platform.edit", elid="999")
    assert (answer.status_code, answer.content, answer.headers["Content-Type"]) == (500, plain, "text/xml; charset=UTF-8")
    assert post(emulator, "platform.edit", elid="101").status_code == 200
    assert post(emulator, "platform", authinfo="demo:wrong").status_code == 500
    assert [entry["status"] for entry in emulator.log_entries()] == [200, 500, 200, 500]


def test_whitelist_error_badip(emulator):
    emulator.configure(authinfo_whitelist=["10.0.0.0/8"], whitelist_error="badip", error_http_status=500)
    answer = post(emulator, "platform")
    assert answer.status_code == 403
    doc = ET.fromstring(answer.content)
    assert error_of(doc) == ("auth", "badip", "Access from this IP denied")
    assert doc.find("error/param[@name='value']").text == "127.0.0.1"
    assert error_of(ET.fromstring(post(emulator, "platform", lang="ru").content))[2] == "Доступ с этого IP-адреса запрещён"
    assert emulator.log_entries()[0]["status"] == 403


# -- 7. redirects -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_answers_and_executes_nothing(emulator, status):
    emulator.configure(redirect={"status": status, "location": "https://eu.ispmanager.com/billmgr"})
    answer = post(emulator, "platform.suspend", elid="101")
    assert (answer.status_code, answer.headers["Location"]) == (status, "https://eu.ispmanager.com/billmgr")
    assert answer.headers["Content-Type"].startswith("text/html") and str(status) in answer.text
    assert requests.get(emulator.url, params={"func": "platform"}, timeout=5, allow_redirects=False).status_code == status
    assert license_of(emulator, 101)["status"] == 2
    entries = emulator.log_entries()
    assert [(entry["status"], entry["write"], entry["user"], entry["bytes"]) for entry in entries] == [
        (status, True, None, len(answer.content)), (status, False, None, len(answer.content))]


# -- 8. cart answers ----------------------------------------------------------------------------------------------

def test_cart_answer_billorder(emulator):
    emulator.configure(cart_answer="billorder")
    cart_order = {**ORDER, "skipbasket": "off"}
    answer = post(emulator, "platform.order.param", **cart_order).content
    assert answer == (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                      b'<doc func="platform.order.param" lang="en"><ok>func=order</ok><billorder>5000</billorder></doc>')
    paid = order(emulator)
    assert (paid.findtext("id"), paid.findtext("billorder.id")) == ("1000", "5001")


def test_cart_item_is_an_unpaid_license_in_status_1(emulator):
    emulator.configure(cart_item=True)
    answer = order(emulator, skipbasket="off", comment="in-the-cart")
    assert answer.find("id") is None and answer.findtext("billorder.id") == "5000"
    assert balance(emulator) == "500.00" and emulator.snapshot()["orders"][0]["license"] == 1000
    listed = row(emulator, 1000)
    assert cells(listed, "expiredate", "status", "item_status", "comment") == [
        ("expiredate", None, {}), ("status", "1", {}), ("item_status", "Ordered", {}), ("comment", "in-the-cart", {})]
    one = call(emulator, "platform.edit", elid="1000")
    assert (one.findtext("status"), one.find("expiredate").text, one.findtext("comment")) == ("1", None, "in-the-cart")
    for func, params in (("service.prolong", {"period": "1", "sok": "ok"}), ("platform.suspend", {}), ("platform.resume", {})):
        assert error_of(call(emulator, func, elid="1000", **params)) == ("value", "elid", "License 1000 is not paid yet")
    assert call(emulator, "platform.edit", elid="1000", sok="ok", addon_55165="9").find("ok") is not None
    emulator.advance_days(60)
    assert license_of(emulator, 1000)["status"] == 1
    assert [charge for charge in emulator.snapshot()["charges"] if charge["license"] == 1000] == []
    assert call(emulator, "platform.delete", elid="1000").find("ok") is not None


def test_a_cart_item_survives_the_state_file(emulator_factory, tmp_path):
    state_file = tmp_path / "state.json"
    emu = emulator_factory(state_file=str(state_file), seed=dict(emulator_factory().seed, config={"cart_item": True}))
    order(emu, skipbasket="off")
    emu.stop()
    again = emulator_factory(state_file=str(state_file))
    assert (license_of(again, 1000)["status"], license_of(again, 1000)["expiredate"]) == (1, "")


# -- 9. autoprolong vs period -------------------------------------------------------------------------------------

def test_autoprolong_must_match_the_period(emulator):
    lite = {"pricelist": "55200", "addon_55165": None, "addon_55164": None}
    assert license_of(emulator, int(order(emulator, period="12", autoprolong="1", **lite).findtext("id")))["autoprolong"] == "1"
    emulator.configure(autoprolong_must_match=True)
    mismatch = order(emulator, period="12", autoprolong="1", **lite)
    assert error_of(mismatch) is None and license_of(emulator, int(mismatch.findtext("id")))["autoprolong"] is None
    assert license_of(emulator, int(order(emulator, period="12", autoprolong="12", **lite).findtext("id")))["autoprolong"] == "12"
    assert license_of(emulator, int(order(emulator, period="1", autoprolong="1", **lite).findtext("id")))["autoprolong"] == "1"
    assert emulator.snapshot()["orders"][1]["autoprolong"] is None
