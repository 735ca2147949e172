# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property (issue 9): whatever the password (printable or not ASCII) and however a server or proxy echoes it
(HTML entities, percent-encoding, ``+`` for spaces, ``\\uXXXX``, nested), no form of it appears anywhere in the
module's result: not in ``msg``, ``calls_sent``, ``calls`` or any other field."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.modules import isp_license
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import error_doc, expect
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.modules.module_harness import (
    AUTH, DATE, FIRST_PAGE, USER, ModuleRun, list_page, serialized,
)
from ansible_collections.ispsystem.billmanager.tests.unit.property_budget import examples

ORDER_ARGS = dict(AUTH, product='vmmanager6', comment='web-new', confirm_timeout=0)
ORDER = {'clicked_button': 'finish', 'sok': 'ok', 'skipbasket': 'on', 'pricelist': 55163, 'period': 1, 'autoprolong': 'null',
         'comment': 'web-new'}
ENCODERS = {
    'html': html.escape,
    'quote': lambda text: quote(text, safe=''),
    'quote_plus': quote_plus,
    'entities': lambda text: ''.join('&#%d;' % ord(char) for char in text),
    'hex_entities': lambda text: ''.join('&#x%x;' % ord(char) for char in text),
    'json': lambda text: ''.join('\\u%04x' % ord(char) if ord(char) < 0x10000 else char for char in text),
}


def forms(password):
    """Every form of the password a reader of the result could decode: plain and each single encoding."""
    found = set([password, json.dumps(password)[1:-1]])
    found.update(encode(password) for encode in ENCODERS.values())
    return found


def strings(value):
    """Every text in a result, keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield '%s' % key
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)
    elif value is not None:
        yield '%s' % value


def leaks(result, password):
    texts = list(strings(result)) + [serialized(result)]
    return sorted(form for form in forms(password) if any(form in text for text in texts))


def echo_script(where, echo):
    """The conversation of one order by comment in which the server (or a proxy) echoes ``echo``."""
    if where == 'api_error':
        return [list_page(), expect('platform.order.param', ORDER).answer(
            error_doc('auth', 'badpassword', 'Invalid password %s for %s' % (echo, USER), value=echo), headers=DATE)]
    if where == 'proxy_page':
        page = '<html><body><form><input name="authinfo" value="%s:%s"></form></body></html>' % (USER, echo)
        return [expect('platform', FIRST_PAGE).answer(page, status=200, headers=dict(DATE, **{'Content-Type': 'text/html'}))]
    # a connection lost while sending the order; the message of the library names the request
    return [list_page(), expect('platform.order.param', ORDER).raises(
        TransportError('connection reset while sending authinfo=%s:%s' % (USER, echo), sent=True)), list_page()]


passwords = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2fff, exclude_categories=('Cs',)),
                    min_size=6, max_size=24).filter(lambda text: text.strip() == text)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(password=passwords, where=st.sampled_from(['api_error', 'proxy_page', 'lost']),
       encodings=st.lists(st.sampled_from(sorted(ENCODERS)), max_size=2))
def test_property_no_form_of_the_password_appears_in_a_result(monkeypatch, password, where, encodings):
    echo = password
    for name in encodings:
        echo = ENCODERS[name](echo)
    # The same run with a password of another shape shows which texts the module writes anyway: a password that is
    # one of them (say "license") cannot be told from it, so such examples say nothing and are skipped.
    baseline = _run(monkeypatch, 'Q7#baseline#Q7', where, 'Q7#baseline#Q7')
    assume(not leaks(baseline, password))
    result = _run(monkeypatch, password, where, echo)
    assert result['failed'] is True
    assert leaks(result, password) == []


def _run(monkeypatch, password, where, echo):
    run = ModuleRun(monkeypatch, isp_license, echo_script(where, echo), authinfo='%s:%s' % (USER, password))
    return run(dict(ORDER_ARGS, api_password=password), fails=True, diff=True)
