# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of the modules, declared once: pieces that the argument specs of the four modules merge.

A piece is an ``OptionSpec``: options plus the rules Ansible can declare between them (``mutually_exclusive``,
``required_one_of``). What a spec cannot say (lower bounds, dates, the comment rule) is checked in code, once:
``catalogue.check_lower_bounds``, ``reconcile.check_wanted``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import (
    AUTOPROLONG_CHOICES, DEFAULT_AUTOPROLONG, DEFAULT_MAX_PERIODS, DEFAULT_PERIOD, DEFAULT_WANTED_STATE, PERIOD_CHOICES,
    PRODUCT_NAMES, RENEWAL_PERIODS, WANTED_STATES,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import DEFAULT_API_URL
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import COMMENT_LENGTH_LIMITS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import DEFAULT_CONFIRM_TIMEOUT
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import DEFAULT_WAIT_TIMEOUT


class OptionSpec:
    """Options and the rules between them; ``merge`` joins pieces, ``module_kwargs`` hands them to AnsibleModule."""

    def __init__(self, options=None, mutually_exclusive=(), required_one_of=()):
        self.options = dict(options or {})
        self.mutually_exclusive = list(mutually_exclusive)
        self.required_one_of = list(required_one_of)

    def merge(self, *others):
        merged = OptionSpec(self.options, self.mutually_exclusive, self.required_one_of)
        for other in others:
            merged.options.update(other.options)
            merged.mutually_exclusive.extend(other.mutually_exclusive)
            merged.required_one_of.extend(other.required_one_of)
        return merged

    def module_kwargs(self):
        return dict(argument_spec=self.options, mutually_exclusive=self.mutually_exclusive,
                    required_one_of=self.required_one_of, supports_check_mode=True)

    def nested(self, **kind):
        """The spec of an option that holds these options (``type='dict'``, or ``type='list', elements='dict'``)."""
        return dict(kind, options=self.options, mutually_exclusive=self.mutually_exclusive,
                    required_one_of=self.required_one_of)


# Connection options of every module (doc fragment ispsystem.billmanager.api), each with an environment fallback.
CONNECTION = OptionSpec(dict(
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['BILLMGR_API_URL'])),
    api_user=dict(type='str', required=True, fallback=(env_fallback, ['BILLMGR_API_USER'])),
    api_password=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['BILLMGR_API_PASSWORD'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['BILLMGR_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['BILLMGR_CA_PATH'])),
    timeout=dict(type='int', default=30, fallback=(env_fallback, ['BILLMGR_TIMEOUT'])),
    use_proxy=dict(type='bool', default=True, fallback=(env_fallback, ['BILLMGR_USE_PROXY'])),
))

# Options of the modules that write (doc fragment ispsystem.billmanager.api.writes).
WRITES = OptionSpec(dict(
    confirm_timeout=dict(type='int', default=DEFAULT_CONFIRM_TIMEOUT, fallback=(env_fallback, ['BILLMGR_CONFIRM_TIMEOUT'])),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
    comment_length_limits=dict(type='list', elements='int', default=list(COMMENT_LENGTH_LIMITS)),
))

# The money limit of a run that writes (isp_license, isp_license_prolong, isp_licenses): "50 EUR".
MONEY = OptionSpec(dict(max_spend=dict(type='str')))

# Which license: by id, or by comment within a product (or a pricelist).
IDENTITY = OptionSpec(dict(
    id=dict(type='int'),
    comment=dict(type='str'),
    product=dict(type='str', choices=PRODUCT_NAMES),
    pricelist=dict(type='int'),
), mutually_exclusive=[('product', 'pricelist')], required_one_of=[('id', 'comment')])

# The product filter of a read (isp_license_info): identity without the rule that one of id or comment is given.
FILTER = OptionSpec(IDENTITY.options, mutually_exclusive=IDENTITY.mutually_exclusive)

# What a license should be: its addons, state, and how a new one is ordered.
LICENSE_STATE = OptionSpec(dict(
    addons=dict(type='dict'),
    period=dict(type='str', choices=PERIOD_CHOICES, default=DEFAULT_PERIOD),
    autoprolong=dict(type='str', choices=AUTOPROLONG_CHOICES, default=DEFAULT_AUTOPROLONG),
    state=dict(type='str', choices=WANTED_STATES, default=DEFAULT_WANTED_STATE),
))

# A renewal target: renew while fewer than min_days_left days are left, or until a date; at most max_periods a run.
RENEWAL_TARGET = OptionSpec(dict(
    min_days_left=dict(type='int'),
    until=dict(type='str', aliases=['renew_until']),
    max_periods=dict(type='int', default=DEFAULT_MAX_PERIODS),
), mutually_exclusive=[('min_days_left', 'until')])


def renewal_period(default=None):
    """The ``period`` of a renewal (months): isp_license_prolong defaults to 1, a fleet's ``renew`` to the license's."""
    return dict(type='int', choices=list(RENEWAL_PERIODS), default=default)
