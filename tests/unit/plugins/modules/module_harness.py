# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a module's ``main()`` against a scripted FakeTransport, for the module tests of the writing modules.

``ModuleRun(monkeypatch, module, script)`` patches AnsibleModule so that ``exit_json`` / ``fail_json``
raise with the result (the raw result, before Ansible's own no_log masking, so a leaked secret shows),
records ``module.warn()`` into the result's ``warnings`` as Ansible does, hands the module the scripted
transport, and makes the local UTC date 1999-01-01 so that any use of it instead of the server's date
(the ``Date`` header of the answers, 2026-11-27) shows.

The XML builders answer like the emulator: ``read_one`` is ``platform.edit`` without ``sok``, ``list_page``
the first (and only) page of ``func=platform``.
"""

from __future__ import annotations

import contextlib
import datetime
import json

from xml.sax.saxutils import quoteattr

import pytest

from ansible.module_utils import basic

from ansible_collections.ispsystem.billmanager.plugins.module_utils import api_module, license_reads
from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    FakeClock, FakeTransport, cells, doc, expect, list_doc, unpriced_form,
)

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    @contextlib.contextmanager
    def patch_module_args(args=None):
        encoded = json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode('utf-8')
        saved = basic._ANSIBLE_ARGS  # pylint: disable=protected-access
        basic._ANSIBLE_ARGS = encoded  # pylint: disable=protected-access
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved  # pylint: disable=protected-access

URL = 'https://billmgr.example.test/manager/billmgr'
USER = 'demo'
PASSWORD = 'demo-secret'
AUTH = {'api_url': URL, 'api_user': USER, 'api_password': PASSWORD}
TODAY = datetime.date(2026, 11, 27)
DATE = {'Date': 'Fri, 27 Nov 2026 10:00:00 GMT'}
LOCAL_DATE = datetime.date(1999, 1, 1)
FIRST_PAGE = {'p_cnt': 500, 'p_num': 1}
CREATEDATE = '2026-10-01'
PRODUCT_NAMES = {55163: 'VMmanager 6', 55161: 'DCImanager 6'}
STATUS_TEXT = {1: 'Ordered', 2: 'Active', 3: 'Suspended', 4: 'Deleted', 5: 'Processing'}
ENV_NAMES = ('BILLMGR_API_URL', 'BILLMGR_API_USER', 'BILLMGR_API_PASSWORD', 'BILLMGR_VALIDATE_CERTS', 'BILLMGR_CA_PATH',
             'BILLMGR_TIMEOUT')


class ModuleExit(Exception):
    """exit_json was called; ``result`` is what the module returned."""

    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


class ModuleFail(ModuleExit):
    """fail_json was called."""


class ModuleRun:
    """Runs of one module against one scripted conversation (the script spans every run of a test)."""

    def __init__(self, monkeypatch, module, script, authinfo='%s:%s' % (USER, PASSWORD)):
        self.module = module
        self.clock = FakeClock()  # the client's sleeps (retries, reading again after a lost answer) only move it
        # Price forms that a test does not script are answered without a price (amounts unknown): see FakeTransport.
        self.transport = FakeTransport(script, url=URL, authinfo=authinfo, clock=self.clock, price_forms=unpriced_form)
        self.results = []
        self.warnings = []
        self.created = []  # the keyword arguments each transport was built with (validate_certs, ca_path)
        run = self

        def exit_json(self, **kwargs):  # pylint: disable=unused-argument
            raise ModuleExit(run.finish(kwargs))

        def fail_json(self, msg, **kwargs):  # pylint: disable=unused-argument
            kwargs['msg'] = msg
            kwargs['failed'] = True
            raise ModuleFail(run.finish(kwargs))

        def warn(self, warning, **kwargs):  # pylint: disable=unused-argument
            run.warnings.append(warning)

        monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
        monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
        monkeypatch.setattr(basic.AnsibleModule, 'warn', warn)
        monkeypatch.setattr(api_module, 'HttpTransport', self._transport_factory)
        monkeypatch.setattr(api_module, 'BillmgrClient', self._client_factory)
        monkeypatch.setattr(license_reads, 'utc_today', lambda: LOCAL_DATE)
        for name in ENV_NAMES:
            monkeypatch.delenv(name, raising=False)

    def _transport_factory(self, **kwargs):
        self.created.append(kwargs)
        return self.transport

    def _client_factory(self, *args, **kwargs):
        return BillmgrClient(*args, sleep=self.clock.sleep, monotonic=self.clock.monotonic, **kwargs)

    def finish(self, kwargs):
        result = dict(kwargs)
        if self.warnings:
            result['warnings'] = list(self.warnings)
        return result

    def __call__(self, args, fails=False, check_mode=False, diff=False):
        """Run ``main()`` once; the result, after checking that it succeeded (or failed, with ``fails``)."""
        args = dict(args)
        if self.module.__name__.endswith('.isp_licenses'):
            # A scripted conversation is one sequence: reads ahead in threads would come in any order.
            args.setdefault('read_concurrency', 1)
        if check_mode:
            args['_ansible_check_mode'] = True
        if diff:
            args['_ansible_diff'] = True
        self.warnings = []
        with patch_module_args(args):
            with pytest.raises(ModuleExit) as info:
                self.module.main()
        expected = ModuleFail if fails else ModuleExit
        assert info.value.__class__ is expected, info.value.result
        self.results.append(info.value.result)
        return info.value.result

    def count(self, func):
        """How many requests of ``func`` were sent (over every run)."""
        return self.transport.funcs.count(func)


def license_fields(license_id, status=2, expiredate='2026-12-01', comment='', pricelist=55163, period=1,
                   createdate=CREATEDATE, autoprolong=None):
    return dict(id=license_id, pricelist=pricelist, period=period, createdate=createdate, expiredate=expiredate,
                autoprolong=autoprolong, status=status, comment=comment or None, cost='25.00 EUR')


def license_doc(license_id, addons=None, orig=None, extra='', **fields):
    """The answer of ``platform.edit`` without ``sok``: the license's fields and its addons.

    ``orig``: an ``item_status`` with this ``orig`` attribute is added ("5_prolong"); ``extra``: raw XML appended
    (``<special_status>1</special_status>``, ``<real_expiredate>...``).
    """
    inner = cells(elid=license_id, **license_fields(license_id, **fields)) + _item_status(orig, fields.get('status', 2))
    inner += cells(**dict(('addon_%s' % addon_id, count) for addon_id, count in sorted((addons or {}).items())))
    return doc(inner + extra + cells(lickey='LICKEY-%s' % license_id), func='platform.edit')


def _item_status(orig, status):
    if orig is None:
        return ''
    return '<item_status orig=%s>%s</item_status>' % (quoteattr(orig), STATUS_TEXT.get(status, 'Processing'))


def license_row(license_id, orig=None, extra='', **fields):
    """One list row as the emulator writes it: the tariff by name, a status text twin (with ``orig``: that
    attribute on it), no addons; ``extra``: raw XML appended to the row."""
    values = license_fields(license_id, **fields)
    values['pricelist'] = PRODUCT_NAMES.get(values['pricelist'], values['pricelist'])
    if orig is None:
        values['item_status'] = STATUS_TEXT[values['status']]
    return '<elem>%s%s%s</elem>' % (cells(**values), _item_status(orig, values['status']), extra)


def read_one(license_id, headers=None, **fields):
    """A step: the read of one license by id, answered with ``license_doc`` (and the ``DATE`` header by default)."""
    return expect('platform.edit', {'elid': license_id}).answer(license_doc(license_id, **fields), headers=headers or DATE)


def list_page(*rows, **kwargs):
    """A step: the list read (first page), answered with these rows (``headers=`` as for ``read_one``).

    The rows are those of the emulator: no comment cell when the comment is empty, so such a live row of the
    product looked up by comment is read on its own (``read_one``) by the module.
    """
    body = list_doc(list(rows), p_elems=len(rows), p_cnt=FIRST_PAGE['p_cnt'], p_num=FIRST_PAGE['p_num'])
    return expect('platform', FIRST_PAGE).answer(body, headers=kwargs.get('headers') or DATE)


def serialized(result):
    """The whole result as the JSON a controller would receive."""
    return json.dumps(result, sort_keys=True, default=str)
