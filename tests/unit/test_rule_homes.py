# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 16: each rule lives in one place, and nothing decides anything by reading a message's text.

The code of plugins/ is parsed (the DOCUMENTATION, EXAMPLES and RETURN strings of the modules are left out) and
searched for a rule spelt outside its home:

- the product catalogue (pricelist and addon ids), status sets, periods and their defaults, the addon field codec,
  ISO date parsing, the functions of the write calls and the messages of shared option rules live in
  ``plugins/module_utils/catalogue.py`` (write functions also in client.py, which knows what acknowledges each);
- the comment rule lives in ``plugins/module_utils/license.py``.

And for the decisions: no ``in``/``not in`` test on a message (a variable named msg, message or said, or
``str()``/``repr()`` of something), no ``startswith``/``endswith`` on one; the role has no ``regex_*`` filter.
``make mutation`` seeds a copy of each rule elsewhere (and a decision on a message): this test must catch every one.
"""

from __future__ import annotations

import ast
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, 'plugins')
ROLE = os.path.join(ROOT, 'roles', 'panel_license')
CATALOGUE = 'plugins/module_utils/catalogue.py'
DOC_STRINGS = ('DOCUMENTATION', 'EXAMPLES', 'RETURN')

STATUS_NAMES = {'ordered', 'active', 'suspended', 'deleted', 'processing'}
CATALOGUE_IDS = {55163, 55161, 55165, 55164}
WRITE_FUNCS = {'platform.order.param', 'service.prolong', 'platform.suspend', 'platform.resume', 'platform.delete'}
# What holds a message (API cell texts, such as "1 month", are values, not messages).
MESSAGE_NAMES = re.compile(r'(^|_)(msg|message|said)s?$')


def python_sources():
    for folder, _dirs, files in os.walk(PLUGINS):
        for name in sorted(files):
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, ROOT), path


def code_of(path):
    """The parsed module without its DOCUMENTATION / EXAMPLES / RETURN assignments (plugin docs may spell anything)."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), filename=path)
    tree.body = [node for node in tree.body if not (isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id in DOC_STRINGS for target in node.targets))]
    return tree


def strings(node):
    return [item.value for item in getattr(node, 'elts', []) if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def _status_sets(relpath, node):
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(STATUS_NAMES.intersection(strings(node))) >= 2:
        yield 'a set of statuses %s (catalogue: LIVE_STATUSES, NOT_YET_ACTIVE ...)' % sorted(STATUS_NAMES.intersection(strings(node)))


def _catalogue_ids(relpath, node):
    if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and node.value in CATALOGUE_IDS:
        yield 'the catalogue id %s (catalogue: PRODUCTS)' % node.value


def _addon_codec(relpath, node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r'\baddon_(%s|\(|\\d|$)', node.value):
        yield 'the addon field codec %r (catalogue: addon_field, addon_id_of_field)' % node.value


def _iso_dates(relpath, node):
    if isinstance(node, ast.Constant) and node.value == '%Y-%m-%d':
        yield 'ISO date parsing (catalogue: parse_iso_date)'
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == 'split' and \
            node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == '-':
        yield "a date taken apart with split('-') (catalogue: parse_iso_date)"


def _write_funcs(relpath, node):
    if relpath == 'plugins/module_utils/client.py':
        return
    if isinstance(node, ast.Constant) and node.value in WRITE_FUNCS:
        yield 'the write function %r (catalogue: FUNCS, kind_of)' % node.value


def _defaults(relpath, node):
    if isinstance(node, ast.keyword) and node.arg == 'default' and isinstance(node.value, ast.Constant) and \
            node.value.value in (12, '1', 'off'):
        yield 'a default %r spelt in place (catalogue: DEFAULT_MAX_PERIODS, DEFAULT_PERIOD ...)' % node.value.value
    if isinstance(node, ast.Tuple) and [getattr(item, 'value', None) for item in node.elts] == [1, 12]:
        yield 'the renewal periods (1, 12) (catalogue: RENEWAL_PERIODS)'


def _shared_messages(relpath, node):
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return
    if 'or pricelist is required' in node.value:
        yield 'the "product or pricelist" rule (catalogue: PRODUCT_REQUIRED)'
    if 'cannot be used:' in node.value and relpath != 'plugins/module_utils/license.py':
        yield 'the comment rule message (license: comment_refusal)'


RULES = [_status_sets, _catalogue_ids, _addon_codec, _iso_dates, _write_funcs, _defaults, _shared_messages]


def rules_outside_their_home():
    found = []
    for relpath, path in python_sources():
        if relpath == CATALOGUE:
            continue
        for node in ast.walk(code_of(path)):
            for rule in RULES:
                found.extend('%s:%s: %s' % (relpath, getattr(node, 'lineno', '?'), problem) for problem in rule(relpath, node))
    return found


def _names_a_message(node):
    if isinstance(node, ast.Name):
        return MESSAGE_NAMES.search(node.id) is not None
    if isinstance(node, ast.Attribute):
        return MESSAGE_NAMES.search(node.attr) is not None
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ('str', 'repr')


def decisions_on_messages():
    found = []
    for relpath, path in python_sources():
        for node in ast.walk(code_of(path)):
            if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) and \
                    any(_names_a_message(right) for right in node.comparators):
                found.append('%s:%s: an "in" test on a message' % (relpath, node.lineno))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ('startswith', 'endswith') and _names_a_message(node.func.value):
                found.append('%s:%s: %s() on a message' % (relpath, node.lineno, node.func.attr))
    return found


def test_each_rule_lives_in_its_home():
    assert rules_outside_their_home() == []


def test_nothing_decides_by_reading_a_message():
    assert decisions_on_messages() == []


def test_the_role_reads_no_message_with_a_regex():
    offenders = []
    for folder, _dirs, files in os.walk(ROLE):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as handle:
                for number, line in enumerate(handle, start=1):
                    if 'regex_' in line:
                        offenders.append('%s:%d' % (os.path.relpath(path, ROOT), number))
    assert offenders == []


@pytest.mark.parametrize('source, found', [
    ("STATES = ('active', 'suspended')", 'a set of statuses'),
    ("PRICELIST = 55163", 'the catalogue id 55163'),
    ("FIELD = 'addon_%s' % 1", 'the addon field codec'),
    ("day = datetime.datetime.strptime(text, '%Y-%m-%d')", 'ISO date parsing'),
    ("year, month, day = map(int, text.split('-'))", "split('-')"),
    ("kind = {'service.prolong': 'renewal'}", 'the write function'),
    ("spec = dict(max_periods=dict(type='int', default=12))", 'a default 12'),
    ("message = 'product or pricelist is required'", 'product or pricelist'),
], ids=['statuses', 'ids', 'codec', 'strptime', 'split', 'func', 'default', 'message'])
def test_the_rules_see_a_copy_of_a_rule(source, found, tmp_path, monkeypatch):
    """The checks themselves: a copy of each rule in a file of its own is found."""
    plugin = tmp_path / 'plugins' / 'module_utils'
    plugin.mkdir(parents=True)
    (plugin / 'copy.py').write_text(source + '\n', encoding='utf-8')
    monkeypatch.setitem(globals(), 'PLUGINS', str(tmp_path / 'plugins'))
    monkeypatch.setitem(globals(), 'ROOT', str(tmp_path))
    assert any(found in problem for problem in rules_outside_their_home()), rules_outside_their_home()


@pytest.mark.parametrize('source', [
    "if 'before rerunning' not in msg:\n    pass",
    "never = 'Connection refused' in repr(exc)",
    "ok = message.startswith(where)",
], ids=['in-msg', 'in-repr', 'startswith'])
def test_the_check_sees_a_decision_on_a_message(source, tmp_path, monkeypatch):
    plugin = tmp_path / 'plugins'
    plugin.mkdir()
    (plugin / 'decide.py').write_text(source + '\n', encoding='utf-8')
    monkeypatch.setitem(globals(), 'PLUGINS', str(plugin))
    monkeypatch.setitem(globals(), 'ROOT', str(tmp_path))
    assert len(decisions_on_messages()) == 1
