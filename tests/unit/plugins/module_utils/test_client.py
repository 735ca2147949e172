# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""BillmgrClient: the form it sends, error mapping, retries of reads, no blind retries of writes, redaction."""

from __future__ import annotations

import datetime
import html
import email.utils
import time

from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import WITHHELD, url_without_userinfo
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    AccessDeniedError, AddressRefusedError, AmbiguousWriteError, ApiError, AuthError, InsufficientFundsError,
    InvalidValueError, NotFoundError, RedirectError, TLSVerificationError, TransportError, UnknownApiError, says_not_found,
)
from ansible_collections.ispsystem.billmanager.tests.unit.property_budget import examples
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import (
    API_URL, LOGIN_HTML, PASSWORD, PROXY_HTML, FakeClock, FakeTransport, doc, elem, error_doc, expect, list_doc,
    make_client, ok_doc,
)

BACKOFF = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]  # 23.5 s; the next 8 s would pass the default 30 s budget


def scripted(script, **kwargs):
    clock = FakeClock()
    transport = FakeTransport(script, url=API_URL, clock=clock)
    client = make_client(transport, **kwargs)
    return client, transport, clock


# -- the form --------------------------------------------------------------------------------------

def test_form_carries_out_func_authinfo_and_converted_params():
    client, transport, dummy = scripted(
        [expect('platform.edit', {'elid': '101', 'flag': 'on', 'other': 'off', 'count': '0', 'comment': 'a b&c'})
         .answer(ok_doc())],
        timeout=17)
    root = client.read('platform.edit', elid=101, flag=True, other=False, count=0, comment='a b&c', dropped=None)
    transport.assert_done()
    assert root.tag == 'doc'
    assert transport.forms == [{
        'func': 'platform.edit', 'out': 'xml', 'lang': 'en', 'authinfo': 'demo:demo-secret',
        'elid': '101', 'flag': 'on', 'other': 'off', 'count': '0', 'comment': 'a b&c',
    }]
    assert transport.requests[0]['url'] == API_URL
    assert transport.requests[0]['timeout'] == 17
    assert client.request_count == 1


def test_caller_cannot_override_the_envelope():
    client, transport, dummy = scripted([expect('platform').answer(list_doc([]))])
    client.read('platform', out='json', authinfo='evil:x')
    transport.assert_done()
    assert transport.forms[0]['out'] == 'xml'
    assert transport.forms[0]['authinfo'] == 'demo:demo-secret'


def test_write_sends_the_same_envelope_and_returns_the_answer():
    client, transport, dummy = scripted([
        expect('platform.order.param', {'pricelist': '55163', 'period': '1', 'skipbasket': 'on', 'sok': 'ok',
                                        'clicked_button': 'finish', 'addon_55165': '3'})
        .answer(ok_doc(id=1234, **{'billorder.id': 77})),
    ])
    root = client.write('platform.order.param', pricelist=55163, period=1, skipbasket=True, sok='ok',
                        clicked_button='finish', addon_55165=3, autoprolong=None)
    transport.assert_done()
    assert root.findtext('id') == '1234'
    assert root.findtext('billorder.id') == '77'
    assert transport.forms[0]['out'] == 'xml'
    assert transport.forms[0]['authinfo'] == 'demo:demo-secret'
    assert 'autoprolong' not in transport.forms[0]


def test_empty_user_and_password_still_send_authinfo():
    client, transport, dummy = scripted([expect('platform').answer(list_doc([]))], user=None, password=None)
    client.read('platform')
    transport.assert_done()
    assert transport.forms[0]['authinfo'] == ':'


def test_fake_transport_rejects_an_extra_call():
    client, transport, dummy = scripted([expect('platform').answer(list_doc([]))])
    client.read('platform')
    with pytest.raises(pytest.fail.Exception, match='one too many'):
        client.read('platform')
    with pytest.raises(pytest.fail.Exception, match='one too many'):
        transport.assert_done()


def test_fake_transport_rejects_a_missing_call():
    client, transport, dummy = scripted([expect('platform').answer(list_doc([])), expect('platform').answer(list_doc([]))])
    client.read('platform')
    with pytest.raises(pytest.fail.Exception, match='1 scripted request'):
        transport.assert_done()


def test_fake_transport_rejects_a_different_form():
    client, transport, dummy = scripted([expect('platform.edit', {'elid': 101}, absent=('sok',)).answer(ok_doc())])
    with pytest.raises(pytest.fail.Exception, match="unexpected keys sok='ok'"):
        client.read('platform.edit', elid=101, sok='ok')


# -- API errors --------------------------------------------------------------------------------------

ERROR_CASES = [
    # (type, object, params, message, exception class)
    ('auth', 'badpassword', {}, 'Invalid username or password', AuthError),
    ('access', 'elid', {'value': '555'}, 'Access denied', AccessDeniedError),
    ('value', 'period', {'value': '7'}, 'Invalid value of the field period', InvalidValueError),
    ('missed', 'pricelist', {}, 'Required field pricelist is missing', InvalidValueError),
    ('missed', 'elid', {'value': '999'}, 'Object not found', NotFoundError),
    ('missed', 'elid', {}, 'Required field elid is missing', InvalidValueError),
    ('notfound', 'elid', {'value': '999'}, 'Not found', NotFoundError),
    ('money', 'balance', {'balance': '12.00', 'cost': '30.00'}, 'Insufficient funds', InsufficientFundsError),
]


@pytest.mark.parametrize('error_type, error_object, params, message, cls', ERROR_CASES,
                         ids=['%s-%s-%s' % (case[0], case[1], len(case[2])) for case in ERROR_CASES])
def test_error_types_map_to_exceptions(error_type, error_object, params, message, cls):
    client, transport, dummy = scripted([
        expect('platform.edit', {'elid': '999'}).answer(error_doc(error_type, error_object, message, func='platform.edit', **params)),
    ])
    with pytest.raises(ApiError) as info:
        client.read('platform.edit', elid=999)
    transport.assert_done()  # an API error is an answer: never retried
    assert info.value.__class__ is cls
    assert info.value.func == 'platform.edit'
    assert info.value.error_type == error_type
    assert info.value.error_object == error_object
    assert info.value.api_message == message
    assert info.value.params == params
    text = str(info.value)
    for part in ('platform.edit', error_type, error_object, message):
        assert part in text


def test_money_error_names_balance_and_cost_when_the_message_does_not():
    client, transport, dummy = scripted([
        expect('service.prolong', subset=True).answer(
            error_doc('money', 'balance', 'Insufficient funds', balance='12.00', cost='30.00')),
    ])
    with pytest.raises(InsufficientFundsError) as info:
        client.write('service.prolong', elid=101, period=1, sok='ok')
    transport.assert_done()
    assert info.value.balance == '12.00'
    assert info.value.cost == '30.00'
    assert str(info.value).endswith('Insufficient funds (balance 12.00, cost 30.00)')
    assert not isinstance(info.value, TransportError)


def test_money_error_does_not_repeat_amounts_the_message_names():
    message = 'Insufficient funds: the balance is 12.00 EUR, the cost is 30.00 EUR'
    client, transport, dummy = scripted([
        expect('service.prolong', subset=True).answer(error_doc('money', 'balance', message, balance='12.00', cost='30.00')),
    ])
    with pytest.raises(InsufficientFundsError) as info:
        client.write('service.prolong', elid=101, period=1, sok='ok')
    transport.assert_done()
    assert str(info.value) == "BILLmanager service.prolong failed: money error on 'balance': " + message


@pytest.mark.parametrize('error_type', ['unknown', 'frobnicate', 'lock'])
def test_unknown_error_type_is_named(error_type):
    client, transport, dummy = scripted([
        expect('platform.order.param', subset=True).answer(error_doc(error_type, 'pricelist', 'Something odd')),
    ])
    with pytest.raises(UnknownApiError) as info:
        client.write('platform.order.param', pricelist=55163)
    transport.assert_done()
    assert info.value.error_type == error_type
    assert "unrecognised BILLmanager error type '%s'" % error_type in str(info.value)
    assert 'Something odd' in str(info.value)


def test_error_without_type_or_message():
    client, transport, dummy = scripted([expect('platform').answer(doc('<error/>'))])
    with pytest.raises(UnknownApiError) as info:
        client.read('platform')
    transport.assert_done()
    assert str(info.value) == "BILLmanager platform failed: untyped error: no message (unrecognised BILLmanager error type '')"


def test_error_answer_with_http_4xx_keeps_its_type():
    client, transport, dummy = scripted([
        expect('platform.edit', {'elid': '5'}).answer(error_doc('access', 'elid', 'Access denied'), status=403),
    ])
    with pytest.raises(AccessDeniedError):
        client.read('platform.edit', elid=5)
    transport.assert_done()


def test_http_4xx_without_error_element_is_a_transport_error():
    client, transport, dummy = scripted([expect('platform').answer(doc('<msg>Forbidden</msg>'), status=403)])
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert info.value.status == 403
    assert 'HTTP 403' in str(info.value)
    assert 'Forbidden' in info.value.excerpt


# -- bodies that are not a BILLmanager answer ------------------------------------------------------

@pytest.mark.parametrize('status, body, expected', [
    (200, LOGIN_HTML, 'not valid XML'),
    (200, b'<html><body><p>Please sign in</p></body></html>', 'root element <html> instead of <doc>'),
    (200, b'<doc><ok></doc', 'not valid XML'),
    (200, b'<?xml version="1.0"?><doc func="platform"><elem><id>101</id><comment>web-clu', 'not valid XML'),
    (200, b'', 'empty answer'),
    (200, b'  \n ', 'empty answer'),
    (403, LOGIN_HTML, 'refuses this request'),
])
def test_non_xml_read_answer_is_a_transport_error_and_not_retried(status, body, expected):
    client, transport, clock = scripted([expect('platform').answer(body, status=status)])
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert expected in str(info.value)
    assert 'HTTP %s' % status in str(info.value)
    assert info.value.status == status
    assert info.value.func == 'platform'
    assert not isinstance(info.value, ApiError)
    assert clock.sleeps == []


def test_proxy_page_excerpt_is_short_and_on_one_line():
    body = LOGIN_HTML + b'\n' + b'x' * 5000
    client, transport, dummy = scripted([expect('platform').answer(body)])
    with pytest.raises(TransportError) as info:
        client.read('platform')
    assert info.value.excerpt.startswith('<!DOCTYPE html> <html><head>')
    assert '\n' not in info.value.excerpt
    assert len(info.value.excerpt) <= 163
    assert len(str(info.value)) < 600


def test_read_gives_up_on_502_html_with_status_and_excerpt():
    client, transport, clock = scripted([expect('platform').answer(PROXY_HTML, status=502)], retry_budget=0)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert info.value.status == 502
    assert 'HTTP 502' in str(info.value)
    assert '502 Bad Gateway' in info.value.excerpt
    assert API_URL in str(info.value)
    assert clock.sleeps == []


def test_external_entity_in_an_answer_is_not_expanded(tmp_path):
    secret = tmp_path / 'secret.txt'
    secret.write_text('MARKER-0f3c9 root:x:0:0')
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY xxe SYSTEM "file://%s">]>'
            '<doc func="platform"><elem><id>101</id><comment>&xxe;</comment><status>2</status></elem></doc>' % secret).encode()
    client, transport, dummy = scripted([expect('platform').answer(body)])
    root = client.read('platform')
    transport.assert_done()
    assert root.findtext('elem/id') == '101'
    assert 'MARKER-0f3c9' not in (root.find('elem/comment').text or '')
    assert 'MARKER-0f3c9' not in ''.join(root.itertext())


def test_external_entity_in_an_error_message_is_not_expanded(tmp_path):
    secret = tmp_path / 'secret.txt'
    secret.write_text('MARKER-77ab1')
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY xxe SYSTEM "file://%s">]>'
            '<doc><error type="value" object="comment"><param name="value">&xxe;</param><msg>&xxe;</msg></error></doc>'
            % secret).encode()
    client, transport, dummy = scripted([expect('platform.edit', subset=True).answer(body)])
    with pytest.raises(InvalidValueError) as info:
        client.write('platform.edit', elid=101, comment='x', sok='ok')
    assert 'MARKER-77ab1' not in str(info.value)
    assert 'MARKER-77ab1' not in repr(info.value.params)
    assert info.value.error_object == 'comment'


def test_billion_laughs_answer_does_not_blow_up():
    entities = ''.join('<!ENTITY lol%d "%s">' % (level, ('&lol%d;' % (level - 1)) * 10) for level in range(1, 10))
    body = ('<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY lol0 "lol">%s]>'
            '<doc><error type="value" object="x"><msg>&lol9;</msg></error></doc>' % entities).encode()
    client, transport, dummy = scripted([expect('platform').answer(body)])
    started = time.monotonic()
    with pytest.raises((TransportError, InvalidValueError)) as info:
        client.read('platform')
    assert time.monotonic() - started < 5
    transport.assert_done()
    assert len(str(info.value)) < 1000
    assert 'lollollol' not in str(info.value)


# -- read retries ------------------------------------------------------------------------------------

def test_read_retries_429_honouring_retry_after_seconds():
    client, transport, clock = scripted([
        expect('platform').answer(b'Too many requests', status=429, headers={'Retry-After': '3'}),
        expect('platform').answer(list_doc([elem(id=101)])),
    ])
    root = client.read('platform')
    transport.assert_done()
    assert clock.sleeps == [3.0]
    assert root.findtext('elem/id') == '101'


def test_read_retries_429_honouring_retry_after_http_date():
    when = email.utils.formatdate(time.time() + 10, usegmt=True)
    client, transport, clock = scripted([
        expect('platform').answer(b'', status=429, headers={'retry-after': when}),
        expect('platform').answer(list_doc([])),
    ])
    client.read('platform')
    transport.assert_done()
    assert len(clock.sleeps) == 1
    assert 8.0 <= clock.sleeps[0] <= 10.0


def test_read_retry_after_date_in_the_past_waits_nothing():
    client, transport, clock = scripted([
        expect('platform').answer(b'', status=429, headers={'Retry-After': 'Thu, 01 Jan 2015 00:00:00 GMT'}),
        expect('platform').answer(list_doc([])),
    ])
    client.read('platform')
    transport.assert_done()
    assert clock.sleeps == [0.0]


@pytest.mark.parametrize('header', [None, 'soon', ''])
def test_read_429_without_usable_retry_after_backs_off(header):
    headers = {'Retry-After': header} if header is not None else {}
    client, transport, clock = scripted([
        expect('platform').answer(b'', status=429, headers=headers),
        expect('platform').answer(list_doc([])),
    ])
    client.read('platform')
    transport.assert_done()
    assert clock.sleeps == [0.5]


def test_read_retries_5xx_html_with_backoff():
    client, transport, clock = scripted([
        expect('platform.edit', {'elid': '101'}).answer(PROXY_HTML, status=502),
        expect('platform.edit', {'elid': '101'}).answer(b'<html>503</html>', status=503),
        expect('platform.edit', {'elid': '101'}).answer(doc(elem(id=101))),
    ])
    root = client.read('platform.edit', elid=101)
    transport.assert_done()
    assert clock.sleeps == [0.5, 1.0]
    assert root.findtext('elem/id') == '101'
    assert transport.forms[0] == transport.forms[1] == transport.forms[2]


@pytest.mark.parametrize('sent', [False, True])
def test_read_retries_connection_errors(sent):
    client, transport, clock = scripted([
        expect('platform').raises(TransportError('connection to x failed: reset by peer', sent=sent)),
        expect('platform').raises(TransportError('no answer from x within 30s', sent=sent)),
        expect('platform').answer(list_doc([])),
    ])
    root = client.read('platform')
    transport.assert_done()
    assert root.tag == 'doc'
    assert clock.sleeps == [0.5, 1.0]


def test_read_gives_up_when_the_budget_is_spent():
    client, transport, clock = scripted([expect('platform').answer(PROXY_HTML, status=502)] * 7)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()  # exactly 7 requests: 6 waits fit in 30 s, the 7th would not
    assert clock.sleeps == BACKOFF
    assert sum(clock.sleeps) <= 30
    assert info.value.status == 502
    assert 'HTTP 502' in str(info.value)


def test_read_gives_up_on_connection_errors_with_the_last_error():
    script = [expect('platform').raises(TransportError('connection to x failed: refused #%d' % n, sent=False)) for n in range(7)]
    client, transport, clock = scripted(script)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert clock.sleeps == BACKOFF
    assert str(info.value) == 'BILLmanager platform: connection to x failed: refused #6'
    assert info.value.func == 'platform'


def test_read_smaller_budget_means_fewer_attempts():
    client, transport, clock = scripted([expect('platform').answer(PROXY_HTML, status=504)] * 4, retry_budget=5)
    with pytest.raises(TransportError):
        client.read('platform')
    transport.assert_done()
    assert clock.sleeps == [0.5, 1.0, 2.0]


def test_read_retry_after_beyond_the_budget_gives_up_at_once():
    client, transport, clock = scripted([
        expect('platform').answer(b'slow down', status=429, headers={'Retry-After': '3600'}),
    ])
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert clock.sleeps == []
    assert info.value.status == 429


def test_read_time_spent_waiting_for_answers_counts_against_the_budget():
    client, transport, clock = scripted([
        expect('platform').raises(TransportError('no answer from x within 30s', sent=True), elapsed=30),
    ])
    with pytest.raises(TransportError, match='no answer'):
        client.read('platform')
    transport.assert_done()
    assert clock.sleeps == []


def test_budget_is_per_call():
    client, transport, clock = scripted([
        expect('platform').answer(PROXY_HTML, status=502),
        expect('platform').answer(list_doc([])),
        expect('platform.edit', {'elid': '1'}).answer(PROXY_HTML, status=502),
        expect('platform.edit', {'elid': '1'}).answer(doc()),
    ], retry_budget=1)
    client.read('platform')
    client.read('platform.edit', elid=1)
    transport.assert_done()
    assert clock.sleeps == [0.5, 0.5]


def test_tls_error_is_never_retried_on_read():
    client, transport, clock = scripted([
        expect('platform').raises(TLSVerificationError('TLS error talking to x: certificate verify failed', sent=False)),
    ])
    with pytest.raises(TLSVerificationError) as info:
        client.read('platform')
    transport.assert_done()
    assert clock.sleeps == []
    assert str(info.value) == 'BILLmanager platform: TLS error talking to x: certificate verify failed'


# -- writes ------------------------------------------------------------------------------------------

ORDER = {'pricelist': '55163', 'period': '1', 'sok': 'ok'}


def order(client):
    return client.write('platform.order.param', pricelist=55163, period=1, sok='ok')


@pytest.mark.parametrize('message, elapsed', [('no answer from x within 30s', 30), ('connection to x failed: reset by peer', 0)],
                         ids=['timeout', 'reset'])
def test_write_is_not_resent_after_a_failure_once_sent(message, elapsed):
    client, transport, clock = scripted([expect('platform.order.param', ORDER).raises(TransportError(message, sent=True), elapsed=elapsed)])
    with pytest.raises(AmbiguousWriteError) as info:
        order(client)
    transport.assert_done()  # exactly one request
    assert info.value.sent is True
    assert info.value.func == 'platform.order.param'
    assert 'may or may not have happened' in str(info.value)
    assert str(info.value).startswith('BILLmanager platform.order.param: ')
    assert clock.sleeps == []


@pytest.mark.parametrize('status, body', [
    (502, PROXY_HTML), (500, b'Internal Server Error'), (503, b''), (504, doc('<msg>Gateway</msg>')),
])
def test_write_5xx_is_ambiguous(status, body):
    client, transport, clock = scripted([expect('platform.order.param', ORDER).answer(body, status=status)])
    with pytest.raises(AmbiguousWriteError) as info:
        order(client)
    transport.assert_done()
    assert info.value.status == status
    assert 'HTTP %s' % status in str(info.value)
    assert 'may or may not have happened' in str(info.value)
    assert clock.sleeps == []


@pytest.mark.parametrize('status', [500, 502, 403, 404])
@pytest.mark.parametrize('write', [True, False], ids=['write', 'read'])
def test_an_error_document_is_the_servers_answer_whatever_its_http_status(status, write):
    # "Insufficient funds" sent with HTTP 500 used to wait out the retry budget and report "outcome unknown".
    funds = error_doc('money', 'balance', 'Insufficient funds', balance='1.00', cost='30.00')
    client, transport, clock = scripted([expect('platform.order.param', ORDER).answer(funds, status=status)])
    with pytest.raises(InsufficientFundsError) as info:
        (order(client) if write else client.read('platform.order.param', **ORDER))
    transport.assert_done()
    assert not isinstance(info.value, AmbiguousWriteError)
    assert clock.sleeps == []


def test_an_unknown_id_answered_with_http_500_is_not_found_not_lost():
    client, transport, clock = scripted([expect('platform.edit', {'elid': '7'}).answer(
        error_doc('missed', 'elid', 'Object not found', value='7'), status=500)])
    with pytest.raises(ApiError) as info:
        client.read('platform.edit', elid=7)
    assert says_not_found(info.value, 7)
    assert clock.sleeps == []


@pytest.mark.parametrize('status', [301, 302, 307, 308])
@pytest.mark.parametrize('write', [True, False], ids=['write', 'read'])
def test_a_redirect_is_never_followed_and_names_where_it_points(status, write):
    client, transport, clock = scripted([expect('platform.order.param', ORDER).answer(
        b'<html>Moved</html>', status=status, headers={'Location': 'https://api.ispmanager.com/billmgr'})])
    with pytest.raises(RedirectError) as info:
        (order(client) if write else client.read('platform.order.param', **ORDER))
    transport.assert_done()
    assert 'https://api.ispmanager.com/billmgr' in str(info.value) and 'not followed' in str(info.value)
    assert info.value.sent is False and info.value.location == 'https://api.ispmanager.com/billmgr'
    assert client.redirect == 'https://api.ispmanager.com/billmgr'
    assert clock.sleeps == []


def test_a_redirect_to_a_url_with_the_password_never_shows_it():
    client, transport, clock = scripted([expect('platform').answer(
        b'', status=302, headers={'Location': 'https://demo:%s@evil.example/' % PASSWORD})])
    with pytest.raises(RedirectError) as info:
        client.read('platform')
    assert PASSWORD not in str(info.value)


def test_a_bare_403_on_a_write_was_refused_not_lost():
    client, transport, clock = scripted([expect('platform.order.param', ORDER).answer(LOGIN_HTML, status=403)])
    with pytest.raises(AddressRefusedError) as info:
        order(client)
    assert info.value.sent is False and 'address' in str(info.value)
    assert clock.sleeps == []


@pytest.mark.parametrize('error_object', ['badip', 'ip'])
def test_an_auth_error_about_the_address_says_the_address_is_not_allowed(error_object):
    client, transport, clock = scripted([expect('platform').answer(
        error_doc('auth', error_object, 'Access from this IP denied'), status=403)])
    with pytest.raises(AuthError) as info:
        client.read('platform')
    assert 'refuses the address this request comes from' in str(info.value)


@pytest.mark.parametrize('body', [b'<doc><ok></doc', b'<doc><ok/><id>12', LOGIN_HTML, b'', b'<html><body/></html>'],
                         ids=['malformed', 'truncated', 'html', 'empty', 'not-doc'])
def test_write_with_a_broken_200_body_is_ambiguous(body):
    client, transport, clock = scripted([expect('platform.order.param', ORDER).answer(body)])
    with pytest.raises(AmbiguousWriteError) as info:
        order(client)
    transport.assert_done()
    assert info.value.status == 200
    assert info.value.func == 'platform.order.param'
    assert 'may or may not have happened' in str(info.value)
    assert clock.sleeps == []


def test_write_is_resent_when_it_was_never_sent():
    client, transport, clock = scripted([
        expect('platform.order.param', ORDER).raises(TransportError('connection to x failed: refused', sent=False)),
        expect('platform.order.param', ORDER).answer(ok_doc(id=555)),
    ])
    root = order(client)
    transport.assert_done()
    assert root.findtext('id') == '555'
    assert clock.sleeps == [0.5]
    assert transport.forms[0] == transport.forms[1]


def test_write_is_resent_after_429():
    client, transport, clock = scripted([
        expect('platform.order.param', ORDER).answer(b'rate limited', status=429, headers={'Retry-After': '2'}),
        expect('platform.order.param', ORDER).answer(ok_doc(id=556)),
    ])
    root = order(client)
    transport.assert_done()
    assert root.findtext('id') == '556'
    assert clock.sleeps == [2.0]


def test_write_gives_up_on_429_without_calling_it_ambiguous():
    client, transport, clock = scripted([
        expect('platform.order.param', ORDER).answer(b'', status=429, headers={'Retry-After': '20'}),
        expect('platform.order.param', ORDER).answer(b'', status=429, headers={'Retry-After': '20'}),
    ])
    with pytest.raises(TransportError) as info:
        order(client)
    transport.assert_done()
    assert not isinstance(info.value, AmbiguousWriteError)
    assert info.value.status == 429
    assert clock.sleeps == [20.0]


def test_write_gives_up_on_refused_connections_without_calling_it_ambiguous():
    script = [expect('platform.order.param', ORDER).raises(TransportError('connection refused', sent=False)) for dummy in range(7)]
    client, transport, clock = scripted(script)
    with pytest.raises(TransportError) as info:
        order(client)
    transport.assert_done()
    assert not isinstance(info.value, AmbiguousWriteError)
    assert info.value.sent is False
    assert clock.sleeps == BACKOFF


def test_write_refused_then_lost_answer_is_ambiguous_after_two_requests():
    client, transport, dummy = scripted([
        expect('service.prolong', {'elid': '101', 'period': '1', 'sok': 'ok'}).raises(TransportError('refused', sent=False)),
        expect('service.prolong', {'elid': '101', 'period': '1', 'sok': 'ok'}).raises(TransportError('reset', sent=True)),
    ])
    with pytest.raises(AmbiguousWriteError):
        client.write('service.prolong', elid=101, period=1, sok='ok')
    transport.assert_done()


def test_tls_error_is_never_retried_on_write():
    client, transport, clock = scripted([
        expect('platform.order.param', ORDER).raises(TLSVerificationError('TLS error: self-signed certificate', sent=False)),
    ])
    with pytest.raises(TLSVerificationError) as info:
        order(client)
    transport.assert_done()
    assert not isinstance(info.value, AmbiguousWriteError)
    assert clock.sleeps == []


def test_write_api_error_is_not_ambiguous_and_not_retried():
    client, transport, dummy = scripted([
        expect('platform.order.param', ORDER).answer(error_doc('value', 'period', 'Invalid period', value='7')),
    ])
    with pytest.raises(InvalidValueError) as info:
        order(client)
    transport.assert_done()
    assert not isinstance(info.value, TransportError)
    assert info.value.params == {'value': '7'}


# -- redaction ---------------------------------------------------------------------------------------

SECRET = 'p@ss:w/rd&x=1'
SECRET_ENCODED = quote_plus(SECRET)
ECHO = 'authinfo=demo:%s authinfo=demo%%3A%s' % (SECRET, SECRET_ENCODED)
ECHO_ENCODED = 'authinfo=demo%%3A%s' % SECRET_ENCODED
ECHO_XHTML = ('<html><body><pre>%s</pre><p>Bad gateway</p></body></html>' % ECHO_ENCODED).encode()
ECHO_RAW = ('<html><body>%s</body></html>' % ECHO).encode()


def _read(client):
    return client.read('platform')


def _write(client):
    return client.write('platform.edit', elid=1, comment='x', sok='ok')


REDACTION_CASES = [
    ('read-refused', _read, lambda: expect('platform').raises(TransportError('connection failed: ' + ECHO, sent=False))),
    ('read-timeout', _read, lambda: expect('platform').raises(TransportError('no answer: ' + ECHO, sent=True))),
    ('write-reset', _write, lambda: expect('platform.edit', subset=True).raises(TransportError('reset: ' + ECHO, sent=True))),
    ('write-refused', _write, lambda: expect('platform.edit', subset=True).raises(TransportError('refused: ' + ECHO, sent=False))),
    ('tls', _read, lambda: expect('platform').raises(TLSVerificationError('TLS error: ' + ECHO, sent=False))),
    ('read-502', _read, lambda: expect('platform').answer(ECHO_RAW, status=502)),
    ('write-502', _write, lambda: expect('platform.edit', subset=True).answer(ECHO_RAW, status=502)),
    ('read-429', _read, lambda: expect('platform').answer(ECHO_RAW, status=429, headers={'Retry-After': '999'})),
    ('read-200-html', _read, lambda: expect('platform').answer(ECHO_RAW)),
    ('read-200-xhtml', _read, lambda: expect('platform').answer(ECHO_XHTML)),
    ('write-200-malformed', _write, lambda: expect('platform.edit', subset=True).answer(b'<doc><ok>' + ECHO.encode())),
    ('read-403-doc', _read, lambda: expect('platform').answer(doc('<msg>%s</msg>' % ECHO_ENCODED), status=403)),
]


def assert_secret_free(exc):
    texts = [str(exc), repr(exc), repr(exc.args), '%s' % getattr(exc, 'excerpt', ''), '%s' % getattr(exc, 'api_message', '')]
    for text in texts:
        assert SECRET not in text
        assert SECRET_ENCODED not in text
        assert 'p@ss' not in text
        assert 'p%40ss' not in text


@pytest.mark.parametrize('name, action, step', REDACTION_CASES, ids=[case[0] for case in REDACTION_CASES])
def test_password_appears_in_no_exception_text(name, action, step):
    client, transport, dummy = scripted([step()], password=SECRET, retry_budget=0)
    with pytest.raises(Exception) as info:
        action(client)
    transport.assert_done()
    assert isinstance(info.value, TransportError), name
    assert_secret_free(info.value)
    assert WITHHELD in str(info.value)  # the echoed text reached the message: withheld whole
    assert transport.forms[0]['authinfo'] == 'demo:' + SECRET  # ... while the request carried the real one


def test_password_echoed_by_an_api_error_is_redacted():
    body = error_doc('auth', 'authinfo', 'Invalid credentials demo:%s' % SECRET, value='demo:%s' % SECRET)
    client, transport, dummy = scripted([expect('platform').answer(body)], password=SECRET)
    with pytest.raises(AuthError) as info:
        client.read('platform')
    transport.assert_done()
    assert_secret_free(info.value)
    assert SECRET not in repr(info.value.params)


@pytest.mark.parametrize('status', [200, 502])
def test_password_cut_by_the_excerpt_is_not_leaked(status):
    prefix = '<html><body>' + 'x' * (160 - len('<html><body>') - 6)
    body = (prefix + SECRET + ' more text</body></html>').encode()  # the excerpt ends 6 characters into the password
    client, transport, dummy = scripted([expect('platform').answer(body, status=status)], password=SECRET, retry_budget=0)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert SECRET[:6] not in str(info.value)
    assert SECRET[:6] not in info.value.excerpt


def test_password_echoed_html_escaped_is_redacted():
    body = ('<html><body><pre>authinfo=demo:%s</pre></body></html>' % SECRET.replace('&', '&amp;')).encode()
    client, transport, dummy = scripted([expect('platform').answer(body, status=502)], password=SECRET, retry_budget=0)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert_secret_free(info.value)


def test_a_text_holding_the_password_is_withheld_whole():
    client = make_client(FakeTransport([]), password=SECRET)
    assert client.redact('a %s b' % SECRET) == WITHHELD
    assert client.redact('a %s b' % SECRET_ENCODED) == WITHHELD
    assert client.redact('nothing: to hide') == 'nothing: to hide'


QUOTED_SECRET = "it's a p@ss word+1"


@pytest.mark.parametrize('echo', [
    QUOTED_SECRET,
    html.escape(QUOTED_SECRET),  # &#x27;
    QUOTED_SECRET.replace("'", '&#39;'),  # issue 9: a proxy echoed it with a decimal entity
    QUOTED_SECRET.replace("'", '&apos;'),
    quote(QUOTED_SECRET),  # issue 9: %20 for the spaces, not '+'
    quote_plus(QUOTED_SECRET),
    quote(quote(QUOTED_SECRET)),  # encoded twice
    html.escape(quote(QUOTED_SECRET)),
    quote(QUOTED_SECRET).lower(),  # %2b as well as %2B
    ''.join('\\u%04x' % ord(char) for char in QUOTED_SECRET),  # JSON escapes
    '&#%d;' % ord('i') + QUOTED_SECRET[1:],
], ids=['raw', 'html', 'decimal-entity', 'apos', 'percent-20', 'plus', 'double', 'html-of-percent', 'lower-hex',
        'json', 'one-entity'])
def test_the_password_is_found_in_every_encoding(echo):
    client = make_client(FakeTransport([]), password=QUOTED_SECRET)
    assert client.holds_password('<pre>authinfo=demo:%s</pre>' % echo), echo
    assert client.redact('proxy said: %s' % echo) == WITHHELD


@pytest.mark.parametrize('status', [200, 502])
def test_a_proxy_page_echoing_the_password_html_encoded_leaks_nothing(status):
    body = ('<html><body><p>Bad request: authinfo=demo:%s</p></body></html>' % QUOTED_SECRET.replace("'", '&#39;')).encode()
    client, transport, dummy = scripted([expect('platform').answer(body, status=status)], password=QUOTED_SECRET, retry_budget=0)
    with pytest.raises(TransportError) as info:
        client.read('platform')
    transport.assert_done()
    assert 'p@ss' not in str(info.value)
    assert info.value.excerpt == WITHHELD


@settings(max_examples=examples(300), deadline=None)
@given(password=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=0x2fff, exclude_categories=('Cs',)),
                        min_size=4, max_size=24),
       encodings=st.lists(st.sampled_from(['html', 'quote', 'quote_plus', 'entity', 'json']), max_size=3))
def test_property_the_password_is_found_however_it_was_encoded(password, encodings):
    encoders = {
        'html': html.escape, 'quote': lambda text: quote(text, safe=''), 'quote_plus': quote_plus,
        'entity': lambda text: ''.join('&#%d;' % ord(char) for char in text),
        'json': lambda text: ''.join('\\u%04x' % ord(char) if ord(char) < 0x10000 else char for char in text),
    }
    echo = password
    for name in encodings:
        echo = encoders[name](echo)
    client = make_client(FakeTransport([]), password=password)
    assert client.redact('error: %s ...' % echo) == WITHHELD


def test_redact_with_no_password_changes_nothing():
    client = make_client(FakeTransport([]), password='')
    assert client.redact('nothing: to hide') == 'nothing: to hide'


# -- server date -------------------------------------------------------------------------------------

def test_server_date_comes_from_the_date_header():
    client, transport, dummy = scripted([
        expect('platform').answer(list_doc([]), headers={'Date': 'Fri, 27 Nov 2026 10:00:00 GMT'}),
        expect('platform').answer(list_doc([]), headers={'date': 'Sat, 28 Nov 2026 00:00:01 GMT'}),
        expect('platform').answer(list_doc([]), headers={'Date': 'not a date'}),
        expect('platform').answer(list_doc([])),
    ])
    assert client.server_date is None
    client.read('platform')
    assert client.server_date == datetime.date(2026, 11, 27)
    client.read('platform')
    assert client.server_date == datetime.date(2026, 11, 28)
    client.read('platform')
    assert client.server_date == datetime.date(2026, 11, 28)  # a garbled header keeps the last good date
    client.read('platform')
    assert client.server_date == datetime.date(2026, 11, 28)
    transport.assert_done()


def test_server_date_is_taken_from_error_answers_too():
    client, transport, dummy = scripted([
        expect('platform.edit', {'elid': '9'}).answer(error_doc('missed', 'elid', 'Object not found', value='9'),
                                                      headers={'Date': 'Tue, 01 Dec 2026 08:00:00 GMT'}),
    ])
    with pytest.raises(NotFoundError):
        client.read('platform.edit', elid=9)
    assert client.server_date == datetime.date(2026, 12, 1)


def test_credentials_in_the_url_are_never_shown():
    """QA: api_url http://demo:demo%2Dsecret@host/... came back whole as api.api_url of isp_license_info."""
    url = 'http://demo:demo%2Dsecret@billmgr.example.test:1500/manager/billmgr?x=1'
    transport = FakeTransport([expect('platform').answer('<html>Bad gateway</html>', status=502)], url=url)
    client = make_client(transport, url=url, password='demo-secret', retry_budget=0)
    assert client.shown_url == 'http://billmgr.example.test:1500/manager/billmgr?x=1'
    with pytest.raises(TransportError) as info:
        client.read('platform')
    assert 'secret' not in str(info.value) and 'demo:' not in str(info.value)
    assert 'from http://billmgr.example.test:1500/manager/billmgr' in str(info.value)
    assert url_without_userinfo(API_URL) == API_URL


def test_an_unacknowledged_renewal_names_each_missing_result_once():
    """QA: the message said "no <ok/>, no <newexpiredate>, no <newexpiredate>" (the nested and the flat form)."""
    form = doc('<elid>101</elid><expiredate>2026-12-01</expiredate>', func='service.prolong')
    client, transport, _clock = scripted([expect('service.prolong', {'elid': 101, 'period': 1, 'sok': 'ok'}).answer(form)])
    with pytest.raises(TransportError) as info:
        client.write('service.prolong', elid=101, period=1, sok='ok')
    transport.assert_done()
    assert '(no <ok/>, no <newexpiredate>);' in str(info.value)
