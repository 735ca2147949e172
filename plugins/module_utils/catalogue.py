# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one product catalogue: products, pricelists, addons, statuses, periods.

Modules, filters, the role (through them) and the documentation tests all read these tables;
nothing else in the collection spells a pricelist, an addon id or a status name.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import re

# product -> pricelist, display name, and the addons it sizes: alias -> addon id (None: the id is not published,
# the user gives it as a number).
# 'sizing': how the role panel_license sizes each addon (alias -> ROLE_SIZING_FIELDS), read through the filter
# license_catalogue. Adding an addon is one edit of its product's row: its id in 'addons', its sizing here (then the
# role's defaults, argument spec and README: see CONTRIBUTING.md).
PRODUCTS = {
    'vmmanager6': {'pricelist': 55163, 'name': 'VMmanager 6', 'addons': {'nodes': 55165, 'vms': 55164},
                   'sizing': {'nodes': {'stem': 'nodes', 'group_gives': 'hosts', 'what': 'cluster nodes'},
                              'vms': {'stem': 'vms', 'group_gives': 'hostvar', 'group_default': 'nodes',
                                      'what': 'virtual machines'}}},
    'dcimanager6': {'pricelist': 55161, 'name': 'DCImanager 6', 'addons': {'units': None},
                    'sizing': {'units': {'stem': 'dci_units', 'group_gives': 'hosts', 'what': 'units (managed servers)'}}},
}
# The sizing of an addon in the role panel_license: 'stem' names its variables (panel_license_<stem> the planned count,
# panel_license_<stem>_group, _headroom_percent, _step, _min, _max; _addon_id when the addon id is not published);
# 'group_gives' what the hosts of its group give: 'hosts' (the count is how many there are) or 'hostvar' (the count is
# panel_license_<stem>_hostvar summed over them); 'group_default' the addon whose group is used when its own is not
# set; 'what' the things it counts, for messages and documentation.
ROLE_SIZING_FIELDS = ('stem', 'group_gives', 'group_default', 'what')
ROLE_SIZING_GROUP_GIVES = ('hosts', 'hostvar')
PRODUCT_NAMES = list(PRODUCTS)
PRICELIST_TO_PRODUCT = dict((spec['pricelist'], name) for name, spec in PRODUCTS.items())

STATUS_CODES = {1: 'ordered', 2: 'active', 3: 'suspended', 4: 'deleted', 5: 'processing'}
STATUS_NAMES = dict((name, code) for code, name in STATUS_CODES.items())
STATUS_CHOICES = [STATUS_CODES[code] for code in sorted(STATUS_CODES)]
# Statuses in which a license exists and can be written to ("live"); deleted licenses never match an identity.
LIVE_STATUSES = frozenset(['ordered', 'active', 'suspended', 'processing'])
# Why a license is suspended, as the named sub-state of status 3 in ``orig`` ("3_autosuspend") says it. Anything else
# named there is a reason this collection does not know: a license suspended for it is not renewed or resumed.
SUSPENDED_FOR_NONPAYMENT = frozenset(['autosuspend'])  # by the provider, unpaid/expired: a renewal reactivates it
SUSPENDED_BY_STAFF = frozenset(['employeesuspend', 'abusesuspend'])  # the owner can neither resume nor reactivate it
SUSPENDED_BY_OWNER = frozenset(['usersuspend'])  # platform.suspend: a renewal does not reactivate it
# Display texts a status cell may hold instead of the code, in English and Russian (the answer's language follows
# the account unless lang=en is sent; the client sends it). Compared lower-case, letters only. Used last: a code
# from ``status``, a numeric ``item_status`` or the ``orig`` attribute always wins.
STATUS_TEXTS = {
    'ordered': 1, 'open': 1, 'заказана': 1, 'заказан': 1, 'заказано': 1,
    'active': 2, 'активна': 2, 'активен': 2, 'активно': 2,
    'suspended': 3, 'stopped': 3, 'остановлена': 3, 'остановлен': 3, 'приостановлена': 3, 'приостановлен': 3,
    'deleted': 4, 'удалена': 4, 'удален': 4, 'удалён': 4, 'удалено': 4,
    'processing': 5, 'inprogress': 5, 'обрабатывается': 5, 'вобработке': 5,
}

# What the modules can be told a license should be (option state), and the default.
WANTED_STATES = ['present', 'active', 'suspended', 'absent']
DEFAULT_WANTED_STATE = 'present'
# Statuses in which a license is not active yet, but will be without anything being written (a wait waits for them).
NOT_YET_ACTIVE = frozenset(['ordered', 'processing'])
KNOWN_STATUSES = frozenset(STATUS_NAMES)

# Order periods: option value -> the API's period code.
PERIODS = {'1': 1, '12': 12, 'trial': -100}
PERIOD_NAMES = dict((code, name) for name, code in PERIODS.items())
PERIOD_CHOICES = ['1', '12', 'trial']
DEFAULT_PERIOD = '1'
RENEWAL_PERIODS = (1, 12)
DEFAULT_RENEWAL_PERIOD = 1
AUTOPROLONG_CHOICES = ['1', '12', 'off']
DEFAULT_AUTOPROLONG = 'off'
# How many renewal periods one run may buy for one license unless max_periods says otherwise.
DEFAULT_MAX_PERIODS = 12

# The lower bounds of integer options (the argument specs cannot declare them); a renewal target's keys are checked
# with them too, wherever the target comes from (isp_license_prolong's options, isp_licenses' renew).
LOWER_BOUNDS = {'timeout': 1, 'confirm_timeout': 0, 'wait_timeout': 0, 'max_orders': 0, 'max_renewals': 0,
                'min_days_left': 0, 'max_periods': 1, 'read_concurrency': 1}


def check_lower_bounds(values, prefix, make_error):
    """Raise ``make_error(message, option name)`` for the first of ``values`` below its lower bound; ``prefix`` names
    the option that holds them (``renew.``)."""
    for name, lowest in sorted(LOWER_BOUNDS.items()):
        if values.get(name) is not None and values[name] < lowest:
            shown = '%s: %s' % (prefix.rstrip('.'), name) if prefix else name
            raise make_error('%s must be >= %d, got %s' % (shown, lowest, values[name]), prefix + name)


PRODUCT_REQUIRED = ('product (%s) or pricelist is required when the license is identified by comment'
                    % ', '.join(PRODUCT_NAMES))


def _letters(text):
    return re.sub(r'\W|_', '', text).lower()


PRODUCT_DISPLAY_NAMES = dict((_letters(spec['name']), spec['pricelist']) for spec in PRODUCTS.values())


# A form field of an addon: addon_55165.
ADDON_FIELD = re.compile(r'^addon_(\d+)$')


def addon_field(addon_id):
    """The form field (and read-one cell) of an addon: ``addon_55165``."""
    return 'addon_%s' % addon_id


def addon_id_of_field(name):
    """The addon id of a field named ``addon_N``, or None for any other field."""
    if not name.startswith('addon_'):
        return None
    match = ADDON_FIELD.match(name)
    return int(match.group(1)) if match else None


# What a write call does, by its function: the kind the plans, the fleet summary and the role's report speak of.
CALL_KINDS = {
    'platform.order.param': 'order',
    'service.prolong': 'renewal',
    'platform.edit': 'edit',
    'platform.suspend': 'suspend',
    'platform.resume': 'resume',
    'platform.delete': 'delete',
}
FUNCS = dict((kind, func) for func, kind in CALL_KINDS.items())


def kind_of(func):
    """The kind of a write call's function (``order``, ``renewal`` ...), or the function itself when unknown."""
    return CALL_KINDS.get(func, func)


# Dates: the API and the options write them YYYY-MM-DD.
DATE_FORMAT = '%Y-%m-%d'


ISO_DATE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})$')


def parse_iso_date(text):
    """The date of a YYYY-MM-DD text, or None when it is not one (a regular expression: strptime costs ten times
    more, and a fleet parses thousands)."""
    match = ISO_DATE.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None


def days_between(today, isodate):
    """Days from ``today`` to a YYYY-MM-DD text (None when there is none)."""
    day = parse_iso_date(isodate) if isodate else None
    return None if day is None else (day - today).days


def pricelist_of(product, pricelist=None):
    """The pricelist id of a product name, or ``pricelist`` when no product is given."""
    return PRODUCTS[product]['pricelist'] if product else pricelist


def product_label(pricelist):
    """How messages name a pricelist: its product name, or 'pricelist N'."""
    return PRICELIST_TO_PRODUCT.get(pricelist) or 'pricelist %s' % pricelist


def addon_aliases(pricelist):
    """{alias: addon_id} of the published addons of a pricelist (empty when none are published)."""
    product = PRICELIST_TO_PRODUCT.get(pricelist)
    if not product:
        return {}
    return dict((alias, addon_id) for alias, addon_id in PRODUCTS[product]['addons'].items() if addon_id is not None)


def addon_key(pricelist, addon_id):
    """Name under which an addon appears in a license dict: its alias, else its id as a string."""
    for alias, known_id in addon_aliases(pricelist).items():
        if known_id == addon_id:
            return alias
    return '%s' % addon_id


def status_from_text(text):
    """The status code a display text stands for, or None."""
    return STATUS_TEXTS.get(_letters(text)) if text else None


def pricelist_from_name(text):
    """The pricelist id of a known product display name ("VMmanager 6"), or None."""
    return PRODUCT_DISPLAY_NAMES.get(_letters(text)) if text else None
