# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: license_summary
short_description: One readable line for a license, or for what a run did to it
version_added: 1.0.0
description:
  - Given a license dict, as returned by the modules of this collection, one line with its id, product, status,
    comment, addons and expiry.
  - Given an entry of RV(ispsystem.billmanager.isp_licenses#module:results), one line with the entry's name, the
    license after the run (as above) and what the run did to it - V(no change), V(changed) with the calls in words,
    or in check mode V(would change) with the calls a real run would make - followed by the entry's notes.
    A failed entry shows why it failed.
  - Given a whole result of M(ispsystem.billmanager.isp_licenses) (recognised by its C(results)), one such line per
    license, separated by line breaks.
  - The summary line of the role P(ispsystem.billmanager.panel_license#role).
  - Pure, no request is made.
author:
  - ispsystem.billmanager maintainers (@ispsystem-community)
positional: _input
options:
  _input:
    description:
      - A license dict (RV(ispsystem.billmanager.isp_license#module:license)), an entry of
        RV(ispsystem.billmanager.isp_licenses#module:results) (recognised by its C(outcome)), a whole result of
        M(ispsystem.billmanager.isp_licenses) (recognised by its C(results)), or V(null).
    type: dict
    required: true
  check_mode:
    description:
      - Whether the entry comes from a run in check mode; its calls are then described as what a real run would do.
      - Only used for an entry of RV(ispsystem.billmanager.isp_licenses#module:results).
    type: bool
    default: false
  addon_names:
    description:
      - Addon id to the name to show for it, for addons without a published alias (for DCImanager 6, for example
        the id V(55171) to V(units)). Published addons are shown by their alias (V(nodes), V(vms)).
    type: dict
  changes:
    description:
      - More changes to report after the calls of an entry, such as a file written on a host.
    type: list
    elements: str
  notes:
    description:
      - More remarks to add to the notes of an entry.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: One line per license
  ansible.builtin.debug:
    msg: "{{ result.licenses | map('ispsystem.billmanager.license_summary') | list }}"
  # => license 1000 vmmanager6 active "vm-fra1" nodes=3, vms=240 expires 2026-12-27 (30 days)

- name: One line per license of a fleet run
  ansible.builtin.debug:
    msg: "{{ fleet.results | map('ispsystem.billmanager.license_summary', check_mode=ansible_check_mode) | list }}"
  # => vm-fra1: license 1000 vmmanager6 active "vm-fra1" nodes=4, vms=240 expires 2026-12-27 (30 days); changed: nodes 3->4
  # => dc-frankfurt: license 103 dcimanager6 active "dc-frankfurt" 55171=30 expires 2027-03-15 (108 days); no change
'''

RETURN = r'''
_value:
  description:
    - 'The summary line. For a license: C(license 1000 vmmanager6 active "web" nodes=3, vms=50 expires 2026-12-27 (30 days)).'
    - 'For an entry: C(web: license 1000 ...; changed: renewed 1 period, nodes 2->3; note: ...).'
    - For a whole isp_licenses result, the lines of its entries, separated by line breaks.
  type: str
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import kind_of
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_state import addon_changes

# Words for the kinds of calls (catalogue.CALL_KINDS); renewals and edits are told by what they do.
KIND_WORDS = {'order': 'ordered', 'suspend': 'suspended', 'resume': 'resumed', 'delete': 'deleted'}
OUTCOMES = ('unchanged', 'changed', 'failed', 'not tried', 'planned')


def _names(addon_names):
    if addon_names is None:
        return {}
    if not isinstance(addon_names, dict):
        raise AnsibleFilterError('addon_names must be a dictionary of addon id to name, got %r' % (addon_names,))
    return dict(('%s' % key, '%s' % value) for key, value in addon_names.items())


def _strings(value, what):
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise AnsibleFilterError('%s must be a list of strings, got %r' % (what, value))
    return ['%s' % item for item in value if item]


def license_line(lic, names=None):
    """``license ID PRODUCT STATUS "COMMENT" addons expires DATE (N days)``."""
    if lic is None:
        return 'no license'
    if not isinstance(lic, dict):
        raise AnsibleFilterError('license_summary expects a license dict or an isp_licenses result, got %s' % type(lic).__name__)
    names = names or {}
    addons = dict((names.get(key, key), value) for key, value in (lic.get('addons') or {}).items())
    addon_text = ', '.join('%s=%s' % (name, addons[name]) for name in sorted(addons)) or 'no addons shown'
    expiry = 'expires %s' % lic['expiredate'] if lic.get('expiredate') else 'no expiry yet'
    if lic.get('days_left') is not None:
        expiry += ' (%s days)' % lic['days_left']
    product = lic.get('product') or 'pricelist %s' % lic.get('pricelist')
    license_id = '(new)' if lic.get('id') is None else lic['id']
    return 'license %s %s %s "%s" %s %s' % (license_id, product, lic.get('status'), lic.get('comment') or '', addon_text, expiry)


def describe_calls(calls, before=None, names=None):
    """Short words for write calls: ordered, renewed 2 periods, nodes 3->4, comment set to 'x', suspended ..."""
    names = names or {}
    words = []
    renewals = 0
    for call in calls or []:
        kind = kind_of(call.get('func'))
        params = call.get('params') or {}
        if kind == 'renewal':
            if not renewals:
                words.append(None)  # the place of the renewals, in the order of the calls
            renewals += 1
        elif kind == 'edit':
            words.extend('%s %s->%s' % (names.get(key, key), '?' if old is None else old, count)
                         for key, old, count in sorted(addon_changes(params, before), key=lambda change: change[0]))
            if 'comment' in params:
                words.append('comment set to %r' % params['comment'])
        else:
            words.append(KIND_WORDS.get(kind, '%s' % kind))
    return ['renewed %s period%s' % (renewals, '' if renewals == 1 else 's') if word is None else word for word in words]


def result_line(entry, check_mode=False, names=None, changes=None, notes=None):
    """``NAME: <license line>; changed: ...; note: ...`` for an entry of isp_licenses' results."""
    outcome = entry.get('outcome')
    if outcome not in OUTCOMES:
        raise AnsibleFilterError('license_summary: outcome must be one of %s, got %r' % (', '.join(OUTCOMES), outcome))
    lic = entry.get('after') if entry.get('after') is not None else entry.get('before')
    calls = entry.get('calls_sent') if outcome == 'failed' and entry.get('calls_sent') else entry.get('calls')
    words = describe_calls(calls if outcome in ('changed', 'failed') else [], entry.get('before'), names) + (changes or [])
    if outcome == 'failed':
        tail = 'failed: %s' % (entry.get('msg') or 'no reason given')
        if words:
            tail += ' (calls sent: %s)' % ', '.join(words)
    elif outcome == 'not tried':
        tail = 'not tried (the run stopped at an earlier failure)'
    elif outcome == 'planned':
        tail = 'nothing written (the run stopped before any write)'
    elif not words:
        tail = 'no change'
    elif check_mode:
        tail = 'would change: %s (check mode, nothing written)' % ', '.join(words)
    else:
        tail = 'changed: %s' % ', '.join(words)
    remarks = _strings(entry.get('notes'), 'notes of the entry') + (notes or [])
    if remarks:
        tail = '%s; note: %s' % (tail, '; '.join(remarks))
    return '%s: %s; %s' % (entry.get('name') or entry.get('id') or '?', license_line(lic, names), tail)


def license_summary(data, check_mode=False, addon_names=None, changes=None, notes=None):
    """One line for a license dict, or for an entry of isp_licenses' results; see DOCUMENTATION."""
    if not isinstance(check_mode, bool):
        raise AnsibleFilterError('check_mode must be true or false, got %r' % (check_mode,))
    names = _names(addon_names)
    if isinstance(data, dict) and 'outcome' in data:
        return result_line(data, check_mode, names, _strings(changes, 'changes'), _strings(notes, 'notes'))
    if isinstance(data, dict) and 'results' in data:
        # A whole isp_licenses result: one line per license (the changes and notes given apply to each).
        if not isinstance(data['results'], list):
            raise AnsibleFilterError('license_summary: the results of an isp_licenses result must be a list')
        return '\n'.join(result_line(entry, check_mode, names, _strings(changes, 'changes'), _strings(notes, 'notes'))
                         for entry in data['results'])
    return license_line(data, names)


class FilterModule:
    def filters(self):
        return {'license_summary': license_summary}
