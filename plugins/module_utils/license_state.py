# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What ``isp_license`` wants, and the plan that gets a license there.

Pure functions: no requests, no Ansible. The module reads, calls ``plan_license`` and applies.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import (
    FUNCS, LIVE_STATUSES, NOT_YET_ACTIVE, PERIODS, PRICELIST_TO_PRODUCT, STATUS_NAMES, addon_aliases, addon_field,
    addon_id_of_field, addon_key, days_between, product_label,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import comment_alteration, parse_int
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import Plan
from ansible_collections.ispsystem.billmanager.plugins.module_utils.renewal import add_months, suspension, suspension_problem


def check_addon_counts(addons):
    """Validate the counts of the ``addons`` option without knowing the product (no request needed)."""
    for name, count in (addons or {}).items():
        number = parse_int(count)
        if number is None or number < 0 or isinstance(count, bool):
            raise InvalidOptionError('addons: the count of %r must be a whole number >= 0, got %r' % ('%s' % name, count))


def resolve_addons(addons, pricelist):
    """{addon id: count} from the ``addons`` option, validated for ``pricelist``."""
    if not addons:
        return {}
    check_addon_counts(addons)
    aliases = addon_aliases(pricelist)
    product = product_label(pricelist)
    resolved = {}
    for name, count in addons.items():
        key = '%s' % name
        addon_id = aliases.get(key, parse_int(key))
        if addon_id is None or addon_id <= 0:
            known = ', '.join(sorted(aliases)) or 'none are published'
            raise InvalidOptionError(
                "addons: %r is not an addon of %s. Use an alias (%s) or a numeric addon id" % (key, product, known))
        number = parse_int(count)
        if addon_id in resolved and resolved[addon_id] != number:
            raise InvalidOptionError('addons: addon %s is given twice with different counts' % addon_id)
        resolved[addon_id] = number
    return resolved


def order_params(pricelist, period, autoprolong, comment, addons, skip_basket):
    """Form values of ``platform.order.param`` for a new license, in a stable order."""
    params = {
        'clicked_button': 'finish',
        'sok': 'ok',
        'skipbasket': 'on' if skip_basket else 'off',
        'pricelist': pricelist,
        'period': PERIODS[period],
        'autoprolong': 'null' if autoprolong == 'off' else autoprolong,
    }
    if comment:
        params['comment'] = comment
    for addon_id in sorted(addons):
        params[addon_field(addon_id)] = addons[addon_id]
    return params


def plan_order(pricelist, period, autoprolong, comment, addons, skip_basket, today):
    """The plan that orders one license; after a lost answer, the re-read by comment confirms it."""
    params = order_params(pricelist, period, autoprolong, comment, addons, skip_basket)
    predicted = {
        'id': None,
        'product': PRICELIST_TO_PRODUCT.get(pricelist),
        'pricelist': pricelist,
        'status': 'active' if skip_basket else 'ordered',
        'status_code': STATUS_NAMES['active'] if skip_basket else STATUS_NAMES['ordered'],
        'comment': comment or '',
        'period': period,
        'createdate': today.isoformat(),
        'expiredate': _predicted_expiry(period, today) if skip_basket else None,
        'days_left': None,
        'autoprolong': autoprolong,
        'addons': dict((addon_key(pricelist, addon_id), count) for addon_id, count in addons.items()) or None,
        'cost': None,
        'currency': None,
    }
    predicted['days_left'] = days_between(today, predicted['expiredate'])
    plan = Plan()
    plan.add(FUNCS['order'], params, spends_money=True,
             predict=lambda _before: dict(predicted) if skip_basket else None,
             confirm=(lambda found: found is not None) if skip_basket else None, on_license=False,
             changes=['pricelist', 'comment'] + ['addons.%s' % addon_key(pricelist, addon_id) for addon_id in sorted(addons)])
    return plan


def _predicted_expiry(period, today):
    if period == 'trial':
        return None  # the vendor sets the trial length
    return add_months(today, PERIODS[period]).isoformat()


def plan_change(current, state, comment, addons, today):
    """The plan that moves an existing license to ``state`` with ``comment`` and ``addons``.

    ``comment`` is None when it is not to be changed; ``addons`` only holds the addons to manage.
    Raises InvalidOptionError for a move that is not possible.
    """
    plan = Plan()
    elid = current['id']
    status = current['status']
    if status == 'deleted':
        if state == 'absent':
            return plan
        raise InvalidOptionError('license %s is deleted and cannot be brought back; to order a new license, '
                                 'remove id and set comment' % elid)
    if state == 'absent':
        return plan.add(FUNCS['delete'], {'elid': elid}, predict=_with_status('deleted'),
                        confirm=lambda found: found is None or found['status'] == 'deleted', changes=['status'])
    if status not in LIVE_STATUSES:
        raise InvalidOptionError('license %s has a status this collection does not know (%s, code %s); refusing to '
                                 'act on it' % (elid, status, current['status_code']))
    resume = state == 'active' and status == 'suspended'
    suspend = state == 'suspended' and status == 'active'
    if state == 'suspended' and status in NOT_YET_ACTIVE:
        raise InvalidOptionError('license %s is still %s and cannot be suspended yet; rerun when it is active' % (elid, status))
    if resume and suspension_problem(current, today, 'resumed'):
        raise InvalidOptionError(suspension_problem(current, today, 'resumed'))
    if resume and current['expiredate'] and current['expiredate'] <= today.isoformat():
        if suspension(current, today) == 'by_owner_expired':
            how = ('renew and resume it in one run with ispsystem.billmanager.isp_licenses (state active and a renew '
                   'target): it was suspended by its owner, so a renewal alone does not reactivate it')
        else:
            how = 'renew it with ispsystem.billmanager.isp_license_prolong, which renews it from today and reactivates it'
        raise InvalidOptionError('license %s expired on %s and is suspended, so it cannot be resumed: %s'
                                 % (elid, current['expiredate'], how))
    if resume:
        plan.add(FUNCS['resume'], {'elid': elid}, predict=_with_status('active'),
                 confirm=lambda found: found is not None and found['status'] == 'active', changes=['status'])
    edit = edit_params(current, comment, addons)
    if edit:
        params = {'elid': elid}
        params.update(edit)
        params['sok'] = 'ok'
        plan.add(FUNCS['edit'], params, predict=_with_edit(current['pricelist'], comment, addons, edit),
                 confirm=lambda found: found is not None and not edit_params(found, comment, addons),
                 spends_money=any(addon_id_of_field(name) is not None for name in edit),
                 changes=_edit_changes(current['pricelist'], edit),
                 taken_otherwise=_renamed_otherwise(elid, edit.get('comment')))
    if suspend:
        plan.add(FUNCS['suspend'], {'elid': elid}, predict=_with_status('suspended'),
                 confirm=lambda found: found is not None and found['status'] == 'suspended', changes=['status'])
    return plan


def edit_params(current, comment, addons):
    """The ``platform.edit`` values that differ from ``current`` (only what changes)."""
    params = {}
    if comment is not None and comment != current['comment']:
        params['comment'] = comment
    known = current['addons'] or {}
    for addon_id in sorted(addons):
        if known.get(addon_key(current['pricelist'], addon_id)) != addons[addon_id]:
            params[addon_field(addon_id)] = addons[addon_id]
    return params


def addon_changes(params, before):
    """[(addon key, count before or None, count sent)] of the addons a ``platform.edit`` sets, by addon key."""
    before = before or {}
    known = before.get('addons') or {}
    changes = []
    for name in sorted(params):
        addon_id = addon_id_of_field(name)
        if addon_id is not None:
            key = addon_key(before.get('pricelist'), addon_id)
            changes.append((key, known.get(key), params[name]))
    return changes


def edit_kinds(params, before):
    """What a ``platform.edit`` does: a subset of ``rename``, ``resize_up`` (an addon raised, or not known before)
    and ``resize_down``."""
    kinds = set(['rename']) if 'comment' in params else set()
    for _key, now, count in addon_changes(params, before):
        kinds.add('resize_up' if now is None or count > now else 'resize_down' if count < now else 'resize_same')
    kinds.discard('resize_same')
    return kinds


def _renamed_otherwise(elid, comment):
    """For a rename: why the license read back carries the comment stored otherwise than sent, or None."""
    def taken_otherwise(found):
        if comment is None or found is None or found['comment'] == comment:
            return None
        altered = comment_alteration(found['comment'], comment)
        if altered is None:
            return None
        return ('license %s carries comment %r after the rename, not %r as sent (%s): the server stores this comment '
                'otherwise, so the license cannot be found by it, and the rename would be sent again on every run'
                % (elid, found['comment'], comment, altered))
    return taken_otherwise


def _with_status(name):
    def predict(lic):
        lic['status'] = name
        lic['status_code'] = STATUS_NAMES[name]
        if name != 'suspended':
            lic['suspend_reason'] = None
        return lic
    return predict


def _edit_changes(pricelist, edit):
    addon_fields = ['addons.%s' % addon_key(pricelist, addon_id_of_field(name)) for name in sorted(edit)
                    if addon_id_of_field(name) is not None]
    return (['comment'] if 'comment' in edit else []) + addon_fields


def _with_edit(pricelist, comment, addons, edit):
    def predict(lic):
        if 'comment' in edit:
            lic['comment'] = comment
        if any(addon_id_of_field(name) is not None for name in edit):
            lic['addons'] = dict(lic['addons'] or {})
            for addon_id, count in addons.items():
                lic['addons'][addon_key(pricelist, addon_id)] = count
            lic['cost'] = None  # the price of the new size is not known before the API shows it
        return lic
    return predict
