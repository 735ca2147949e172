# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Addon sizing of the ``panel_license`` role: the arithmetic, as pure functions.

``panel_license_sizing`` turns a count from the inventory (the hosts of a group, a host variable summed over
hosts, or an explicit number) into the addon count a license should have: headroom, rounding up to a step,
minimum, maximum. Which addons a product sizes, and the key each has in the ``addons`` option of the modules,
come from the product catalogue (module_utils/catalogue.py). Comparing with the license's current values
(and never shrinking) is the module's business (``allow_shrink``), not this filter's.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: panel_license_sizing
version_added: 1.0.0
short_description: Size the addons of a VMmanager 6 or DCImanager 6 license from inventory counts
description:
  - Computes the addon counts a license should have from the inventory (the hosts of a group,
    a host variable summed over hosts) or from an explicit planned count.
  - Each count gets O(_input.addons.headroom_percent) more (rounded up), is rounded up to a multiple of
    O(_input.addons.step), raised to O(_input.addons.min) and capped at O(_input.addons.max), in that order.
  - Which addons a product sizes, and the key of each in the result, come from the product catalogue of the
    collection (the one the modules use) - V(nodes) and V(vms) for V(vmmanager6), the addon id given in
    O(_input.addons.addon_id) for the V(units) of V(dcimanager6), whose addon ids are not published. The filter
    P(ispsystem.billmanager.license_catalogue#filter) lists them.
  - Only the arithmetic. Comparing with the current values of a license, and never lowering them, is the job of the
    modules (O(ispsystem.billmanager.isp_licenses#module:licenses[].allow_shrink)).
  - Used by the role P(ispsystem.billmanager.panel_license#role); pure, no request is made.
  - Bad input fails with a message that names what to fix. When an addon has a C(label), the messages name the
    fields C(<label>_<field>) (the role passes its variable prefixes, such as C(panel_license_vms)).
author:
  - ispsystem.billmanager contributors
positional: _input
options:
  _input:
    description: What to size.
    type: dict
    required: true
    suboptions:
      product:
        description: The licensed product.
        type: str
        required: true
        choices: [vmmanager6, dcimanager6]
      addons:
        description:
          - Addon name to its sizing. V(vmmanager6) sizes V(nodes) and V(vms); V(dcimanager6) sizes V(units).
          - An addon without a source (no C(count), C(hosts), C(per_host) or C(group)) is not sized, and left out
            of the result.
        type: dict
        suboptions:
          count:
            description: An explicit (planned) count. One source only.
            type: int
          hosts:
            description: The host names of a group; the count is how many there are. One source only.
            type: list
            elements: str
          group:
            description:
              - Name of the group that C(hosts) or C(per_host) came from, for the messages.
              - Given without C(hosts) and C(per_host), it means the group was looked up and not found (an error).
            type: str
          per_host:
            description: Host name to a count (such as the VMs planned on each node); the count is their sum. A host
              without a value (V(null)) is an error. One source only.
            type: dict
          hostvar:
            description: Name of the host variable C(per_host) came from, for the messages.
            type: str
          headroom_percent:
            description: Percent added to the count before rounding; a number >= 0.
            type: float
            default: 0
          step:
            description: Round up to a multiple of this (>= 1).
            type: int
            default: 1
          min:
            description: The lowest size (>= 0). Must not be above C(max).
            type: int
          max:
            description: The highest size; it wins over C(headroom_percent), C(step) and C(min).
            type: int
          addon_id:
            description:
              - The numeric addon id, required for the V(dcimanager6) addon V(units), whose ids are not published.
              - The result is keyed by this id as a string.
            type: int
          label:
            description: Prefix the messages use to name this addon's fields (C(<label>_step) ...).
            type: str
'''

EXAMPLES = r'''
# 3 nodes in the group, 20 % headroom on planned VMs rounded up to tens
# => {"product": "vmmanager6", "addons": {"nodes": 3, "vms": 150}, "details": [...]}
sized: >-
  {{ {'product': 'vmmanager6',
      'addons': {'nodes': {'hosts': groups['fra1_nodes'], 'group': 'fra1_nodes', 'min': 1},
                 'vms': {'count': 120, 'headroom_percent': 20, 'step': 10}}}
     | ispsystem.billmanager.panel_license_sizing }}

# At least 2 nodes, at most 8: 1 planned node is raised to 2 (details[0].notes says so)
# => {"addons": {"nodes": 2}, ...}
bounded: "{{ {'product': 'vmmanager6', 'addons': {'nodes': {'count': 1, 'min': 2, 'max': 8}}} | ispsystem.billmanager.panel_license_sizing }}"

# DCImanager 6: the addon id must be given
# => {"addons": {"55171": 20}, ...}
dci: "{{ {'product': 'dcimanager6', 'addons': {'units': {'count': 20, 'addon_id': 55171}}} | ispsystem.billmanager.panel_license_sizing }}"
'''

RETURN = r'''
_value:
  description: The sizing.
  type: dict
  contains:
    product:
      description: The product.
      type: str
    addons:
      description: Addon key (V(nodes), V(vms), or the addon id as a string) to the count the license should have;
        the C(addons) option of M(ispsystem.billmanager.isp_license) and M(ispsystem.billmanager.isp_licenses).
      type: dict
      sample: {"nodes": 3, "vms": 150}
    details:
      description: How each sized addon was computed.
      type: list
      elements: dict
      contains:
        addon:
          description: The addon name in the request.
          type: str
        key:
          description: The key of the addon in RV(_value.addons).
          type: str
        source:
          description: Where the count came from, in words.
          type: str
          sample: 3 hosts in fra1_nodes
        counted:
          description: The count before headroom, step, min and max.
          type: int
        sized:
          description: The count after headroom, step, min and max.
          type: int
        notes:
          description: Why the value differs from the rounded count (the minimum or the maximum).
          type: list
          elements: str
'''

from fractions import Fraction

from ansible.errors import AnsibleFilterError

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import PRODUCTS

SOURCE_FIELDS = ('count', 'hosts', 'per_host')
ADDON_FIELDS = frozenset(SOURCE_FIELDS + ('label', 'group', 'hostvar', 'headroom_percent', 'step', 'min', 'max',
                                          'addon_id'))
REQUEST_FIELDS = frozenset(['product', 'addons'])
UNPUBLISHED_ADDON_ID_HELP = (
    '%s addon ids are not published: set it to the numeric id of this addon on your license (the addon_NNNNN field '
    'of the license in BILLmanager, or ask ISPsystem), or do not size that addon')


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_count(value, what):
    """A whole number >= 0 from an int, an integral float or a string of digits."""
    number = None
    if _is_number(value):
        if isinstance(value, int) or value.is_integer():
            number = int(value)
    elif isinstance(value, str) and value.strip().lstrip('-').isdigit():
        number = int(value.strip())
    if number is None:
        raise AnsibleFilterError('%s must be a whole number >= 0, got %r' % (what, value))
    if number < 0:
        raise AnsibleFilterError('%s must be >= 0, got %s' % (what, number))
    return number


def parse_optional_count(value, what):
    return None if value is None else parse_count(value, what)


def parse_percent(value, what):
    """Headroom in percent, a number >= 0, as an exact Fraction (so 10 % of 30 is 3, not 3.0000000004)."""
    if value is None:
        return Fraction(0)
    try:
        if isinstance(value, bool) or not (_is_number(value) or isinstance(value, str)):
            raise ValueError()
        percent = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise AnsibleFilterError('%s must be a number of percent >= 0 (20 means 20 %% more than counted), got %r'
                                 % (what, value))
    if percent < 0:
        raise AnsibleFilterError('%s must be >= 0 (a headroom adds, it never removes), got %s' % (what, value))
    return percent


def parse_step(value, what):
    if value is None:
        return 1
    step = parse_count(value, what)
    if step < 1:
        raise AnsibleFilterError('%s must be >= 1 (1 means no rounding; 10 rounds up to a multiple of 10), got %s'
                                 % (what, value))
    return step


def apply_headroom(count, percent):
    """``count`` plus ``percent`` %, rounded up to a whole number."""
    scaled = Fraction(count) * (100 + percent) / 100
    return -(-scaled.numerator // scaled.denominator)


def round_up(value, step):
    """The smallest multiple of ``step`` that is >= ``value``."""
    return -(-value // step) * step


def size_count(counted, headroom_percent=0, step=1, minimum=None, maximum=None):
    """Headroom, then rounding up to the step, then the minimum, then the maximum (the maximum wins).

    Returns (size, notes): the notes say when the minimum or the maximum changed the value.
    """
    notes = []
    size = round_up(apply_headroom(counted, Fraction(headroom_percent)), step)
    if minimum is not None and size < minimum:
        notes.append('raised to the minimum %s' % minimum)
        size = minimum
    if maximum is not None and size > maximum:
        notes.append('capped at the maximum %s' % maximum)
        size = maximum
    return size, notes


def count_hosts(hosts, group, what):
    """How many hosts a group has (the nodes or units of a panel)."""
    if hosts is None:
        raise AnsibleFilterError('%s: the group %r is not in the inventory' % (what, group))
    if isinstance(hosts, str) or not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError('%s: hosts must be a list of host names, got %r' % (what, hosts))
    return len(set(hosts))


def sum_per_host(per_host, hostvar, what):
    """The sum of a host variable over hosts: {host: value}; a host without it (None or '') is an error."""
    if not isinstance(per_host, dict):
        raise AnsibleFilterError('%s: per_host must be a dictionary of host name to count, got %r' % (what, per_host))
    missing = sorted(host for host, value in per_host.items() if value is None or value == '')
    if missing:
        raise AnsibleFilterError('%s: %s not set on host(s) %s; set it on every host of the group, or give the planned '
                                 'count instead' % (what, hostvar or 'the host variable', ', '.join(missing)))
    return sum(parse_count(per_host[host], '%s: %s of host %s' % (what, hostvar or 'the value', host))
               for host in sorted(per_host))


def describe_source(spec, counted):
    if spec.get('count') is not None:
        return 'planned %s' % counted
    if spec.get('hosts') is not None:
        group = spec.get('group')
        return '%s host%s%s' % (counted, '' if counted == 1 else 's', ' in %s' % group if group else '')
    hosts = len(spec['per_host'])
    return 'sum %s of %s over %s host%s%s' % (counted, spec.get('hostvar') or 'a host variable', hosts,
                                              '' if hosts == 1 else 's', ' in %s' % spec['group'] if spec.get('group') else '')


def _names(name, spec):
    """How messages name the addon and its fields: the role's variable names when a label is given."""
    label = spec.get('label')
    if label:
        return label, lambda field: '%s_%s' % (label, field)
    return 'addons.%s' % name, lambda field: 'addons.%s.%s' % (name, field)


def option_key_of_addon(product, name, spec, what, field):
    """The key of the addon in the ``addons`` option of the modules: its alias, or the given id of an unpublished one."""
    published = PRODUCTS[product]['addons'][name] is not None
    if published:
        if spec.get('addon_id') is not None:
            raise AnsibleFilterError('%s: the addon id of %s is published; remove %s' % (what, name, field('addon_id')))
        return name
    if spec.get('addon_id') is None:
        raise AnsibleFilterError('%s: sizing this addon needs %s. %s' % (
            what, field('addon_id'), UNPUBLISHED_ADDON_ID_HELP % PRODUCTS[product]['name']))
    addon_id = parse_count(spec['addon_id'], field('addon_id'))
    if addon_id < 1:
        raise AnsibleFilterError('%s must be a positive addon id, got %s' % (field('addon_id'), addon_id))
    return '%s' % addon_id


def size_addon(product, name, spec):
    """One addon: its detail dict (see RETURN), or None when the addon has no source."""
    if not isinstance(spec, dict):
        raise AnsibleFilterError('addons.%s must be a dictionary, got %r' % (name, spec))
    what, field = _names(name, spec)
    unknown = sorted(set(spec) - ADDON_FIELDS)
    if unknown:
        raise AnsibleFilterError('%s: unknown field(s) %s; known: %s' % (what, ', '.join(unknown), ', '.join(sorted(ADDON_FIELDS))))
    sources = [source for source in SOURCE_FIELDS if spec.get(source) is not None]
    if spec.get('group') is not None and 'hosts' not in sources and 'per_host' not in sources:
        # A group name whose host list the caller looked up and did not find.
        sources.append('hosts')
    if not sources:
        return None
    if len(sources) > 1:
        raise AnsibleFilterError('%s: give one source for the count, not %s' % (what, ' and '.join(sources)))
    key = option_key_of_addon(product, name, spec, what, field)

    if sources[0] == 'count':
        counted = parse_count(spec['count'], what)
    elif sources[0] == 'hosts':
        counted = count_hosts(spec.get('hosts'), spec.get('group'), what)
    else:
        counted = sum_per_host(spec['per_host'], spec.get('hostvar'), what)
    percent = parse_percent(spec.get('headroom_percent'), field('headroom_percent'))
    step = parse_step(spec.get('step'), field('step'))
    minimum = parse_optional_count(spec.get('min'), field('min'))
    maximum = parse_optional_count(spec.get('max'), field('max'))
    if minimum is not None and maximum is not None and minimum > maximum:
        raise AnsibleFilterError('%s (%s) is above %s (%s); lower the minimum or raise the maximum'
                                 % (field('min'), minimum, field('max'), maximum))
    sized, notes = size_count(counted, percent, step, minimum, maximum)
    return {'addon': name, 'key': key, 'source': describe_source(spec, counted), 'counted': counted, 'sized': sized,
            'notes': notes}


def plan_sizing(request):
    """The addon counts a license should have; see DOCUMENTATION."""
    if not isinstance(request, dict):
        raise AnsibleFilterError('panel_license_sizing expects a dictionary with product and addons, got %r' % (request,))
    unknown = sorted(set(request) - REQUEST_FIELDS)
    if unknown:
        raise AnsibleFilterError('panel_license_sizing: unknown field(s) %s; known: addons, product' % ', '.join(unknown))
    product = request.get('product')
    if product not in PRODUCTS:
        raise AnsibleFilterError('product must be one of %s, got %r' % (', '.join(sorted(PRODUCTS)), product))
    addons = request.get('addons')
    addons = {} if addons is None else addons
    if not isinstance(addons, dict):
        raise AnsibleFilterError('addons must be a dictionary of addon name to sizing, got %r' % (addons,))
    known = PRODUCTS[product]['addons']
    wrong = sorted('%s' % name for name in addons if name not in known)
    if wrong:
        raise AnsibleFilterError('%s cannot size the addon(s) %s; it sizes %s' % (product, ', '.join(wrong), ', '.join(sorted(known))))
    result = {'product': product, 'addons': {}, 'details': []}
    for name in sorted(addons):
        detail = size_addon(product, name, addons[name])
        if detail is not None:
            result['addons'][detail['key']] = detail['sized']
            result['details'].append(detail)
    return result


class FilterModule(object):
    """The sizing filter of the panel_license role."""

    def filters(self):
        return {'panel_license_sizing': plan_sizing}
