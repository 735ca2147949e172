# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module of this collection shares: auth options, client set-up, error reporting."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient, DEFAULT_API_URL
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import COMMENT_LENGTH_LIMITS
from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import DEFAULT_CONFIRM_TIMEOUT, UNKNOWN
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import DEFAULT_WAIT_TIMEOUT
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


# Options of the modules that write (doc fragment ispsystem.billmanager.api.writes).
WRITE_ARGUMENT_SPEC = dict(
    confirm_timeout=dict(type='int', default=DEFAULT_CONFIRM_TIMEOUT, fallback=(env_fallback, ['BILLMGR_CONFIRM_TIMEOUT'])),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=DEFAULT_WAIT_TIMEOUT),
    comment_length_limits=dict(type='list', elements='int', default=list(COMMENT_LENGTH_LIMITS)),
)


def argument_spec(writes=False, **module_options):
    """The auth options (plus the write options when ``writes``) and a module's own options."""
    spec = dict(AUTH_ARGUMENT_SPEC)
    if writes:
        spec.update(WRITE_ARGUMENT_SPEC)
    spec.update(module_options)
    return spec


# The lower bounds of integer options, which an argument spec cannot declare (the other option rules are declared
# there: choices, required_one_of, mutually_exclusive).
LOWER_BOUNDS = {'timeout': 1, 'confirm_timeout': 0, 'wait_timeout': 0, 'max_orders': 0, 'max_renewals': 0,
                'min_days_left': 0, 'max_periods': 1}


def check_requirements(module):
    """Fail with missing_required_lib when requests or lxml is not importable."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception='%s' % REQUESTS_IMPORT_ERROR)
    if not HAS_LXML:
        module.fail_json(msg=missing_required_lib('lxml'), exception='%s' % LXML_IMPORT_ERROR)


def check_options(params):
    """Raise InvalidOptionError for an option the argument spec cannot check: a number below its lower bound, a
    ``ca_path`` that does not exist."""
    for name, lowest in sorted(LOWER_BOUNDS.items()):
        if params.get(name) is not None and params[name] < lowest:
            raise InvalidOptionError('%s must be >= %d, got %s' % (name, lowest, params[name]))
    for limit in params.get('comment_length_limits') or []:
        if limit < 1:
            raise InvalidOptionError('comment_length_limits: each limit must be >= 1, got %s' % limit)
    ca_path = params.get('ca_path')
    if ca_path and not os.path.exists(ca_path):
        raise InvalidOptionError('ca_path: %s does not exist; set it to a PEM file (or a directory) of the CA '
                                 'certificates that signed the certificate of api_url' % ca_path)


def client_from_module(module, transport=None):
    """The client for a module's auth options; the task fails here, before any request, when an option is out of
    range (``check_options``) or a library is missing."""
    check_requirements(module)
    params = module.params
    try:
        check_options(params)
    except InvalidOptionError as exc:
        module.fail_json(msg='%s' % exc)
    if transport is None:
        transport = RequestsTransport(validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                                      use_proxy=params['use_proxy'])
    # An empty api_url (an AWX credential whose URL field was left empty injects BILLMGR_API_URL='') means the default.
    api_url = params['api_url'] or DEFAULT_API_URL
    return BillmgrClient(api_url, params['api_user'], params['api_password'], transport, timeout=params['timeout'])


def fail_from_error(module, client, error, plan=None, **result):
    """Fail the task with a secret-free message for a BillmgrError (or re-raise anything else).

    When ``plan`` sent writes, the failure says so: ``changed`` is true whenever a write may have happened,
    ``calls_sent`` lists each sent call with what it came to, and the message says what to check before rerunning.
    """
    if not isinstance(error, BillmgrError):
        raise error
    details = {}
    for name in ('error_type', 'error_object', 'status'):
        value = getattr(error, name, None)
        if value not in (None, ''):
            details[name] = value
    if details:
        result['api_error'] = details
    msg = describe_error(client, error)
    if plan is not None and plan.outcomes:
        result['calls_sent'] = plan.sent_report()
        result['calls_completed'] = plan.completed
        if plan.may_have_written:
            result['changed'] = True
            msg = with_writes_note(msg, plan, result)
    module.fail_json(msg=msg, **result)


def describe_error(client, error):
    """The message of an error, withheld whole if it holds the password in any form."""
    return client.redact(error)


def with_writes_note(msg, plan, result):
    """``msg`` (a sentence) followed by ``writes_note``, which leaves out its advice when ``msg`` already gives it."""
    msg = msg.rstrip()
    if not msg.endswith(('.', ':', ';')):
        msg += '.'
    return '%s %s' % (msg, writes_note(plan, result, advise='before rerunning' not in msg))


def writes_note(plan, result, advise=True):
    """What a failed run sent before it failed, and (``advise``) what to check before rerunning."""
    sent = ', '.join('%s (%s)' % (call['func'], 'outcome unknown' if call['outcome'] == UNKNOWN else call['outcome'])
                     for call in plan.sent_report())
    known = ', '.join('%s %s' % (name.replace('_', ' '), result[name]) for name in ('order_id', 'license_id')
                      if result.get(name) is not None)
    note = 'Sent before the failure: %s%s.' % (sent, '; %s' % known if known else '')
    if any(call['outcome'] == UNKNOWN for call in plan.sent_report()):
        note += ' A call whose outcome is unknown may still be completed by the server.'
    if not advise:
        return note
    return note + (' Check the license in the account (isp_license_info) before rerunning; a rerun reads the state '
                   'first and repeats only what it does not find done.')
