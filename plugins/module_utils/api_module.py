# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module of this collection shares: auth options, client set-up, error reporting."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient, DEFAULT_API_URL, url_passwords
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import check_lower_bounds
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError, InvalidOptionError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.failures import Failure
from ansible_collections.ispsystem.billmanager.plugins.module_utils.money import parse_max_spend
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import HttpTransport
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import HAS_LXML, LXML_IMPORT_ERROR


def check_requirements(module):
    """Fail with missing_required_lib when lxml is not importable (HTTP needs nothing beyond Python's own library)."""
    if not HAS_LXML:
        module.fail_json(msg=missing_required_lib('lxml'), exception='%s' % LXML_IMPORT_ERROR)


def check_options(params):
    """Raise InvalidOptionError for an option the argument spec cannot check: a number below its lower bound, a
    ``ca_path`` that does not exist."""
    check_lower_bounds(params, '', lambda message, name: InvalidOptionError(message, [name]))
    for limit in params.get('comment_length_limits') or []:
        if limit < 1:
            raise InvalidOptionError('comment_length_limits: each limit must be >= 1, got %s' % limit,
                                     ['comment_length_limits'])
    if params.get('max_spend') is not None:
        parse_max_spend(params['max_spend'])
    ca_path = params.get('ca_path')
    if ca_path and not os.path.exists(ca_path):
        raise InvalidOptionError('ca_path: %s does not exist; set it to a PEM file (or a directory) of the CA '
                                 'certificates that signed the certificate of api_url' % ca_path, ['ca_path'])


def client_from_module(module, transport=None):
    """The client for a module's auth options; the task fails here, before any request, when an option is out of
    range (``check_options``) or a library is missing. A password written into ``api_url`` is masked in the task's
    result from here on, as ``api_password`` is (Ansible echoes ``api_url`` in ``invocation``)."""
    params = module.params
    module.no_log_values.update(url_passwords(params['api_url'] or ''))
    check_requirements(module)
    try:
        check_options(params)
    except InvalidOptionError as exc:
        module.fail_json(msg='%s' % exc, failure=Failure(exc).as_dict(str))
    if transport is None:
        transport = HttpTransport(validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                                  use_proxy=params['use_proxy'])
    # An empty api_url (an AWX credential whose URL field was left empty injects BILLMGR_API_URL='') means the default.
    api_url = params['api_url'] or DEFAULT_API_URL
    return BillmgrClient(api_url, params['api_user'], params['api_password'], transport, timeout=params['timeout'])


def fail_from_error(module, client, error, plan=None, failure_of=None, epilogue=None, **result):
    """Fail the task with the failure of a BillmgrError (re-raise anything else), rendered once (see failures.py).

    ``failure`` in the result holds it as data. When ``plan`` sent writes, ``calls_sent`` lists each sent call with what
    it came to, ``calls_completed`` how many took effect, and ``changed`` is true whenever a write may have happened.
    ``failure_of``: the Failure when the caller built it (a fleet: the failure of one license, whose calls are in its
    result); ``epilogue``: a sentence to end the message with.
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
    failure = failure_of or Failure(error, plan, new_ids=result)
    if plan is not None and plan.outcomes:
        result['calls_sent'] = plan.sent_report()
        result['calls_completed'] = plan.completed
        if plan.may_have_written:
            result['changed'] = True
    result['failure'] = failure.as_dict(client.redact)
    message = failure.render(client.redact)
    module.fail_json(msg='%s %s' % (message, epilogue) if epilogue else message, **result)
