# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module of this collection shares: auth options, client set-up, error reporting."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient, DEFAULT_API_URL
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, RequestsTransport,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import HAS_LXML, LXML_IMPORT_ERROR

AUTH_ARGUMENT_SPEC = dict(
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['BILLMGR_API_URL'])),
    api_user=dict(type='str', required=True, fallback=(env_fallback, ['BILLMGR_API_USER'])),
    api_password=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['BILLMGR_API_PASSWORD'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['BILLMGR_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['BILLMGR_CA_PATH'])),
    timeout=dict(type='int', default=30, fallback=(env_fallback, ['BILLMGR_TIMEOUT'])),
    use_proxy=dict(type='bool', default=True, fallback=(env_fallback, ['BILLMGR_USE_PROXY'])),
)


def argument_spec(**module_options):
    """The auth options plus a module's own options."""
    spec = dict(AUTH_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


def check_requirements(module):
    """Fail with missing_required_lib when requests or lxml is not importable."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception='%s' % REQUESTS_IMPORT_ERROR)
    if not HAS_LXML:
        module.fail_json(msg=missing_required_lib('lxml'), exception='%s' % LXML_IMPORT_ERROR)
    if module.params['timeout'] is not None and module.params['timeout'] <= 0:
        module.fail_json(msg='timeout must be a positive number of seconds, got %s' % module.params['timeout'])


def client_from_module(module, transport=None):
    """The client for a module's auth options."""
    check_requirements(module)
    params = module.params
    if transport is None:
        transport = RequestsTransport(validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                                      use_proxy=params['use_proxy'])
    # An empty api_url (an AWX credential whose URL field was left empty injects BILLMGR_API_URL='') means the default.
    api_url = params['api_url'] or DEFAULT_API_URL
    return BillmgrClient(api_url, params['api_user'], params['api_password'], transport, timeout=params['timeout'])


def fail_from_error(module, client, error, **result):
    """Fail the task with a secret-free message for a BillmgrError (or re-raise anything else)."""
    if not isinstance(error, BillmgrError):
        raise error
    details = {}
    for name in ('error_type', 'error_object', 'status'):
        value = getattr(error, name, None)
        if value not in (None, ''):
            details[name] = value
    if details:
        result['api_error'] = details
    module.fail_json(msg=client.redact(error), **result)
