# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The files of the role panel_license against the catalogue and the rules of issue 16, without running it.

- The catalogue is the one home of products and addons: the role's defaults and argument spec have exactly the
  variables the filter license_catalogue names for the addons (with their types), and its tasks and vars name none.
- Failures are data: the role decides from the failure records of the modules, never from their messages.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.ispsystem.billmanager.plugins.filter.license_catalogue import (
    ROLE_VARIABLE_TYPES, license_catalogue,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils import catalogue

ROLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                    'roles', 'panel_license')
# The role variables that are not an addon's (the catalogue's addons give all the others).
ROLE_OWN_VARIABLES = frozenset([
    'panel_license_product', 'panel_license_state', 'panel_license_comment', 'panel_license_id', 'panel_license_period',
    'panel_license_autoprolong', 'panel_license_wait', 'panel_license_wait_timeout', 'panel_license_allow_shrink',
    'panel_license_renew', 'panel_license_renew_min_days_left', 'panel_license_renew_period',
    'panel_license_renew_max_periods', 'panel_license_max_orders', 'panel_license_max_renewals',
    'panel_license_fact_enabled', 'panel_license_fact_dir', 'panel_license_fact_name', 'panel_license_max_spend',
    'panel_license_key_enabled', 'panel_license_key_file', 'panel_license_key_owner',
])
# The sizing numbers of an addon have a default in defaults/main.yml (the maximum and the sources have none).
DEFAULTED_FIELDS = ('headroom_percent', 'step', 'min')


def load(*path):
    with open(os.path.join(ROLE, *path), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def role_files(*folders):
    """(path in the role, text) of the files of ``folders`` (no folder: the files of the role, at every level)."""
    for folder in folders or ['']:
        for parent, _dirs, names in sorted(os.walk(os.path.join(ROLE, folder))):
            for name in sorted(names):
                with open(os.path.join(parent, name), encoding='utf-8') as handle:
                    yield os.path.relpath(os.path.join(parent, name), ROLE), handle.read()


def addon_variables():
    """(product, addon, field, variable name) of every role variable of every addon of the catalogue."""
    for product, entry in sorted(license_catalogue(None).items()):
        for addon, spec in sorted(entry['addons'].items()):
            for field, name in sorted(spec['variables'].items()):
                if name is not None and field != 'group_default':  # that one is another addon's group
                    yield product, addon, field, name


ARGUMENTS = load('meta', 'argument_specs.yml')['argument_specs']['main']['options']
DEFAULTS = load('defaults', 'main.yml')


@pytest.mark.parametrize('product, addon, field, name', list(addon_variables()), ids=lambda value: '%s' % value)
def test_every_variable_of_every_addon_is_declared_with_its_type(product, addon, field, name):
    assert name in ARGUMENTS, '%s (%s of %s %s) is missing from meta/argument_specs.yml' % (name, field, product, addon)
    assert ARGUMENTS[name]['type'] == ROLE_VARIABLE_TYPES[field], name
    if field in DEFAULTED_FIELDS:
        assert name in DEFAULTS, '%s is missing from defaults/main.yml' % name
        assert DEFAULTS[name] == ARGUMENTS[name]['default'], name
    else:
        assert name not in DEFAULTS and 'default' not in ARGUMENTS[name], '%s must be unset by default' % name


def test_no_variable_of_the_role_belongs_to_an_addon_that_does_not_exist():
    """An addon removed from the catalogue (or renamed) leaves no variable behind in the defaults or the spec."""
    known = ROLE_OWN_VARIABLES | set(name for _product, _addon, _field, name in addon_variables())
    assert sorted(set(ARGUMENTS) - known) == []
    assert sorted(set(DEFAULTS) - known) == []


def test_the_readme_names_the_count_variable_of_every_addon():
    with open(os.path.join(ROLE, 'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    for product, addon, field, name in addon_variables():
        if field in ('count', 'addon_id'):
            assert '`%s`' % name in readme, (product, addon, name)


def test_tasks_and_vars_name_no_product_and_no_addon_variable():
    """Which addons a product has, and what its variables are called, is asked of the catalogue (filter
    license_catalogue), not spelt in the role's tasks."""
    names = set(catalogue.PRODUCTS) | set(name for _product, _addon, _field, name in addon_variables())
    pattern = re.compile(r'\b(%s)\b' % '|'.join(sorted(names, key=len, reverse=True)))
    found = [(where, match.group(0)) for where, text in role_files('tasks', 'vars') for match in pattern.finditer(text)]
    assert found == []


# Matching on what a message says: a substring test on a message, the host's name looked up in a text, a regex test.
MESSAGE_MATCHING = [
    re.compile(r'\bin\s+__panel_license_said\b'),
    re.compile(r"'\('\s*~\s*inventory_hostname"),
    re.compile(r'\bin\s+[\w.]*\bmsg\b'),
    re.compile(r'\bmsg\b[^\n]*\bis\s+(search|match|regex)\b'),
]


def test_the_role_decides_from_failure_fields_never_from_message_texts():
    files = list(role_files())
    assert 'tasks/reconcile.yml' in dict(files)
    for where, text in files:
        assert 'regex_' not in text, '%s uses a regex_* filter' % where
        for pattern in MESSAGE_MATCHING:
            assert not pattern.search(text), '%s matches on a message: %s' % (where, pattern.search(text).group(0))


def test_every_option_a_failure_may_name_maps_to_role_variables_that_exist():
    table = load('vars', 'main.yml')['__panel_license_option_variables']
    assert set(table) >= set(['comment', 'product', 'period', 'autoprolong', 'addons', 'renew.min_days_left',
                              'renew.max_periods', 'renew.period', 'max_orders', 'max_renewals', 'wait_timeout'])
    for option, variables in table.items():
        if isinstance(variables, list):
            assert variables and set(variables) <= ROLE_OWN_VARIABLES, option
