# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""RequestsTransport and client_from_module: proxies from the environment (use_proxy), nothing else from it;
the default URL for an empty api_url."""

from __future__ import annotations

import socket

import pytest
import requests
import urllib3

from ansible_collections.ispsystem.billmanager.plugins.module_utils import api_module, options
from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import DEFAULT_API_URL
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import RequestsTransport

API = 'https://api.example.test/manager/billmgr'
PROXY = 'http://proxy.example.test:3128'
PROXY_ENV = ('https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY')


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch):
    """Each test starts without proxy variables, whatever the machine running the tests has."""
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv('REQUEST_METHOD', raising=False)


class RecordingSession:
    """Stands in for the requests session's post: records the keyword arguments, answers 200 or raises."""

    def __init__(self, raise_exc=None):
        self.calls = []
        self.raise_exc = raise_exc

    def __call__(self, url, **kwargs):
        self.calls.append(dict(kwargs, url=url))
        if self.raise_exc is not None:
            raise self.raise_exc
        response = requests.Response()
        response.status_code = 200
        response._content = b'<doc/>'  # pylint: disable=protected-access
        return response


def sent_proxies(monkeypatch, use_proxy=True, url=API):
    transport = RequestsTransport(use_proxy=use_proxy)
    session = RecordingSession()
    monkeypatch.setattr(transport.session, 'post', session)
    transport.post(url, data={'func': 'platform'}, timeout=5)
    return session.calls[0]['proxies']


@pytest.mark.parametrize('name', ['https_proxy', 'HTTPS_PROXY'])
def test_https_proxy_from_the_environment_is_used(monkeypatch, name):
    monkeypatch.setenv(name, PROXY)
    assert sent_proxies(monkeypatch)['https'] == PROXY


def test_http_url_uses_http_proxy(monkeypatch):
    monkeypatch.setenv('http_proxy', PROXY)
    assert sent_proxies(monkeypatch, url='http://api.example.test/manager/billmgr')['http'] == PROXY


@pytest.mark.parametrize('no_proxy', ['api.example.test', '.example.test', 'other.test,api.example.test', '*'])
def test_no_proxy_hosts_are_reached_directly(monkeypatch, no_proxy):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', no_proxy)
    assert sent_proxies(monkeypatch) == {}


def test_no_proxy_for_another_host_keeps_the_proxy(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', 'localhost,127.0.0.1,internal.test')
    assert sent_proxies(monkeypatch)['https'] == PROXY


def test_use_proxy_false_ignores_the_environment(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('ALL_PROXY', PROXY)
    assert sent_proxies(monkeypatch, use_proxy=False) == {}


def test_without_proxy_variables_nothing_is_proxied(monkeypatch):
    assert sent_proxies(monkeypatch) == {}


def test_the_rest_of_the_environment_stays_out(monkeypatch, tmp_path):
    """trust_env stays off: no .netrc credentials, no REQUESTS_CA_BUNDLE; the proxies are passed explicitly."""
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine api.example.test login someone password from-netrc\n', encoding='utf-8')
    monkeypatch.setenv('NETRC', str(netrc))
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(tmp_path / 'bundle.pem'))
    transport = RequestsTransport(ca_path='/etc/our-ca.pem')
    assert transport.session.trust_env is False
    prepared = transport.session.prepare_request(requests.Request('POST', API, data={'func': 'platform'}))
    assert 'Authorization' not in prepared.headers
    settings = transport.session.merge_environment_settings(API, {}, None, transport.session.verify, None)
    assert settings['verify'] == '/etc/our-ca.pem'


def test_proxy_password_never_reaches_the_message(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxyuser:pr%40xy-secret@127.0.0.1:9')
    transport = RequestsTransport()
    refused = urllib3.exceptions.NewConnectionError(None, 'Failed to establish a new connection: Connection refused')
    failure = requests.exceptions.ProxyError(
        "Unable to connect to proxy http://proxyuser:pr%40xy-secret@127.0.0.1:9 (pr@xy-secret): Connection refused",
        urllib3.exceptions.ProxyError('Unable to connect to proxy', refused))
    monkeypatch.setattr(transport.session, 'post', RecordingSession(raise_exc=failure))
    with pytest.raises(TransportError) as caught:
        transport.post(API, data={'func': 'platform'}, timeout=5)
    message = str(caught.value)
    assert 'xy-secret' not in message
    assert 'proxyuser:********@127.0.0.1:9' in message
    assert caught.value.sent is False  # refused by the proxy: the request went nowhere


def test_a_proxy_that_refuses_the_connection_is_a_transport_error_before_sending(monkeypatch):
    """A real proxy URL on a closed port: requests raises ProxyError; nothing was sent, so a write may be retried."""
    monkeypatch.setenv('HTTPS_PROXY', 'http://127.0.0.1:9')
    with pytest.raises(TransportError) as caught:
        RequestsTransport().post(API, data={'func': 'platform'}, timeout=5)
    assert caught.value.sent is False
    assert 'api.example.test' in str(caught.value)


def _raised_by(monkeypatch, failure):
    transport = RequestsTransport()
    monkeypatch.setattr(transport.session, 'post', RecordingSession(raise_exc=failure))
    with pytest.raises(TransportError) as caught:
        transport.post(API, data={'func': 'platform.order.param'}, timeout=5)
    return caught.value


def test_a_refused_connection_is_known_by_its_type_not_by_its_text(monkeypatch):
    """Issue 16: "was it sent" came from searching the message for "Connection refused"."""
    never = urllib3.exceptions.NewConnectionError(None, 'something went wrong')  # no telling words at all
    pool_error = urllib3.exceptions.MaxRetryError(None, API, reason=never)
    assert _raised_by(monkeypatch, requests.exceptions.ConnectionError(pool_error)).sent is False


def test_a_failed_name_resolution_was_not_sent(monkeypatch):
    resolution = getattr(urllib3.exceptions, 'NameResolutionError', None)
    if resolution is None:  # urllib3 1.x: resolution failures are plain NewConnectionError
        failure = urllib3.exceptions.NewConnectionError(None, 'Failed to resolve api.example.test')
    else:
        failure = resolution('api.example.test', None, socket.gaierror(-2, 'Name or service not known'))
    pool_error = urllib3.exceptions.MaxRetryError(None, API, reason=failure)
    assert _raised_by(monkeypatch, requests.exceptions.ConnectionError(pool_error)).sent is False


@pytest.mark.parametrize('failure', [
    requests.exceptions.ReadTimeout('Read timed out. (Connection refused by nothing)'),
    requests.exceptions.ConnectionError(urllib3.exceptions.ProtocolError(
        'Connection aborted.', ConnectionResetError(104, 'Connection refused, reset by peer'))),
], ids=['read-timeout', 'reset'])
def test_a_write_that_may_have_arrived_counts_as_sent_whatever_its_message_says(monkeypatch, failure):
    """A read timeout or a reset after connecting: the server may have the request (no resend)."""
    assert _raised_by(monkeypatch, failure).sent is True


def test_a_connect_timeout_was_not_sent(monkeypatch):
    assert _raised_by(monkeypatch, requests.exceptions.ConnectTimeout('timed out')).sent is False


# -- client_from_module ------------------------------------------------------------------------------

class FakeModule:
    def __init__(self, **params):
        self.params = dict(api_url=DEFAULT_API_URL, api_user='u', api_password='p', validate_certs=True, ca_path=None,
                           timeout=30, use_proxy=True)
        self.params.update(params)

    def fail_json(self, **kwargs):
        raise AssertionError('fail_json(%r)' % (kwargs,))


@pytest.fixture
def built_transports(monkeypatch):
    built = []

    def factory(**kwargs):
        built.append(kwargs)
        return object()

    monkeypatch.setattr(api_module, 'RequestsTransport', factory)
    return built


@pytest.mark.parametrize('api_url', ['', None])
def test_empty_api_url_means_the_default(built_transports, api_url):
    client = api_module.client_from_module(FakeModule(api_url=api_url))
    assert client.api_url == DEFAULT_API_URL


def test_api_url_given_is_kept(built_transports):
    client = api_module.client_from_module(FakeModule(api_url='http://127.0.0.1:8080/manager/billmgr'))
    assert client.api_url == 'http://127.0.0.1:8080/manager/billmgr'


@pytest.mark.parametrize('use_proxy', [True, False])
def test_use_proxy_reaches_the_transport(built_transports, use_proxy):
    api_module.client_from_module(FakeModule(use_proxy=use_proxy))
    assert built_transports == [dict(validate_certs=True, ca_path=None, use_proxy=use_proxy)]


def test_use_proxy_option_defaults_to_true_with_an_environment_fallback():
    spec = options.CONNECTION.options['use_proxy']
    assert spec['type'] == 'bool'
    assert spec['default'] is True
    assert spec['fallback'][1] == ['BILLMGR_USE_PROXY']
