# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 16: how the role panel_license fails, found by trying it as a new user would.

The role reads the failure records of isp_licenses (entry, options), never their messages: each failed host says what
went wrong for it and which of its variables set the option concerned. Same emulator and helpers as
test_role_panel_license.py.
"""

from __future__ import annotations

import json

import pytest

from test_role_panel_license import (
    NODES, VMS, fact_file, inventory, licenses_by_comment, run_role, seed, seeded_license, stored_id, take_log, writes,
)


@pytest.fixture
def facts_dir(tmp_path):
    """The fact files of the panel hosts, one folder per host (as in test_role_panel_license.py)."""
    path = tmp_path / "facts"
    path.mkdir()
    return path


def test_a_fact_file_that_is_not_json_fails_its_host_with_the_role_s_advice(emulator_factory, tmp_path, facts_dir):
    """It stopped with the raw error of from_json, which names neither the file nor the way out."""
    emulator = emulator_factory(seed=seed())
    empty, cut_short = fact_file(facts_dir, "vm-fra1"), fact_file(facts_dir, "vm-ams1")
    for path, text in ((empty, ""), (cut_short, '{"id": 10')):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    inv = inventory(facts_dir)

    run = run_role(emulator, tmp_path, inv, "corrupt")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1"}, run.describe()
    assert failures["vm-fra1"].startswith("%s on vm-fra1 is empty: it does not hold a license id" % empty)
    assert failures["vm-ams1"].startswith("%s on vm-ams1 is not JSON: it does not hold a license id" % cut_short)
    for host in ("vm-fra1", "vm-ams1"):
        assert ("Remove it from %s and rerun: the license is then found by its comment (%s) again" % (host, host)
                in failures[host])
    # The other panel host goes on.
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"]
    assert stored_id(facts_dir, "dci-fra") == licenses_by_comment(emulator)["dci-fra"]["id"]

    # The advice works: without the files, the licenses are found by their comments (none yet: ordered).
    empty.unlink()
    cut_short.unlink()
    run = run_role(emulator, tmp_path, inv, "recovered", extra_vars={"panel_license_max_orders": 2})
    assert run.rc == 0, run.describe()
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"] * 2
    assert set(licenses_by_comment(emulator)) == {"vm-fra1", "vm-ams1", "dci-fra"}


def test_bad_comments_fail_their_hosts_alone_each_saying_which_variable_to_fix(emulator_factory, tmp_path, facts_dir):
    """The README promises that bad input fails its host and the other panel hosts go on; a comment the module refuses
    is bad input too. Each bad host names its own comment, and the role variable that sets it."""
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir, panel_vars={"vm-fra1": {"panel_license_comment": "fra1  cluster"},
                                           "vm-ams1": {"panel_license_comment": "ams1 "}})

    run = run_role(emulator, tmp_path, inv, "bad-comments")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1"}, run.describe()
    assert failures["vm-fra1"].startswith("licenses[0] (vm-fra1): comment 'fra1  cluster' cannot be used: it holds two "
                                          "spaces in a row")
    assert failures["vm-ams1"].startswith("licenses[1] (vm-ams1): comment 'ams1 ' cannot be used: it ends with whitespace")
    for host, other in (("vm-fra1", "ams1 "), ("vm-ams1", "fra1  cluster")):
        assert failures[host].endswith("(set by: panel_license_comment)"), failures[host]
        assert other not in failures[host]
    assert [(item["name"], item["outcome"]) for item in run.fleet()["results"]] == [
        ("vm-fra1", "failed"), ("vm-ams1", "failed"), ("dci-fra", "changed")]
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"]
    assert set(licenses_by_comment(emulator)) == {"dci-fra"}
    assert "changed: ordered" in run.summary("dci-fra")


def test_fleet_wide_settings_are_compared_as_values_not_as_types(emulator_factory, tmp_path, facts_dir):
    """A limit written "3" in one place and 3 in another is the same limit: it failed every host of the batch."""
    emulator = emulator_factory(seed=seed())
    inv = inventory(facts_dir, panel_vars={
        "vm-fra1": {"panel_license_max_orders": "3", "panel_license_wait": "yes", "panel_license_wait_timeout": "300"},
        "vm-ams1": {"panel_license_max_orders": 3, "panel_license_max_renewals": "12"},
        "dci-fra": {"panel_license_max_orders": 3, "panel_license_wait": True},
    })
    run = run_role(emulator, tmp_path, inv, "same-values")
    assert run.rc == 0, run.describe()
    assert sorted(func for func, _params in writes(take_log(emulator))) == ["platform.order.param"] * 3

    # Values that differ still fail every host before any request, and say which host has which.
    inv["all"]["children"]["panels"]["hosts"]["vm-ams1"]["panel_license_max_orders"] = "4"
    run = run_role(emulator, tmp_path, inv, "different-values")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1", "dci-fra"}
    assert "panel_license_max_orders is 3 on vm-fra1, dci-fra; 4 on vm-ams1." in failures["vm-fra1"]
    assert take_log(emulator) == []


def test_a_refused_renewal_names_its_variables_and_gives_no_advice_about_the_id(emulator_factory, tmp_path, facts_dir):
    """The id of vm-ams1 is stored and right; its renewal target needs more periods than allowed. Only vm-ams1's message
    names the variables that set the options concerned, and no host is told to remove its fact file."""
    emulator = emulator_factory(seed=seed(seeded_license(500, "vm-fra1", addons={NODES: 3, VMS: 120}),
                                          seeded_license(700, "vm-ams1", addons={NODES: 2, VMS: 35},
                                                         expiredate="2026-12-02")))
    for host, license_id in (("vm-fra1", 500), ("vm-ams1", 700)):
        fact_file(facts_dir, host).parent.mkdir()
        fact_file(facts_dir, host).write_text(json.dumps({"id": license_id, "product": "vmmanager6", "comment": host}),
                                              encoding="utf-8")
    inv = inventory(facts_dir, panels=("vm-fra1", "vm-ams1"),
                    panel_vars={"vm-ams1": {"panel_license_renew_min_days_left": 100,
                                            "panel_license_renew_max_periods": 1}})

    run = run_role(emulator, tmp_path, inv, "too-many-periods")
    assert run.rc != 0
    failures = run.failures()
    assert set(failures) == {"vm-fra1", "vm-ams1"}, run.describe()
    entry = run.entry("vm-ams1")
    assert (entry["outcome"], entry["failure"]["options"]) == ("planned", ["renew.max_periods", "renew.period"])
    for message in failures.values():
        assert message.startswith("1 of 2 licenses cannot be planned; nothing was written: licenses[1] (vm-ams1): "
                                  "reaching the target needs 4 renewals of 1 month(s)")
        assert "more than max_periods=1; nothing was bought" in message
        assert "The license id" not in message and "remove " not in message
    assert failures["vm-ams1"].endswith("(set by: panel_license_renew_max_periods, panel_license_renew_period)")
    assert "set by" not in failures["vm-fra1"]
    assert writes(take_log(emulator)) == []


def test_a_license_that_may_have_been_bought_tells_its_host_what_to_do_before_rerunning(
        emulator_factory, tmp_path, facts_dir):
    """The advice of the failure record of the host's own license (here: the answer to its order was lost) was left
    out of the host's message."""
    emulator = emulator_factory(seed=seed())
    emulator.add_fault(func="platform.order.param", kind="reset", skip=2)  # skip: the 2 order forms, read for prices
    run = run_role(emulator, tmp_path, inventory(facts_dir, panels=("vm-fra1", "vm-ams1")), "lost",
                   extra_vars={"panel_license_max_orders": 2}, env={"BILLMGR_CONFIRM_TIMEOUT": "1"})
    assert run.rc != 0
    failures = run.failures()
    advice = run.entry("vm-fra1")["failure"]["advice"]
    assert advice and "before rerunning" in advice
    assert failures["vm-fra1"].endswith("(calls sent: platform.order.param: unknown) %s" % advice), failures["vm-fra1"]
    assert [func for func, _params in writes(take_log(emulator))] == ["platform.order.param"]
