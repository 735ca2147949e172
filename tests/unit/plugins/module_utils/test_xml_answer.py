# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""xml_answer: safe parsing, <error> to typed exceptions, small text helpers."""

from __future__ import annotations

import time

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    AuthError, ExistsError, InsufficientFundsError, InvalidValueError, NotFoundError, RequestFormatError, TransportError,
    UnknownApiError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import (
    EXCERPT_LENGTH, excerpt, parse_answer, raise_for_error, text_of,
)
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    LOGIN_HTML, PROXY_HTML, doc, error_doc, ok_doc,
)


# -- parse_answer ------------------------------------------------------------------------------------

def test_parse_answer_returns_the_doc_with_its_attributes():
    root = parse_answer(doc('<elid>101</elid><comment> web </comment>', func='platform.edit', binary='/manager/billmgr'), 'platform.edit')
    assert root.tag == 'doc'
    assert root.get('func') == 'platform.edit'
    assert root.get('binary') == '/manager/billmgr'
    assert text_of(root, 'comment') == 'web'


def test_parse_answer_accepts_text_without_declaration_and_drops_comments():
    root = parse_answer(b'<doc><!-- note --><?pi x?><ok/></doc>', 'f')
    assert [child.tag for child in root] == ['ok']


def test_parse_answer_keeps_utf8_text():
    root = parse_answer(doc('<comment>\u043a\u043b\u0430\u0441\u0442\u0435\u0440 \u2116 1</comment>'), 'f')
    assert text_of(root, 'comment') == '\u043a\u043b\u0430\u0441\u0442\u0435\u0440 \u2116 1'


@pytest.mark.parametrize('body, fragment', [
    (PROXY_HTML, 'not valid XML'),
    (LOGIN_HTML, 'not valid XML'),
    (b'<html><body>hi</body></html>', 'root element <html> instead of <doc>'),
    (b'<doc><ok></doc', 'not valid XML'),
    (b'<?xml version="1.0"?><doc><elem><id>1</id><comm', 'not valid XML'),
    (b'{"doc": {"ok": {}}}', 'not valid XML'),
    (b'', 'empty answer'),
    (None, 'empty answer'),
])
def test_parse_answer_rejects_what_is_not_a_doc(body, fragment):
    with pytest.raises(TransportError) as info:
        parse_answer(body, 'platform', 502)
    assert fragment in str(info.value)
    assert str(info.value).startswith('BILLmanager platform: ')
    assert 'HTTP 502' in str(info.value)
    assert info.value.status == 502
    assert info.value.func == 'platform'
    assert info.value.sent is True


def test_parse_answer_excerpt_of_html_names_the_page():
    with pytest.raises(TransportError) as info:
        parse_answer(PROXY_HTML, 'platform', 502)
    assert info.value.excerpt.startswith('<html><head><title>502 Bad Gateway</title></head> <body>')


def test_external_entity_is_not_read(tmp_path):
    secret = tmp_path / 'passwd'
    secret.write_text('MARKER-XXE-5521')
    body = ('<?xml version="1.0"?>\n<!DOCTYPE doc [<!ENTITY xxe SYSTEM "file://%s">]>\n'
            '<doc><comment>&xxe;</comment><id>7</id></doc>' % secret).encode()
    root = parse_answer(body, 'platform.edit')
    assert text_of(root, 'comment') == ''
    assert text_of(root, 'id') == '7'
    assert 'MARKER-XXE-5521' not in ''.join(root.itertext())


def test_external_parameter_entity_is_not_loaded(tmp_path):
    dtd = tmp_path / 'evil.dtd'
    dtd.write_text('<!ENTITY leak "MARKER-DTD-9913">')
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY %% remote SYSTEM "file://%s"> %%remote;]>'
            '<doc><comment>&leak;</comment></doc>' % dtd).encode()
    try:
        root = parse_answer(body, 'platform')
    except TransportError as exc:  # an undefined entity may also be refused: either way nothing leaks
        assert 'MARKER-DTD-9913' not in str(exc)
    else:
        assert 'MARKER-DTD-9913' not in ''.join(root.itertext())
        assert text_of(root, 'comment') == ''


def test_external_dtd_is_not_loaded(tmp_path):
    dtd = tmp_path / 'remote.dtd'
    dtd.write_text('<!ENTITY leak "MARKER-SYS-4410"><!ATTLIST doc leak CDATA "MARKER-ATTR-4410">')
    body = ('<?xml version="1.0"?><!DOCTYPE doc SYSTEM "file://%s"><doc><comment>&leak;</comment></doc>' % dtd).encode()
    root = parse_answer(body, 'platform')
    assert root.getroottree().docinfo.externalDTD is None
    assert root.get('leak') is None
    assert 'MARKER-SYS-4410' not in ''.join(root.itertext())


def test_entity_in_an_error_message_is_not_expanded(tmp_path):
    secret = tmp_path / 'secret'
    secret.write_text('MARKER-ERR-1')
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY xxe SYSTEM "file://%s">]>'
            '<doc><error type="value" object="x"><msg>&xxe;</msg></error></doc>' % secret).encode()
    root = parse_answer(body, 'f')
    with pytest.raises(InvalidValueError) as info:
        raise_for_error(root, 'f')
    assert info.value.api_message == ''
    assert str(info.value) == "BILLmanager f failed: value error on 'x': no message"


def test_billion_laughs_is_neither_expanded_nor_slow():
    entities = ''.join('<!ENTITY lol%d "%s">' % (level, ('&lol%d;' % (level - 1)) * 10) for level in range(1, 10))
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY lol0 "lol">%s]><doc><comment>&lol9;</comment></doc>' % entities).encode()
    started = time.monotonic()
    try:
        root = parse_answer(body, 'platform')
    except TransportError as exc:
        assert 'not valid XML' in str(exc)
        assert len(str(exc)) < 1000
    else:
        assert len(''.join(root.itertext())) < 100
    assert time.monotonic() - started < 5


def test_quadratic_blowup_entity_is_not_expanded():
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY a "%s">]><doc><comment>%s</comment></doc>'
            % ('A' * 10000, '&a;' * 2000)).encode()
    try:
        root = parse_answer(body, 'platform')
    except TransportError:
        return
    assert len(''.join(root.itertext())) < 100


# -- raise_for_error ---------------------------------------------------------------------------------

def test_no_error_element_raises_nothing():
    root = parse_answer(ok_doc(id=5), 'f')
    assert raise_for_error(root, 'f') is None


def test_nested_error_is_not_the_answer_error():
    root = parse_answer(doc('<doc><error type="value" object="x"><msg>inner</msg></error></doc>'), 'f')
    assert raise_for_error(root, 'f') is None


def test_error_params_except_object_are_collected_and_stripped():
    root = parse_answer(error_doc('money', 'balance', ' Not enough ', balance=' 12.00 ', cost='30.00', value=''), 'service.prolong')
    with pytest.raises(InsufficientFundsError) as info:
        raise_for_error(root, 'service.prolong')
    assert info.value.params == {'balance': '12.00', 'cost': '30.00', 'value': ''}
    assert info.value.api_message == 'Not enough'
    assert info.value.error_object == 'balance'


def test_missed_elid_with_value_is_not_found_and_without_is_invalid():
    with pytest.raises(NotFoundError):
        raise_for_error(parse_answer(error_doc('missed', 'elid', 'Object not found', value='12'), 'f'), 'f')
    with pytest.raises(InvalidValueError) as info:
        raise_for_error(parse_answer(error_doc('missed', 'elid', 'Field is missing', value=''), 'f'), 'f')
    assert info.value.__class__ is InvalidValueError
    with pytest.raises(InvalidValueError) as info:
        raise_for_error(parse_answer(error_doc('missed', 'comment', 'Field is missing', value='12'), 'f'), 'f')
    assert info.value.__class__ is InvalidValueError


def test_auth_error_text():
    with pytest.raises(AuthError) as info:
        raise_for_error(parse_answer(error_doc('auth', 'badpassword', 'Invalid username or password'), 'platform'), 'platform')
    assert str(info.value) == (
        "BILLmanager platform failed: auth error on 'badpassword': Invalid username or password. Check api_user and "
        "api_password; an account can also restrict API logins (authinfo) to a list of addresses, so the address this "
        "request comes from may not be allowed")


def test_unknown_type_names_it():
    with pytest.raises(UnknownApiError) as info:
        raise_for_error(parse_answer(error_doc('frozen', 'pricelist', 'Tariff is frozen'), 'platform.order.param'),
                        'platform.order.param')
    assert str(info.value) == ("BILLmanager platform.order.param failed: frozen error on 'pricelist': Tariff is frozen"
                               " (unrecognised BILLmanager error type 'frozen')")


def test_exists_error_says_what_it_means():
    """Issue 8: an exists error was called "unrecognised"."""
    with pytest.raises(ExistsError) as info:
        raise_for_error(parse_answer(error_doc('exists', 'pricelist', 'A trial was already ordered'), 'platform.order.param'),
                        'platform.order.param')
    assert str(info.value) == ("BILLmanager platform.order.param failed: exists error on 'pricelist': A trial was already "
                               "ordered (BILLmanager says it already exists)")


def test_xml_error_says_the_request_was_not_read():
    with pytest.raises(RequestFormatError, match='could not read the request; please report it'):
        raise_for_error(parse_answer(error_doc('xml', 'doc', 'Parse error'), 'platform'), 'platform')


# -- helpers -----------------------------------------------------------------------------------------

def test_text_of_defaults():
    root = parse_answer(b'<doc><a> x </a><b/></doc>', 'f')
    assert text_of(root, 'a') == 'x'
    assert text_of(root, 'b') == ''
    assert text_of(root, 'b', 'dflt') == 'dflt'
    assert text_of(root, 'missing', None) is None
    assert text_of(None, 'a', 'none') == 'none'


def test_excerpt_collapses_whitespace_and_cuts():
    assert excerpt(b'  a\n\n b\tc  ') == 'a b c'
    long_text = 'y' * (EXCERPT_LENGTH + 50)
    assert excerpt(long_text) == 'y' * EXCERPT_LENGTH + '...'
    assert excerpt('') == ''
    assert excerpt(b'\xff\xfeok') == '\ufffd\ufffdok'
