# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""license_state: the addons option, the order form, and the plan for every status and wanted state."""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_state import (
    edit_params, order_params, plan_change, plan_order, resolve_addons,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError

TODAY = datetime.date(2026, 11, 27)
VM = 55163
DCI = 55161
NODES = 55165
VMS = 55164


def lic(status='active', expiredate='2026-12-20', comment='web', addons=None, pricelist=VM, license_id=101):
    codes = {'ordered': 1, 'active': 2, 'suspended': 3, 'deleted': 4, 'processing': 5}
    return {
        'id': license_id, 'product': {VM: 'vmmanager6', DCI: 'dcimanager6'}.get(pricelist), 'pricelist': pricelist,
        'status': status, 'status_code': codes[status], 'comment': comment, 'period': '1',
        'createdate': '2026-10-01', 'expiredate': expiredate, 'days_left': None, 'autoprolong': 'off',
        'addons': {'nodes': 2, 'vms': 50} if addons is None else addons, 'cost': 25.0, 'currency': 'EUR',
        'in_progress': None, 'suspend_reason': None,
    }


def funcs(plan):
    return [call.func for call in plan.calls]


# -- resolve_addons ------------------------------------------------------------------------------------

def test_no_addons():
    assert resolve_addons(None, VM) == {}
    assert resolve_addons({}, VM) == {}


def test_aliases():
    assert resolve_addons({'nodes': 3, 'vms': 200}, VM) == {NODES: 3, VMS: 200}


@pytest.mark.parametrize('addons', [{'55165': 3}, {55165: 3}, {' 55165 ': 3}], ids=['str', 'int', 'spaces'])
def test_numeric_ids(addons):
    assert resolve_addons(addons, VM) == {NODES: 3}


def test_counts_given_as_text_and_zero():
    assert resolve_addons({'nodes': '4', 'vms': 0}, VM) == {NODES: 4, VMS: 0}


def test_unknown_alias_lists_the_known_ones():
    with pytest.raises(InvalidOptionError) as info:
        resolve_addons({'cpus': 4}, VM)
    message = '%s' % info.value
    assert "'cpus' is not an addon of vmmanager6" in message
    assert 'Use an alias (nodes, vms) or a numeric addon id' in message


def test_dcimanager_takes_numeric_ids_only():
    assert resolve_addons({'55171': 20, 55172: 1}, DCI) == {55171: 20, 55172: 1}
    with pytest.raises(InvalidOptionError) as info:
        resolve_addons({'nodes': 2}, DCI)
    assert "'nodes' is not an addon of dcimanager6" in '%s' % info.value
    assert 'none are published' in '%s' % info.value


def test_another_pricelist_takes_numeric_ids_only():
    assert resolve_addons({'777': 1}, 60000) == {777: 1}
    with pytest.raises(InvalidOptionError, match='is not an addon of pricelist 60000'):
        resolve_addons({'vms': 1}, 60000)


@pytest.mark.parametrize('name', ['0', '-5', '', 'abc', '12a'])
def test_invalid_addon_names(name):
    with pytest.raises(InvalidOptionError) as info:
        resolve_addons({name: 1}, VM)
    assert '%r is not an addon of vmmanager6' % name in '%s' % info.value


@pytest.mark.parametrize('count', [-1, '-1', True, False, 'many', 1.5, '2.0', None, [], '1e3'])
def test_invalid_counts(count):
    with pytest.raises(InvalidOptionError) as info:
        resolve_addons({'nodes': count}, VM)
    message = '%s' % info.value
    assert "addons: the count of 'nodes' must be a whole number >= 0" in message
    assert 'got %r' % (count,) in message


def test_alias_and_id_of_one_addon_with_different_counts():
    with pytest.raises(InvalidOptionError, match='addon 55165 is given twice with different counts'):
        resolve_addons({'nodes': 3, '55165': 4}, VM)


def test_alias_and_id_of_one_addon_with_the_same_count():
    assert resolve_addons({'nodes': 3, '55165': 3}, VM) == {NODES: 3}


def test_each_call_names_the_fields_it_changes():
    """verify_applied compares exactly these fields with the license read back."""
    plan = plan_change(lic(status='suspended'), 'active', 'new', {NODES: 5, VMS: 50}, TODAY)
    assert [(call.func, call.changes) for call in plan.calls] == [
        ('platform.resume', ('status',)), ('platform.edit', ('comment', 'addons.nodes'))]
    assert plan_change(lic(), 'suspended', None, {}, TODAY).calls[0].changes == ('status',)
    assert plan_change(lic(), 'absent', None, {}, TODAY).calls[0].changes == ('status',)
    order = plan_order(VM, '1', 'off', 'web', {NODES: 2}, True, TODAY)
    assert order.calls[0].changes == ('pricelist', 'comment', 'addons.nodes')


# -- order_params ------------------------------------------------------------------------------------------

def test_order_params_in_full_and_in_a_stable_order():
    params = order_params(VM, '1', '1', 'web', {NODES: 3, VMS: 200}, True)
    assert params == {
        'clicked_button': 'finish', 'sok': 'ok', 'skipbasket': 'on', 'pricelist': VM, 'period': 1, 'autoprolong': '1',
        'comment': 'web', 'addon_55164': 200, 'addon_55165': 3,
    }
    assert list(params) == ['clicked_button', 'sok', 'skipbasket', 'pricelist', 'period', 'autoprolong', 'comment',
                            'addon_55164', 'addon_55165']


@pytest.mark.parametrize('skip_basket, expected', [(True, 'on'), (False, 'off')])
def test_order_params_skipbasket(skip_basket, expected):
    assert order_params(VM, '1', 'off', 'web', {}, skip_basket)['skipbasket'] == expected


@pytest.mark.parametrize('autoprolong, expected', [('off', 'null'), ('1', '1'), ('12', '12')])
def test_order_params_autoprolong(autoprolong, expected):
    assert order_params(VM, '1', autoprolong, 'web', {}, True)['autoprolong'] == expected


@pytest.mark.parametrize('period, expected', [('1', 1), ('12', 12), ('trial', -100)])
def test_order_params_period(period, expected):
    assert order_params(VM, period, 'off', 'web', {}, True)['period'] == expected


@pytest.mark.parametrize('comment', [None, ''])
def test_order_params_without_comment(comment):
    assert 'comment' not in order_params(VM, '1', 'off', comment, {}, True)


def test_order_params_addons_sorted_by_id():
    params = order_params(DCI, '12', 'off', 'dc', {55172: 1, 55171: 20, 9: 0}, True)
    assert [key for key in params if key.startswith('addon_')] == ['addon_9', 'addon_55171', 'addon_55172']
    assert params['addon_9'] == 0


# -- plan_order -----------------------------------------------------------------------------------------------

def test_plan_order_is_one_money_call():
    plan = plan_order(VM, '1', '1', 'web', {NODES: 3, VMS: 200}, True, TODAY)
    assert len(plan) == 1
    call = plan.calls[0]
    assert call.func == 'platform.order.param'
    assert call.params == order_params(VM, '1', '1', 'web', {NODES: 3, VMS: 200}, True)
    assert call.spends_money is True


def test_plan_order_predicts_the_new_license():
    plan = plan_order(VM, '1', '1', 'web', {NODES: 3, VMS: 200}, True, TODAY)
    assert plan.predict(None) == {
        'id': None, 'product': 'vmmanager6', 'pricelist': VM, 'status': 'active', 'status_code': 2, 'comment': 'web',
        'period': '1', 'createdate': '2026-11-27', 'expiredate': '2026-12-27', 'days_left': 30, 'autoprolong': '1',
        'addons': {'nodes': 3, 'vms': 200}, 'cost': None, 'currency': None,
    }


def test_plan_order_predictions_by_period():
    assert plan_order(VM, '12', 'off', 'web', {}, True, TODAY).predict(None)['expiredate'] == '2027-11-27'
    assert plan_order(VM, '12', 'off', 'web', {}, True, TODAY).predict(None)['days_left'] == 365
    trial = plan_order(VM, 'trial', 'off', 'web', {}, True, TODAY).predict(None)
    assert trial['expiredate'] is None
    assert trial['days_left'] is None
    assert trial['period'] == 'trial'


def test_plan_order_predicts_numeric_addons_by_id_and_none_without_addons():
    assert plan_order(DCI, '1', 'off', 'dc', {55171: 20}, True, TODAY).predict(None)['addons'] == {'55171': 20}
    assert plan_order(VM, '1', 'off', 'dc', {}, True, TODAY).predict(None)['addons'] is None
    assert plan_order(DCI, '1', 'off', 'dc', {}, True, TODAY).predict(None)['product'] == 'dcimanager6'


def test_plan_order_confirm_is_finding_the_license():
    confirm = plan_order(VM, '1', 'off', 'web', {}, True, TODAY).calls[0].confirm
    assert confirm(None) is False
    assert confirm(lic()) is True


def test_plan_order_into_the_cart_predicts_no_license_and_cannot_confirm():
    plan = plan_order(VM, '1', 'off', 'web', {}, False, TODAY)
    assert plan.calls[0].params['skipbasket'] == 'off'
    assert plan.calls[0].spends_money is True
    assert plan.predict(None) is None
    assert plan.calls[0].confirm is None


def test_plan_order_predictions_are_independent():
    plan = plan_order(VM, '1', 'off', 'web', {NODES: 1}, True, TODAY)
    first = plan.predict(None)
    first['status'] = 'deleted'
    assert plan.predict(None)['status'] == 'active'


# -- plan_change: status x state ------------------------------------------------------------------------------

@pytest.mark.parametrize('status, expiredate, state, expected', [
    ('active', '2026-12-20', 'present', []),
    ('active', '2026-12-20', 'active', []),
    ('active', '2026-12-20', 'suspended', ['platform.suspend']),
    ('active', '2026-12-20', 'absent', ['platform.delete']),
    ('suspended', '2026-12-20', 'present', []),
    ('suspended', '2026-12-20', 'active', ['platform.resume']),
    ('suspended', '2026-12-20', 'suspended', []),
    ('suspended', '2026-12-20', 'absent', ['platform.delete']),
    ('suspended', '2026-11-20', 'present', []),
    ('suspended', '2026-11-20', 'suspended', []),
    ('suspended', '2026-11-20', 'absent', ['platform.delete']),
    ('deleted', '2026-07-01', 'absent', []),
    ('ordered', None, 'present', []),
    ('ordered', None, 'active', []),
    ('ordered', None, 'absent', ['platform.delete']),
    ('processing', None, 'present', []),
    ('processing', None, 'active', []),
    ('processing', None, 'absent', ['platform.delete']),
])
def test_plan_change_moves(status, expiredate, state, expected):
    current = lic(status=status, expiredate=expiredate)
    plan = plan_change(current, state, None, {}, TODAY)
    assert funcs(plan) == expected
    for call in plan.calls:
        assert call.params == {'elid': 101}
        assert call.spends_money is False


@pytest.mark.parametrize('state', ['present', 'active', 'suspended'])
def test_a_deleted_license_cannot_come_back(state):
    with pytest.raises(InvalidOptionError) as info:
        plan_change(lic(status='deleted'), state, None, {}, TODAY)
    assert 'license 101 is deleted and cannot be brought back' in '%s' % info.value
    assert 'remove id and set comment' in '%s' % info.value


@pytest.mark.parametrize('status', ['ordered', 'processing'])
def test_a_license_not_active_yet_cannot_be_suspended(status):
    with pytest.raises(InvalidOptionError) as info:
        plan_change(lic(status=status, expiredate=None), 'suspended', None, {}, TODAY)
    assert 'license 101 is still %s and cannot be suspended yet' % status in '%s' % info.value


def test_a_license_that_expires_today_cannot_be_resumed():
    """Regression: the planner allowed a resume on the expiry day, which BILLmanager (and the emulator) refuse."""
    with pytest.raises(InvalidOptionError, match='expired on 2026-11-27'):
        plan_change(lic(status='suspended', expiredate='2026-11-27'), 'active', None, {}, TODAY)


def test_a_license_of_unknown_status_is_not_acted_on():
    current = dict(lic(), status='unknown', status_code=9)
    with pytest.raises(InvalidOptionError, match='status this collection does not know'):
        plan_change(current, 'active', None, {}, TODAY)


def test_an_expired_suspended_license_cannot_be_resumed():
    with pytest.raises(InvalidOptionError) as info:
        plan_change(lic(status='suspended', expiredate='2026-11-20'), 'active', None, {}, TODAY)
    message = '%s' % info.value
    assert 'license 101 expired on 2026-11-20 and is suspended, so it cannot be resumed' in message
    assert 'renews it from today and reactivates it' in message
    assert 'isp_license_prolong' in message


def test_absent_ignores_comment_and_addons():
    plan = plan_change(lic(), 'absent', 'other', {NODES: 9}, TODAY)
    assert plan.as_result() == [{'func': 'platform.delete', 'params': {'elid': 101}}]


# -- plan_change: edit ---------------------------------------------------------------------------------------

def test_edit_carries_only_the_changed_addon_and_spends_money():
    plan = plan_change(lic(), 'present', None, {NODES: 3, VMS: 50}, TODAY)
    assert plan.as_result() == [{'func': 'platform.edit', 'params': {'elid': 101, 'addon_55165': 3, 'sok': 'ok'}}]
    assert plan.calls[0].spends_money is True


def test_shrinking_is_an_addon_edit_too():
    plan = plan_change(lic(), 'present', None, {VMS: 10}, TODAY)
    assert plan.as_result() == [{'func': 'platform.edit', 'params': {'elid': 101, 'addon_55164': 10, 'sok': 'ok'}}]
    assert plan.calls[0].spends_money is True


def test_a_comment_only_edit_spends_no_money():
    plan = plan_change(lic(), 'present', 'renamed', {NODES: 2}, TODAY)
    assert plan.as_result() == [{'func': 'platform.edit', 'params': {'elid': 101, 'comment': 'renamed', 'sok': 'ok'}}]
    assert plan.calls[0].spends_money is False


def test_comment_and_addons_in_one_edit():
    plan = plan_change(lic(), 'present', 'renamed', {NODES: 4, VMS: 60}, TODAY)
    assert plan.as_result() == [{'func': 'platform.edit', 'params': {
        'elid': 101, 'comment': 'renamed', 'addon_55164': 60, 'addon_55165': 4, 'sok': 'ok'}}]
    assert plan.calls[0].spends_money is True


@pytest.mark.parametrize('comment, addons', [(None, {}), ('web', {}), (None, {NODES: 2}), ('web', {NODES: 2, VMS: 50})])
def test_nothing_to_edit(comment, addons):
    assert not plan_change(lic(), 'present', comment, addons, TODAY)


def test_an_addon_the_license_does_not_show_is_edited():
    plan = plan_change(lic(addons={'nodes': 2}), 'present', None, {VMS: 0}, TODAY)
    assert plan.as_result()[0]['params'] == {'elid': 101, 'addon_55164': 0, 'sok': 'ok'}


def test_numeric_addons_of_dcimanager():
    current = lic(pricelist=DCI, addons={'55171': 10})
    plan = plan_change(current, 'present', None, {55171: 20}, TODAY)
    assert plan.as_result()[0]['params'] == {'elid': 101, 'addon_55171': 20, 'sok': 'ok'}
    assert plan.predict(current)['addons'] == {'55171': 20}
    assert not plan_change(current, 'present', None, {55171: 10}, TODAY)


def test_edit_params():
    assert edit_params(lic(), None, {}) == {}
    assert edit_params(lic(comment=''), '', {}) == {}
    assert edit_params(lic(comment=''), 'x', {NODES: 2}) == {'comment': 'x'}
    assert edit_params(lic(addons={}), None, {NODES: 2}) == {'addon_55165': 2}


def test_resume_comes_before_the_edit():
    plan = plan_change(lic(status='suspended'), 'active', 'renamed', {NODES: 3}, TODAY)
    assert funcs(plan) == ['platform.resume', 'platform.edit']


def test_the_edit_comes_before_the_suspension():
    plan = plan_change(lic(), 'suspended', 'renamed', {NODES: 3}, TODAY)
    assert funcs(plan) == ['platform.edit', 'platform.suspend']


def test_a_suspended_license_can_be_edited_without_resuming():
    plan = plan_change(lic(status='suspended'), 'suspended', 'renamed', {}, TODAY)
    assert funcs(plan) == ['platform.edit']
    plan = plan_change(lic(status='suspended'), 'present', None, {NODES: 3}, TODAY)
    assert funcs(plan) == ['platform.edit']


# -- plan_change: predictions and confirmations ------------------------------------------------------------------

def test_predictions_of_a_whole_change():
    current = lic(status='suspended')
    saved = copy.deepcopy(current)
    after = plan_change(current, 'active', 'renamed', {NODES: 3}, TODAY).predict(current)
    assert current == saved
    assert after == dict(saved, status='active', status_code=2, comment='renamed', addons={'nodes': 3, 'vms': 50}, cost=None)


def test_prediction_of_suspend_and_delete():
    assert plan_change(lic(), 'suspended', None, {}, TODAY).predict(lic())['status_code'] == 3
    deleted = plan_change(lic(), 'absent', None, {}, TODAY).predict(lic())
    assert (deleted['status'], deleted['status_code']) == ('deleted', 4)


def test_prediction_of_an_edit_leaves_the_comment_when_it_is_not_managed():
    after = plan_change(lic(comment='keep'), 'present', None, {VMS: 7}, TODAY).predict(lic(comment='keep'))
    assert after['comment'] == 'keep'
    assert after['addons'] == {'nodes': 2, 'vms': 7}


def test_confirm_delete():
    confirm = plan_change(lic(), 'absent', None, {}, TODAY).calls[0].confirm
    assert confirm(None) is True
    assert confirm(lic(status='deleted')) is True
    assert confirm(lic(status='active')) is False


def test_confirm_resume_and_suspend():
    resume = plan_change(lic(status='suspended'), 'active', None, {}, TODAY).calls[0].confirm
    assert resume(lic(status='active')) is True
    assert resume(lic(status='suspended')) is False
    assert resume(None) is False
    suspend = plan_change(lic(), 'suspended', None, {}, TODAY).calls[0].confirm
    assert suspend(lic(status='suspended')) is True
    assert suspend(lic(status='active')) is False
    assert suspend(None) is False


def test_confirm_edit():
    confirm = plan_change(lic(), 'present', 'renamed', {NODES: 3}, TODAY).calls[0].confirm
    assert confirm(lic(comment='renamed', addons={'nodes': 3, 'vms': 50})) is True
    assert confirm(lic(comment='renamed', addons={'nodes': 2, 'vms': 50})) is False
    assert confirm(lic(comment='web', addons={'nodes': 3, 'vms': 50})) is False
    assert confirm(None) is False


def test_a_resize_predicts_an_unknown_cost_and_a_rename_keeps_it():
    """Issue 9: the predicted cost after a resize was the old one."""
    resized = plan_change(lic(), 'present', None, {NODES: 5}, TODAY).predict(lic())
    assert (resized['addons'], resized['cost']) == ({'nodes': 5, 'vms': 50}, None)
    renamed = plan_change(lic(), 'present', 'other', {NODES: 2}, TODAY).predict(lic())
    assert (renamed['comment'], renamed['cost']) == ('other', 25.0)
