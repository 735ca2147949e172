# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 14: against a server that works in its own time and keeps state of its own, no run pays twice.

Every write of the modules, the bulk module and the role is followed by an immediate rerun, against an emulator that
applies renewals, suspends, resumes and deletes later than it answers them (a delay counted in requests, or in
seconds; with a processing status meanwhile, with only ``special_status``, or with no sign at all). The proof is the
emulator's charges: exactly what one run should spend.

The delays are short here (``make test``). ``BILLMGR_SERVER_DELAYS`` (seconds, comma-separated) adds the same lives
with longer ones: ``make integration-server-time`` runs them with 5 and 10 s.
"""

from __future__ import annotations

import os

import pytest

from playbook_runner import run_playbook
# facts_dir is a fixture: pytest finds it by its name.
from test_role_panel_license import (  # pylint: disable=unused-import
    NODES, VMS, facts_dir, inventory, licenses_by_comment, run_role, seed as role_seed, seeded_license, take_log, writes,
)

TODAY = "2026-11-27"
DELAYED = ("service.prolong", "platform.suspend", "platform.resume", "platform.delete", "platform.edit")


def delayed_by_requests(count, **more):
    return dict({"processing_delay_requests": dict((func, count) for func in DELAYED)}, **more)


def delayed_by_seconds(seconds, **more):
    return dict({"processing_delay": dict((func, seconds) for func in DELAYED)}, **more)


VARIANTS = {
    "requests-status": delayed_by_requests(2),
    "requests-no-sign": delayed_by_requests(2, processing_signs="none"),
    "requests-refuse-in-flux": delayed_by_requests(3, refuse_in_flux=True, prolong_answer="ok"),
    "seconds-orig-named": delayed_by_seconds(1.5, status_form="orig_named", prolong_answer="ok"),
    "seconds-special-status": delayed_by_seconds(1.0, processing_signs="special_status", special_status_cell=True),
    "seconds-no-sign": delayed_by_seconds(1.0, processing_signs="none"),
}
for _seconds in [float(text) for text in os.environ.get("BILLMGR_SERVER_DELAYS", "").split(",") if text.strip()]:
    VARIANTS["seconds-%g-status" % _seconds] = delayed_by_seconds(_seconds, status_form="orig_named")
    VARIANTS["seconds-%g-no-sign" % _seconds] = delayed_by_seconds(_seconds, processing_signs="none")


def seed(config, licenses=()):
    return {"today": TODAY, "users": [{"name": "demo", "password": "demo-secret", "balance": "500.00"}],
            "licenses": list(licenses), "next_id": 1000, "config": config}


def task_statuses(result):
    return [(record["task"], record["status"]) for record in result.tasks]


LIFE = """---
- hosts: localhost
  gather_facts: false
  vars:
    license: {product: vmmanager6, comment: timed}
  tasks:
    - name: order
      ispsystem.billmanager.isp_license: "{{ license | combine({'addons': {'nodes': 2}}) }}"
    - name: order again
      ispsystem.billmanager.isp_license: "{{ license | combine({'addons': {'nodes': 2}}) }}"
    - name: renew
      ispsystem.billmanager.isp_license_prolong: "{{ license | combine({'min_days_left': 45}) }}"
    - name: renew again
      ispsystem.billmanager.isp_license_prolong: "{{ license | combine({'min_days_left': 45}) }}"
    - name: resize
      ispsystem.billmanager.isp_license: "{{ license | combine({'addons': {'nodes': 3}}) }}"
    - name: resize again
      ispsystem.billmanager.isp_license: "{{ license | combine({'addons': {'nodes': 3}}) }}"
    - name: suspend
      ispsystem.billmanager.isp_license: "{{ license | combine({'state': 'suspended'}) }}"
    - name: suspend again
      ispsystem.billmanager.isp_license: "{{ license | combine({'state': 'suspended'}) }}"
    - name: resume and renew in a fleet
      ispsystem.billmanager.isp_licenses:
        licenses: ["{{ license | combine({'state': 'active', 'renew': {'min_days_left': 75}}) }}"]
    - name: resume and renew in a fleet again
      ispsystem.billmanager.isp_licenses:
        licenses: ["{{ license | combine({'state': 'active', 'renew': {'min_days_left': 75}}) }}"]
    - name: delete
      ispsystem.billmanager.isp_license: "{{ license | combine({'state': 'absent'}) }}"
    - name: delete again
      ispsystem.billmanager.isp_license: "{{ license | combine({'state': 'absent'}) }}"
"""


@pytest.mark.parametrize("variant", sorted(VARIANTS), ids=sorted(VARIANTS))
def test_every_write_applied_later_then_a_rerun_spends_what_one_run_should(variant, emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed(VARIANTS[variant]))
    result = run_playbook(LIFE, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    expected = []
    for task in ("order", "renew", "resize", "suspend", "resume and renew in a fleet", "delete"):
        expected += [(task, "changed"), (task + " again", "ok")]
    assert task_statuses(result) == expected, result.describe()
    state = emulator.snapshot()
    # The order (2026-12-27), one renewal to 2027-01-27 (45 days), the resize, one more renewal to 2027-02-27 (75).
    assert [charge["func"] for charge in state["charges"]] == [
        "platform.order.param", "service.prolong", "platform.edit", "service.prolong"]
    (lic,) = [lic for lic in state["licenses"] if lic["comment"] == "timed"]
    assert (lic["status"], lic["expiredate"], lic["addons"][NODES], lic["pending"]) == (4, "2027-02-27", 3, [])
    sent = [entry["func"] for entry in emulator.log_entries() if entry["write"]]
    assert sent == ["platform.order.param", "service.prolong", "platform.edit", "platform.suspend", "platform.resume",
                    "service.prolong", "platform.delete"]


def test_the_role_against_a_server_that_applies_writes_later(emulator_factory, tmp_path, facts_dir):
    """The role's renewal, suspension, resumption and deletion, each followed by an immediate rerun."""
    license_ = seeded_license(600, "vm-ams1", addons={NODES: 2, VMS: 35}, expiredate="2026-12-02")
    emulator = emulator_factory(seed=dict(role_seed(license_), config=delayed_by_requests(2, status_form="orig_named")))
    inv = inventory(facts_dir, panels=("vm-ams1",))
    for name, state, sent in [("renew", "active", ["service.prolong"]), ("suspend", "suspended", ["platform.suspend"]),
                              ("resume", "active", ["platform.resume"]), ("delete", "absent", ["platform.delete"])]:
        run = run_role(emulator, tmp_path, inv, name, extra_vars={"panel_license_state": state})
        assert run.rc == 0, run.describe()
        assert [func for func, _params in writes(take_log(emulator))] == sent
        run = run_role(emulator, tmp_path, inv, name + "-again", extra_vars={"panel_license_state": state})
        assert run.rc == 0, run.describe()
        assert writes(take_log(emulator)) == [], name
    assert [charge["func"] for charge in emulator.snapshot()["charges"]] == ["service.prolong"]


# -- state of its own: saved filters, comments stored otherwise ---------------------------------------------------

ORDER_ONE = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: "{{ wanted_comment }}"
      ignore_errors: true
    - name: order again
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: "{{ wanted_comment }}"
      ignore_errors: true
    - name: the fleet
      ispsystem.billmanager.isp_licenses:
        licenses: [{product: vmmanager6, comment: "{{ wanted_comment }}"}]
      ignore_errors: true
"""


def results(result):
    return dict((record["task"], (record["status"], record["result"])) for record in result.tasks)


def test_a_saved_filter_hiding_the_license_buys_nothing_and_says_why(emulator_factory, tmp_path):
    hidden = {"id": 101, "user": "demo", "pricelist": 55163, "period": 1, "comment": "web-hidden", "status": 2,
              "createdate": "2026-10-27", "expiredate": "2027-01-27"}
    emulator = emulator_factory(seed=seed({"list_filter": {"comment": "other"}}, [hidden]))
    result = run_playbook(ORDER_ONE, emulator, tmp_path=tmp_path, extra_vars={"wanted_comment": "web-hidden"})
    assert result.rc == 0, result.describe()
    for task, (status, outcome) in results(result).items():
        assert status == "failed", task
        assert "p_filter: 'comment: other'" in outcome["msg"] and "reset its filter" in outcome["msg"], outcome["msg"]
    assert emulator.snapshot()["charges"] == []


STORED_OTHERWISE = {
    "cut": ({"comment_max_length": 32}, "customer-acme-production-cluster-fra-1", "customer-acme-production-cluster",
            "cut at 32 characters"),
    "html-escaped": ({"comment_storage": "html_escaped"}, "R&D <lab>", "R&amp;D &lt;lab&gt;", "HTML unescaping"),
    "folded": ({"comment_storage": "folded"}, "Web-Cluster", "web-cluster", "case and whitespace folding"),
}


@pytest.mark.parametrize("case", sorted(STORED_OTHERWISE))
def test_a_comment_the_server_stores_otherwise_is_bought_once_and_named(case, emulator_factory, tmp_path):
    config, wanted, stored, reason = STORED_OTHERWISE[case]
    emulator = emulator_factory(seed=seed(config))
    result = run_playbook(ORDER_ONE, emulator, tmp_path=tmp_path, extra_vars={"wanted_comment": wanted})
    assert result.rc == 0, result.describe()
    outcome = results(result)
    status, first = outcome["order"]
    assert (status, first["changed"]) == ("failed", True)
    assert "the server stored its comment as %r, not as sent (%r" % (stored, wanted) in first["msg"], first["msg"]
    assert "license_id" in first and "Manage license %s by its id" % first["license_id"] in first["msg"]
    assert "A rerun with this comment refuses to order" in first["msg"]
    for task in ("order again", "the fleet"):
        status, again = outcome[task]
        assert status == "failed" and "nothing was ordered" in again["msg"], again
        assert "license %s carries %r" % (first["license_id"], stored) in again["msg"]
    assert reason in first["msg"]
    assert [charge["func"] for charge in emulator.snapshot()["charges"]] == ["platform.order.param"]


# -- suspension reasons, expiry forms, errors, redirects, cart ----------------------------------------------------

def test_suspension_reasons_named_by_the_server(emulator_factory, tmp_path):
    licenses = [
        {"id": 101, "user": "demo", "pricelist": 55163, "period": 1, "comment": "owner", "status": 3,
         "suspend_reason": "user", "createdate": "2026-09-20", "expiredate": "2026-11-20"},
        {"id": 102, "user": "demo", "pricelist": 55163, "period": 1, "comment": "staff", "status": 3,
         "suspend_reason": "employee", "createdate": "2026-09-20", "expiredate": "2026-11-20"},
    ]
    emulator = emulator_factory(seed=seed({"status_form": "orig_named"}, licenses))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: renew the owner-suspended license alone
      ispsystem.billmanager.isp_license_prolong: {comment: owner, product: vmmanager6, min_days_left: 14}
      ignore_errors: true
    - name: renew and resume it
      ispsystem.billmanager.isp_licenses:
        licenses: [{comment: owner, product: vmmanager6, state: active, renew: {min_days_left: 14}}]
    - name: again
      ispsystem.billmanager.isp_licenses:
        licenses: [{comment: owner, product: vmmanager6, state: active, renew: {min_days_left: 14}}]
    - name: the staff-suspended one
      ispsystem.billmanager.isp_licenses:
        licenses: [{comment: staff, product: vmmanager6, state: active, renew: {min_days_left: 14}}]
      ignore_errors: true
    - name: what the server says
      ispsystem.billmanager.isp_license_info:
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    outcome = results(result)
    assert outcome["renew the owner-suspended license alone"][0] == "failed"
    assert "would not reactivate it" in outcome["renew the owner-suspended license alone"][1]["msg"]
    assert outcome["renew and resume it"][0] == "changed"
    assert outcome["again"][0] == "ok"
    assert outcome["the staff-suspended one"][0] == "failed"
    assert "contact the provider" in outcome["the staff-suspended one"][1]["msg"]
    api = outcome["what the server says"][1]["api"]
    assert api["suspend_reasons"] == {"employeesuspend": 1}
    owner = licenses_by_comment(emulator)["owner"]
    assert (owner["status"], owner["expiredate"]) == (2, "2026-12-27")
    assert [(charge["func"], charge["license"]) for charge in emulator.snapshot()["charges"]] == [("service.prolong", 101)]


def test_isp_license_info_reports_licenses_in_progress(emulator_factory, tmp_path):
    licenses = [{"id": 101, "user": "demo", "pricelist": 55163, "period": 1, "comment": "busy", "status": 2,
                 "createdate": "2026-10-27", "expiredate": "2026-12-01"}]
    emulator = emulator_factory(seed=seed(dict(delayed_by_requests(50), status_form="orig_named"), licenses))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: renew without waiting
      ispsystem.billmanager.isp_license_prolong: {id: 101, min_days_left: 14, wait: false}
    - name: renew again without waiting
      ispsystem.billmanager.isp_license_prolong: {id: 101, min_days_left: 14, wait: false}
      ignore_errors: true
    - name: info
      ispsystem.billmanager.isp_license_info:
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    outcome = results(result)
    assert outcome["renew without waiting"][0] == "changed"
    assert outcome["renew again without waiting"][0] == "failed"
    assert "shows a change in progress (prolong" in outcome["renew again without waiting"][1]["msg"]
    info = outcome["info"][1]
    assert info["api"]["in_progress"] == {"prolong": 1}
    assert info["licenses"][0]["in_progress"] == "prolong"
    assert [charge["func"] for charge in emulator.snapshot()["charges"]] == ["service.prolong"]


@pytest.mark.parametrize("form", ["real", "text"])
def test_an_expiry_written_as_a_text(form, emulator_factory, tmp_path):
    licenses = [{"id": 101, "user": "demo", "pricelist": 55163, "period": 1, "comment": "daily", "status": 2,
                 "createdate": "2026-10-27", "expiredate": "2026-12-01"}]
    emulator = emulator_factory(seed=seed({"expiry_form": form}, licenses))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: renew
      ispsystem.billmanager.isp_license_prolong: {id: 101, min_days_left: 14}
      ignore_errors: true
    - name: renew again
      ispsystem.billmanager.isp_license_prolong: {id: 101, min_days_left: 14}
      ignore_errors: true
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    outcome = results(result)
    charges = [charge["func"] for charge in emulator.snapshot()["charges"]]
    if form == "real":
        assert [outcome["renew"][0], outcome["renew again"][0]] == ["changed", "ok"], result.describe()
        assert charges == ["service.prolong"]
    else:
        assert [outcome["renew"][0], outcome["renew again"][0]] == ["failed", "failed"]
        assert "shows an expiry that is not a date ('Daily charge')" in outcome["renew"][1]["msg"]
        assert charges == []


def test_insufficient_funds_sent_with_http_500_is_a_refusal_not_a_lost_answer(emulator_factory, tmp_path):
    licenses = [{"id": 101, "user": "demo", "pricelist": 55163, "period": 1, "comment": "poor", "status": 2,
                 "createdate": "2026-10-27", "expiredate": "2026-12-01"}]
    emulator = emulator_factory(seed=dict(seed({"error_http_status": 500}, licenses),
                                          users=[{"name": "demo", "password": "demo-secret", "balance": "1.00"}]))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: renew
      ispsystem.billmanager.isp_license_prolong: {id: 101, min_days_left: 14}
      ignore_errors: true
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    status, outcome = results(result)["renew"]
    assert status == "failed" and "money error" in outcome["msg"], outcome
    assert outcome["calls_sent"][0]["outcome"] == "refused" and not outcome.get("changed"), outcome
    assert "outcome unknown" not in outcome["msg"]


def test_a_redirect_is_named_and_never_followed(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed({"redirect": {"status": 301, "location": "https://api.ispmanager.com/billmgr"}}))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: info
      ispsystem.billmanager.isp_license_info:
      ignore_errors: true
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    status, outcome = results(result)["info"]
    assert status == "failed"
    assert "redirects to https://api.ispmanager.com/billmgr" in outcome["msg"]
    assert outcome["api"]["redirected_to"] == "https://api.ispmanager.com/billmgr"
    assert [entry["status"] for entry in emulator.log_entries()] == [301]


def test_a_cart_order_answered_with_billorder_leaves_an_item_the_rerun_finds(emulator_factory, tmp_path):
    emulator = emulator_factory(seed=seed({"cart_answer": "billorder", "cart_item": True}))
    playbook = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order into the cart
      ispsystem.billmanager.isp_license: {product: vmmanager6, comment: in-cart, skip_basket: false}
      register: carted
    - name: again
      ispsystem.billmanager.isp_license: {product: vmmanager6, comment: in-cart, skip_basket: false}
"""
    result = run_playbook(playbook, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    outcome = results(result)
    assert outcome["order into the cart"][0] == "changed" and outcome["order into the cart"][1]["order_id"] == 5000
    assert outcome["again"][0] == "ok" and outcome["again"][1]["license"]["status"] == "ordered"
    assert emulator.snapshot()["charges"] == []
