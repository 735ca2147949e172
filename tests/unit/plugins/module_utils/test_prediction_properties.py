# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Properties, checked with hypothesis against the in-process emulator:

- check mode predicts exactly: for any license (status, expiry, addons) and any wanted state, addons and renewal
  target, the real run makes the calls check mode listed, and the license it reads back is the predicted one in
  every field the plan changes; a second run plans nothing;
- a comment the comment rule accepts comes back from the API as it was sent, and is found again.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient
from ansible_collections.ispsystem.billmanager.plugins.module_utils.fleet import Fleet, FleetPlanningError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import comment_problem
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import Account
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import field_value
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import HttpTransport
from ansible_collections.ispsystem.billmanager.tests.unit.property_budget import examples

billmgr_emulator = pytest.importorskip('billmgr_emulator')
from billmgr_emulator.model import State  # noqa: E402  (the emulator comes from tests/conftest.py's sys.path)

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(scope='module')
def emulator():
    emu = billmgr_emulator.Emulator().start()
    yield emu
    emu.stop()


def load(emu, licenses, balance='100000.00'):
    seed = {'today': TODAY.isoformat(), 'users': [{'name': 'demo', 'password': 'demo-secret', 'balance': balance}],
            'licenses': licenses, 'next_id': 1000}
    with emu.lock:
        emu.state = State.from_seed(seed)
        del emu.log[:]


def client_for(emu):
    return BillmgrClient(emu.url, 'demo', 'demo-secret', HttpTransport(), timeout=10)


def fleet_run(emu, licenses, check_mode):
    params = {'licenses': licenses, 'max_orders': None, 'max_renewals': None, 'wait': False, 'wait_timeout': 0,
              'confirm_timeout': 0}
    fleet = Fleet(client_for(emu), params, check_mode=check_mode)
    fleet.plan()
    if not check_mode:
        fleet.apply()
    return fleet


def entry(**options):
    base = {'name': None, 'id': None, 'comment': None, 'product': None, 'pricelist': None, 'addons': None,
            'allow_shrink': True, 'period': '1', 'autoprolong': 'off', 'state': 'present', 'renew': None}
    base.update(options)
    return base


license_states = st.fixed_dictionaries({
    'status': st.sampled_from([2, 3]),
    'expiry_offset': st.integers(min_value=-20, max_value=120),
    'nodes': st.integers(min_value=0, max_value=6),
    'vms': st.integers(min_value=0, max_value=300),
    'period': st.sampled_from([1, 12]),
})
wishes = st.fixed_dictionaries({
    'state': st.sampled_from(['present', 'active', 'suspended', 'absent']),
    'nodes': st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    'vms': st.one_of(st.none(), st.integers(min_value=0, max_value=300)),
    'allow_shrink': st.booleans(),
    'renew': st.one_of(st.none(), st.fixed_dictionaries({
        'min_days_left': st.integers(min_value=0, max_value=100), 'until': st.none(), 'period': st.sampled_from([None, 1, 12]),
        'max_periods': st.just(12)})),
    'rename': st.booleans(),
})


@settings(max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(have=license_states, wants=st.lists(wishes, min_size=1, max_size=3))
def test_property_check_mode_predicts_the_real_run(emulator, have, wants):
    """A random license, then a random sequence of wanted states applied one after the other: at every step check
    mode lists the calls the real run makes and predicts the license it reads back, and the rerun plans nothing."""
    expiry = TODAY + datetime.timedelta(days=have['expiry_offset'])
    assume(not (have['status'] == 2 and expiry <= TODAY))  # the emulator's clock suspends those; not a state it shows
    load(emulator, [{'id': 101, 'user': 'demo', 'pricelist': 55163, 'period': have['period'], 'comment': 'web',
                     'addons': {'55165': have['nodes'], '55164': have['vms']}, 'status': have['status'],
                     'createdate': '2026-01-01', 'expiredate': expiry.isoformat(), 'autoprolong': None}])
    for step, want in enumerate(wants):
        addons = dict((name, want[name]) for name in ('nodes', 'vms') if want[name] is not None) or None
        wanted = [entry(id=101, comment='renamed-%d' % step if want['rename'] else None, addons=addons,
                        state=want['state'], allow_shrink=want['allow_shrink'], renew=want['renew'])]
        with emulator.lock:
            del emulator.log[:]
        try:
            checked = fleet_run(emulator, wanted, check_mode=True)
        except (InvalidOptionError, FleetPlanningError):
            return  # refused before any write (a license that cannot be moved there); the real run refuses the same way
        predicted = checked.planned[0]
        real = fleet_run(emulator, wanted, check_mode=False)
        done = real.planned[0]
        assert done.outcome == 'ok', (step, done.error)
        assert done.plan.as_result() == predicted.plan.as_result(), step
        expected = predicted.predicted()
        for name in predicted.plan.changed_fields():
            assert field_value(done.after, name) == field_value(expected, name), (step, name)
        if predicted.plan:
            assert done.after['days_left'] == expected['days_left'], step
        writes = [item for item in emulator.log_entries() if item['write']]
        assert len(writes) == len(predicted.plan), step
        again = fleet_run(emulator, wanted, check_mode=True)
        assert again.planned[0].plan.as_result() == [], 'step %d: a second run must plan nothing' % step
        if want['state'] == 'absent':
            return  # nothing more can be wanted of a deleted license


comments = st.text(alphabet=st.characters(min_codepoint=9, max_codepoint=0x2fff, exclude_categories=('Cs',)),
                   min_size=1, max_size=40)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=comments)
def test_property_an_accepted_comment_comes_back_as_sent_and_is_found_again(emulator, comment):
    if comment_problem(comment) is not None:
        return  # refused before any request: nothing can go wrong with it
    load(emulator, [])
    ordered = fleet_run(emulator, [entry(comment=comment, product='vmmanager6')], check_mode=False)
    assert ordered.planned[0].outcome == 'ok', ordered.planned[0].error
    assert ordered.planned[0].after['comment'] == comment
    found = Account(client_for(emulator)).with_comment(comment, 55163)
    assert [lic['id'] for lic in found] == [ordered.planned[0].after['id']]
    rerun = fleet_run(emulator, [entry(comment=comment, product='vmmanager6')], check_mode=True)
    assert rerun.planned[0].plan.as_result() == []
    by_id = fleet_run(emulator, [entry(id=ordered.planned[0].after['id'], comment=comment)], check_mode=True)
    assert by_id.planned[0].plan.as_result() == [], 'no rename to the same comment'
