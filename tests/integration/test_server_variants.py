# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The same life of a license, played against every plausible variant of the real server (emulator switches).

Where a variant's meaning is certain the collection works as against the default emulator: one order and one
charge, a no-change rerun, a resize found on the last page, suspend and resume, "not found" for an unknown id.
Where it is not (a server that ignores p_num), every decision that could spend money refuses, and nothing is bought.
The proof is the emulator's state and request log, not only the task results.
"""

from __future__ import annotations

import pytest

from playbook_runner import run_playbook

TODAY = "2026-11-27"
ON_LAST_PAGE = "page-3"


def seed(config):
    """Seven licenses (one without a comment); at two rows a page, the one with comment page-3 is on page 4."""
    licenses = [{"id": 100 + number, "user": "demo", "pricelist": 55163, "period": 1, "comment": "vm-%d" % number,
                 "addons": {"55165": 1, "55164": 10}, "status": 2, "createdate": "2026-10-27", "expiredate": "2027-01-27"}
                for number in range(1, 7)]
    licenses[2]["comment"] = ""  # no comment cell in the list rows
    licenses[-1]["comment"] = ON_LAST_PAGE
    licenses.append({"id": 120, "user": "demo", "pricelist": 55161, "period": 12, "comment": "dc-1", "addons": {"55171": 5},
                     "status": 2, "createdate": "2026-01-01", "expiredate": "2027-01-01"})
    return {"today": TODAY, "users": [{"name": "demo", "password": "demo-secret", "balance": "500.00"}],
            "licenses": licenses, "next_id": 1000, "config": config}


LIFE = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: first contact
      ispsystem.billmanager.isp_license_info:
      register: first

    - name: order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: variant-new
        addons: {nodes: 2}

    - name: order again
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: variant-new
        addons: {nodes: 2}

    - name: resize the license on the last page
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: page-3
        addons: {nodes: 4}
      register: resized

    - name: suspend
      ispsystem.billmanager.isp_license:
        id: "{{ resized.license.id }}"
        state: suspended

    - name: resume
      ispsystem.billmanager.isp_license:
        id: "{{ resized.license.id }}"
        state: active

    - name: info on an unknown id
      ispsystem.billmanager.isp_license_info:
        id: 999

    - name: isp_license on an unknown id
      ispsystem.billmanager.isp_license:
        id: 999
        state: active
      ignore_errors: true

    - name: the fleet as it should be now
      ispsystem.billmanager.isp_licenses:
        licenses:
          - {comment: variant-new, product: vmmanager6, addons: {nodes: 2}}
          - {comment: page-3, product: vmmanager6, addons: {nodes: 4}, state: active}
          - {comment: dc-1, product: dcimanager6}
"""

VARIANTS = {
    "default": {},
    "small-pages": {"list_page_max": 2},
    "no-totals": {"list_totals": False},
    "small-pages-no-totals": {"list_page_max": 2, "list_totals": False},
    "no-comment-cells": {"list_comment": False},
    "status-orig": {"status_form": "orig"},
    "status-item-code": {"status_form": "item_status_code"},
    "status-text-ru-account": {"status_form": "text", "account_lang": "ru"},
    "status-orig-ru-account": {"status_form": "orig", "account_lang": "ru"},
    "not-found-missed-item": {"not_found_error": "missed_item"},
    "not-found-missed-id": {"not_found_error": "missed_id"},
    "not-found-access": {"not_found_error": "access_elid"},
    "addons-in-rows": {"list_addons": True},
    "all-at-once": {"list_page_max": 3, "list_totals": False, "list_comment": False, "status_form": "orig",
                    "account_lang": "ru", "not_found_error": "missed_item"},
}


def status_of(result, task):
    records = [record for record in result.tasks if record["task"] == task]
    assert len(records) == 1, result.describe()
    return records[0]["status"], records[0]["result"]


@pytest.mark.parametrize("variant", sorted(VARIANTS), ids=sorted(VARIANTS))
def test_a_license_life_against_a_server_variant(variant, emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed(VARIANTS[variant]))
    result = run_playbook(LIFE, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    expected = [("first contact", "ok"), ("order", "changed"), ("order again", "ok"),
                ("resize the license on the last page", "changed"), ("suspend", "changed"), ("resume", "changed"),
                ("info on an unknown id", "ok"), ("isp_license on an unknown id", "failed"),
                ("the fleet as it should be now", "ok")]
    assert [(record["task"], record["status"]) for record in result.tasks] == expected, result.describe()
    state = emulator.snapshot()
    new = [lic for lic in state["licenses"] if lic["comment"] == "variant-new"]
    assert len(new) == 1 and new[0]["addons"]["55165"] == 2
    resized = next(lic for lic in state["licenses"] if lic["comment"] == ON_LAST_PAGE)
    assert (resized["status"], resized["addons"]["55165"]) == (2, 4)
    assert [charge["func"] for charge in state["charges"]] == ["platform.order.param", "platform.edit"]
    _status, info = status_of(result, "info on an unknown id")
    assert info["licenses"] == []
    _status, refused = status_of(result, "isp_license on an unknown id")
    assert "license id 999 was not found" in refused["msg"]
    _status, first = status_of(result, "first contact")
    assert len(first["licenses"]) == 7
    assert first["api"]["list"]["rows_read"] == 7
    _status, fleet = status_of(result, "the fleet as it should be now")
    assert fleet["summary"]["unchanged"] == 3


def test_first_contact_describes_what_the_server_does(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed(VARIANTS["all-at-once"]))
    result = run_playbook(LIFE.split("    - name: order\n", maxsplit=1)[0], emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    api = status_of(result, "first contact")[1]["api"]
    assert api["list"] == {"page_size_asked": 500, "page_size_served": 3, "total_rows": None, "rows_read": 7,
                           "list_requests": 4, "filter_element": False, "saved_filter": None}
    assert (api["in_progress"], api["suspend_reasons"], api["redirected_to"]) == ({}, {}, None)
    assert api["rows"]["with_comment"] == 0
    assert api["rows"]["status_forms"] == {"orig": 7}
    assert api["server_date"] == TODAY
    assert api["language_answered"] == "en"  # the account speaks Russian; lang=en is sent on every call
    notes = " | ".join(api["notes"])
    assert "no total (p_elems)" in notes
    assert "asked for 500 rows a page, the server served 3" in notes
    assert "7 of 7 rows carry no comment cell" in notes


def test_a_server_that_ignores_p_num_never_gets_an_order(emulator_factory, tmp_path):
    """A broken server: every page is page 1. Nothing that depends on the whole list may decide, least of all an order."""
    emulator = emulator_factory(seed=seed({"list_page_max": 2, "list_ignores_p_num": True}))
    result = run_playbook(LIFE, emulator, tmp_path=tmp_path)
    assert result.rc != 0
    status, task = status_of(result, "first contact")
    assert status == "failed"
    assert "came twice while reading the list" in task["msg"]
    assert not [entry for entry in emulator.log_entries() if entry["write"]]


ORDER_ONLY = LIFE.split("    - name: order again\n", maxsplit=1)[0].replace("      register: first\n", "      register: first\n      when: false\n")


def test_a_candidate_whose_status_is_not_understood_blocks_the_order(emulator_factory, tmp_path, monkeypatch):
    """A license carrying the comment whose status is a text no public source shows: is it live? Refuse to order."""
    from billmgr_emulator import model  # noqa: E402  (tests/conftest.py puts the emulator on sys.path)

    monkeypatch.setitem(model.STATUS_NAMES, 2, "Frozen")
    data = seed({"list_comment": False, "status_form": "text"})
    data["licenses"][0]["comment"] = "variant-new"
    emulator = emulator_factory(seed=data)
    result = run_playbook(ORDER_ONLY, emulator, tmp_path=tmp_path)
    status, task = status_of(result, "order")
    assert status == "failed"
    assert "license 101 has a status that is not understood (item_status='Frozen')" in task["msg"]
    assert not [entry for entry in emulator.log_entries() if entry["write"]]


def test_a_write_answered_with_its_form_is_a_failure_not_a_success(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed({}))
    emulator.add_fault(func="platform.suspend", kind="unacknowledged")
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: suspend
      ispsystem.billmanager.isp_license:
        id: 101
        state: suspended
      ignore_errors: true
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    status, task = status_of(result, "suspend")
    assert status == "failed"
    assert "does not acknowledge the write" in task["msg"]
    assert [call["outcome"] for call in task["calls_sent"]] == ["unknown"]
    assert next(lic for lic in emulator.snapshot()["licenses"] if lic["id"] == 101)["status"] == 2


BY_COMMENT = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: the license on the last page
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: "{{ wanted_comment }}"
"""


def test_a_license_on_the_last_of_many_capped_pages_is_found_and_not_bought(emulator_factory, tmp_path):
    """Issue 8 acceptance: a page cap of 50 and over 1,000 licenses; the wanted license is the last row of the last
    page. Before, a short page ended the read, the license was "not found" and a second one was ordered."""
    licenses = [{"id": 10000 + number, "user": "demo", "pricelist": 55163, "period": 1, "comment": "fleet-%04d" % number,
                 "addons": {"55165": 1}, "status": 2, "createdate": "2026-10-27", "expiredate": "2027-01-27"}
                for number in range(1, 1031)]
    account = {"today": TODAY, "users": [{"name": "demo", "password": "demo-secret", "balance": "500.00"}],
               "licenses": licenses, "next_id": 20000, "config": {"list_page_max": 50}}
    emulator = emulator_factory(seed=account)
    result = run_playbook(BY_COMMENT, emulator, tmp_path=tmp_path, extra_vars={"wanted_comment": "fleet-1030"})
    assert result.rc == 0, result.describe()
    status, task = status_of(result, "the license on the last page")
    assert status == "ok", task
    assert task["license"]["id"] == 11030
    pages = [entry["params"]["p_num"] for entry in emulator.log_entries() if entry["func"] == "platform"]
    assert pages == ["%d" % number for number in range(1, 22)]  # 1,030 rows at 50 a page: 21 pages, every one read
    assert emulator.snapshot()["charges"] == []
    assert not [entry for entry in emulator.log_entries() if entry["write"]]


OUTSIDE_THE_CATALOGUE = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order a product outside the catalogue by pricelist
      ispsystem.billmanager.isp_license:
        pricelist: 55200
        comment: lite
    - name: again
      ispsystem.billmanager.isp_license:
        pricelist: 55200
        comment: lite
"""


def test_a_product_outside_the_catalogue_is_ordered_once_and_found_again(emulator, tmp_path):
    """QA: pricelist 55200 (ISPmanager 6 Lite, listed by a name the catalogue does not know) was bought, then the
    task failed ("shows no product this collection knows"), and so did every rerun."""
    result = run_playbook(OUTSIDE_THE_CATALOGUE, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    assert [(record["task"], record["status"]) for record in result.tasks] == [
        ("order a product outside the catalogue by pricelist", "changed"), ("again", "ok")]
    _status, ordered = status_of(result, "again")
    assert ordered["license"]["pricelist"] == 55200
    assert [charge["func"] for charge in emulator.snapshot()["charges"]] == ["platform.order.param"]
