# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every ``choices`` list of products, statuses and periods that the documentation of the modules, the filters and
the role shows is the product catalogue's (module_utils/catalogue.py): the documentation cannot drift from it."""

from __future__ import annotations

import importlib
import os

import pytest
import yaml

from ansible_collections.ispsystem.billmanager.plugins.module_utils import catalogue
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import WANTED_STATES as STATES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PACKAGE = 'ansible_collections.ispsystem.billmanager.plugins'

# Option name (the last part of its path) -> the catalogue's choices.
CATALOGUE_CHOICES = {
    'product': catalogue.PRODUCT_NAMES,
    'panel_license_product': catalogue.PRODUCT_NAMES,
    'status': catalogue.STATUS_CHOICES,
    'autoprolong': catalogue.AUTOPROLONG_CHOICES,
    'panel_license_autoprolong': catalogue.AUTOPROLONG_CHOICES,
    'panel_license_period': catalogue.PERIOD_CHOICES,
    'panel_license_renew_period': list(catalogue.RENEWAL_PERIODS),
}
# ``period`` is an order period (a string) or a renewal period (months, an int).
PERIODS_BY_TYPE = {'str': catalogue.PERIOD_CHOICES, 'int': list(catalogue.RENEWAL_PERIODS)}
# States are not products, statuses or periods: the modules offer all, the role those it can keep.
STATE_OPTIONS = ('state', 'panel_license_state')


def module_docs():
    names = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                   if name.endswith('.py') and not name.startswith('_'))
    return dict((name, yaml.safe_load(importlib.import_module('%s.modules.%s' % (PACKAGE, name)).DOCUMENTATION))
                for name in names)


def filter_docs():
    docs = {}
    folder = os.path.join(ROOT, 'plugins', 'filter')
    for name in sorted(os.listdir(folder)):
        if name.endswith('.yml'):
            with open(os.path.join(folder, name), encoding='utf-8') as handle:
                docs['filter ' + name[:-4]] = yaml.safe_load(handle)['DOCUMENTATION']
        elif name.endswith('.py') and not name.startswith('_'):
            documentation = getattr(importlib.import_module('%s.filter.%s' % (PACKAGE, name[:-3])), 'DOCUMENTATION', None)
            if documentation:
                docs['filter ' + name[:-3]] = yaml.safe_load(documentation)
    return docs


def role_docs():
    path = os.path.join(ROOT, 'roles', 'panel_license', 'meta', 'argument_specs.yml')
    with open(path, encoding='utf-8') as handle:
        return {'role panel_license': yaml.safe_load(handle)['argument_specs']['main']}


def options_with_choices(where, options, prefix=''):
    """(where, option path, option spec) of every option with choices, suboptions included."""
    for name, spec in sorted((options or {}).items()):
        path = prefix + name
        if 'choices' in spec:
            yield where, path, spec
        yield from options_with_choices(where, spec.get('suboptions'), path + '.')


def documented_choices():
    docs = dict(module_docs(), **filter_docs())
    docs.update(role_docs())
    return [found for where, doc in sorted(docs.items()) for found in options_with_choices(where, doc.get('options'))]


def expected_choices(path, spec):
    name = path.rsplit('.', 1)[-1]
    if name == 'period':
        return PERIODS_BY_TYPE[spec.get('type', 'str')]
    return CATALOGUE_CHOICES.get(name)


def label(found):
    return '%s: %s' % (found[0], found[1])


@pytest.mark.parametrize('found', [found for found in documented_choices() if found[1].rsplit('.', 1)[-1] not in STATE_OPTIONS],
                         ids=label)
def test_documented_choices_are_the_catalogues(found):
    _where, path, spec = found
    expected = expected_choices(path, spec)
    assert expected is not None, 'choices of %s are not from the catalogue: add them to it, or to this test' % label(found)
    assert list(spec['choices']) == list(expected)


def test_documented_states_are_the_modules_states():
    states = [found for found in documented_choices() if found[1].rsplit('.', 1)[-1] in STATE_OPTIONS]
    assert states
    for where, path, spec in states:
        if where.startswith('role '):
            assert set(spec['choices']) <= set(STATES), (where, path)
        else:
            assert list(spec['choices']) == STATES, (where, path)


def test_every_kind_of_documentation_is_checked():
    """The test above cannot pass by finding nothing: these places document catalogue choices."""
    labels = set(label(found) for found in documented_choices())
    assert labels >= set([
        'isp_license: product', 'isp_license: period', 'isp_license: autoprolong',
        'isp_license_info: product', 'isp_license_info: status',
        'isp_license_prolong: product', 'isp_license_prolong: period',
        'isp_licenses: licenses.product', 'isp_licenses: licenses.period', 'isp_licenses: licenses.renew.period',
        'filter panel_license_sizing: _input.product',
        'role panel_license: panel_license_product', 'role panel_license: panel_license_period',
        'role panel_license: panel_license_autoprolong', 'role panel_license: panel_license_renew_period',
    ])
