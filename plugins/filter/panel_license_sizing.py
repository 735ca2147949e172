# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Addon sizing and the summary line of the ``panel_license`` role, as pure functions.

``panel_license_sizing`` turns counts from the inventory (hosts of a group, a host variable summed over
a group, or an explicit number) into the addon counts a license should have: headroom, rounding up to
a step, minimum and maximum, and never below the current values unless shrinking is allowed.
``panel_license_summary`` writes one readable line about what a run found and did.
Their documentation is in panel_license_sizing.yml and panel_license_summary.yml beside this file.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from fractions import Fraction

from ansible.errors import AnsibleFilterError

# The addons each product can size, and the key of each in the addons dict of isp_license.
# None: the addon id is not published and comes from the request (``addon_id``).
SIZABLE_ADDONS = {
    'vmmanager6': {'nodes': 'nodes', 'vms': 'vms'},
    'dcimanager6': {'units': None},
}
# Published addon ids, to name the fields of a platform.edit call in the summary.
ADDON_ALIASES = {'55165': 'nodes', '55164': 'vms'}

SOURCE_FIELDS = ('count', 'hosts', 'per_host')
ADDON_FIELDS = frozenset(SOURCE_FIELDS + ('label', 'group', 'hostvar', 'headroom_percent', 'step', 'min', 'max',
                                          'addon_id'))
REQUEST_FIELDS = frozenset(['product', 'addons'])
DCI_ADDON_ID_HELP = ('DCImanager 6 addon ids are not published: set it to the numeric id of the addon that counts the '
                     'managed units of your DCImanager 6 license (the addon_NNNNN field of the license in BILLmanager, '
                     'or ask ISPsystem), or do not size that addon')


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
    total = 0
    missing = sorted(host for host, value in per_host.items() if value is None or value == '')
    if missing:
        raise AnsibleFilterError('%s: %s not set on host(s) %s; set it on every host of the group, or give the planned '
                                 'count instead' % (what, hostvar or 'the host variable', ', '.join(missing)))
    for host in sorted(per_host):
        total += parse_count(per_host[host], '%s: %s of host %s' % (what, hostvar or 'the value', host))
    return total


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


def size_addon(product, name, spec, current, allow_shrink):
    """One addon: (key in the license addons dict, its detail dict) or None when the addon is not sized."""
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
    key = SIZABLE_ADDONS[product][name]
    if key is None:
        if spec.get('addon_id') is None:
            raise AnsibleFilterError('%s: sizing this addon needs %s. %s' % (what, field('addon_id'), DCI_ADDON_ID_HELP))
        addon_id = parse_count(spec['addon_id'], field('addon_id'))
        if addon_id < 1:
            raise AnsibleFilterError('%s must be a positive addon id, got %s' % (field('addon_id'), addon_id))
        key = '%s' % addon_id
    elif spec.get('addon_id') is not None:
        raise AnsibleFilterError('%s: the addon id of %s is published; remove %s' % (what, name, field('addon_id')))

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
    wanted = sized
    if current is not None and sized < current:
        if allow_shrink:
            notes.append('shrinks from %s' % current)
        else:
            notes.append('kept at the current %s (no shrinking unless allow_shrink)' % current)
            wanted = current
    return key, {
        'addon': name,
        'key': key,
        'source': describe_source(spec, counted),
        'counted': counted,
        'sized': sized,
        'current': current,
        'wanted': wanted,
        'notes': notes,
    }


def _current_addons(current):
    if current is None:
        return {}
    if not isinstance(current, dict):
        raise AnsibleFilterError('current must be the addons dictionary of the license (or none), got %r' % (current,))
    values = {}
    for key, value in current.items():
        values['%s' % key] = None if value is None else parse_count(value, 'current addon %s' % key)
    return values


def plan_sizing(request, current=None, allow_shrink=False):
    """The addon counts a license should have; see panel_license_sizing.yml."""
    if not isinstance(request, dict):
        raise AnsibleFilterError('panel_license_sizing expects a dictionary with product and addons, got %r' % (request,))
    unknown = sorted(set(request) - REQUEST_FIELDS)
    if unknown:
        raise AnsibleFilterError('panel_license_sizing: unknown field(s) %s; known: addons, product' % ', '.join(unknown))
    product = request.get('product')
    if product not in SIZABLE_ADDONS:
        raise AnsibleFilterError('product must be one of %s, got %r' % (', '.join(sorted(SIZABLE_ADDONS)), product))
    if not isinstance(allow_shrink, bool):
        raise AnsibleFilterError('allow_shrink must be true or false, got %r' % (allow_shrink,))
    addons = request.get('addons')
    addons = {} if addons is None else addons
    if not isinstance(addons, dict):
        raise AnsibleFilterError('addons must be a dictionary of addon name to sizing, got %r' % (addons,))
    known = SIZABLE_ADDONS[product]
    wrong = sorted('%s' % name for name in addons if name not in known)
    if wrong:
        raise AnsibleFilterError('%s cannot size the addon(s) %s; it sizes %s' % (product, ', '.join(wrong), ', '.join(sorted(known))))
    have = _current_addons(current)
    result = {'product': product, 'addons': {}, 'details': []}
    for name in sorted(addons):
        key = known[name]
        spec = addons[name]
        now = have.get(key) if key is not None else None
        if key is None and isinstance(spec, dict) and spec.get('addon_id') is not None:
            now = have.get('%s' % spec['addon_id'])
        sized = size_addon(product, name, spec, now, allow_shrink)
        if sized is None:
            continue
        key, detail = sized
        result['addons'][key] = detail['wanted']
        result['details'].append(detail)
    return result


def _addon_name(field, product, names=None):
    addon_id = field[len('addon_'):]
    if product == 'vmmanager6' and addon_id in ADDON_ALIASES:
        return ADDON_ALIASES[addon_id]
    return (names or {}).get(addon_id, addon_id)


def describe_calls(calls, before=None, product=None, names=None):
    """Short words for the write calls of a run: ordered, nodes 3->4, suspended, renewed 1 period ...

    ``names`` maps addon ids (strings) to the names to show, such as {'55171': 'units'}.
    """
    words = []
    names = dict(('%s' % key, value) for key, value in (names or {}).items())
    old = dict((names.get(key, key), value) for key, value in ((before or {}).get('addons') or {}).items())
    renewals = 0
    for call in calls or []:
        func = call.get('func')
        params = call.get('params') or {}
        if func == 'platform.order.param':
            words.append('ordered')
        elif func == 'platform.edit':
            changed = sorted((_addon_name(field, product, names), params[field]) for field in params if field.startswith('addon_'))
            words.extend('%s %s->%s' % (name, old.get(name, '?'), value) for name, value in changed)
            if 'comment' in params:
                words.append('comment set to %r' % params['comment'])
        elif func == 'service.prolong':
            renewals += 1
        elif func in ('platform.suspend', 'platform.resume', 'platform.delete'):
            words.append({'platform.suspend': 'suspended', 'platform.resume': 'resumed', 'platform.delete': 'deleted'}[func])
        else:
            words.append('%s' % func)
    if renewals:
        words.insert(0, 'renewed %s period%s' % (renewals, '' if renewals == 1 else 's'))
    return words


def summary_line(run):
    """One line about one panel host; see panel_license_summary.yml."""
    if not isinstance(run, dict):
        raise AnsibleFilterError('panel_license_summary expects a dictionary, got %r' % (run,))
    lic = run.get('license')
    before = run.get('before')
    product = (lic or before or {}).get('product') or run.get('product')
    names = run.get('addon_names') or {}
    if not isinstance(names, dict):
        raise AnsibleFilterError('addon_names must be a dictionary of addon id to name, got %r' % (names,))
    names = dict(('%s' % key, value) for key, value in names.items())
    if lic:
        addons = dict((names.get(key, key), value) for key, value in (lic.get('addons') or {}).items())
        addon_text = ' '.join('%s=%s' % (name, addons[name]) for name in sorted(addons)) or 'no addons shown'
        if lic.get('expiredate'):
            expiry = 'expires %s (%s days left)' % (lic['expiredate'], lic.get('days_left'))
        else:
            expiry = 'expiry not known yet'
        head = 'license %s %s %s, %s, %s' % ('(new)' if lic.get('id') is None else lic['id'], product or lic.get('pricelist'),
                                             lic.get('status'), addon_text, expiry)
    elif before and before.get('status') == 'deleted':
        head = 'license %s %s deleted' % (before.get('id'), product)
    else:
        head = 'no license'
    changes = describe_calls(run.get('calls'), before, product, names)
    if run.get('fact'):
        changes.append(run['fact'])
    if not changes:
        tail = 'no change'
    elif run.get('check_mode'):
        tail = 'would change: %s (check mode, nothing written)' % ', '.join(changes)
    else:
        tail = 'changed: %s' % ', '.join(changes)
    notes = [note for note in run.get('notes') or [] if note]
    if notes:
        tail = '%s; note: %s' % (tail, '; '.join(notes))
    return '%s: %s; %s' % (run.get('host') or '?', head, tail)


def panel_license_sizing(request, current=None, allow_shrink=False):
    return plan_sizing(request, current, allow_shrink)


def panel_license_summary(run):
    return summary_line(run)


class FilterModule(object):
    """Sizing filters of the panel_license role."""

    def filters(self):
        return {
            'panel_license_sizing': panel_license_sizing,
            'panel_license_summary': panel_license_summary,
        }
