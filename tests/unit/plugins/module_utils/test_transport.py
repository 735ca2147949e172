# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HttpTransport over real sockets (local scripted servers): what goes on the wire, keep-alive, TLS, proxies from the
environment (use_proxy) and nothing else from it, and whether a failure can have reached the server (``sent``);
client_from_module: the default URL for an empty api_url."""

from __future__ import annotations

import base64
import gzip
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import parse_qs

import pytest
import trustme

from ansible_collections.ispsystem.billmanager.plugins.module_utils import api_module, options, transport as transport_module
from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import DEFAULT_API_URL, WITHHELD
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TLSVerificationError, TransportError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import HttpTransport
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.local_http import (
    OK_BODY, ScriptedServer, answer,
)

API = 'https://api.example.test/manager/billmgr'
PROXY = 'http://proxy.example.test:3128'
PROXY_ENV = ('https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY')
FORM = {'func': 'platform', 'out': 'xml', 'authinfo': 'demo:s3cret word&more'}


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch):
    """Each test starts without proxy variables, whatever the machine running the tests has."""
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv('REQUEST_METHOD', raising=False)


def closed_port():
    """A local port nothing listens on."""
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def failure_of(transport, url, timeout=5):
    with pytest.raises(TransportError) as caught:
        transport.post(url, data=FORM, timeout=timeout)
    return caught.value


# -- what goes on the wire ---------------------------------------------------------------------------------------

def test_a_post_carries_the_form_url_encoded_and_returns_the_answer():
    with ScriptedServer(lambda request: answer(body=OK_BODY, headers={'X-Seen': 'yes'})) as server:
        got = HttpTransport().post(server.url, data=FORM, timeout=5)
    assert (got.status, got.body, got.header('x-seen')) == (200, OK_BODY, 'yes')
    request = server.requests[0]
    assert (request.method, request.target, request.version) == ('POST', '/manager/billmgr', 'HTTP/1.1')
    assert request.headers['content-type'] == 'application/x-www-form-urlencoded'
    assert request.headers['user-agent'] == 'ansible-collection-ispsystem.billmanager'
    assert request.headers['host'] == '127.0.0.1:%d' % server.port
    assert parse_qs(request.body.decode('ascii'), strict_parsing=True) == dict((k, [v]) for k, v in FORM.items())
    assert 'authorization' not in request.headers and 'proxy-authorization' not in request.headers


def test_non_ascii_form_values_go_as_utf_8():
    with ScriptedServer() as server:
        HttpTransport().post(server.url, data={'comment': 'панель №1'}, timeout=5)
    assert parse_qs(server.requests[0].body.decode('ascii'), encoding='utf-8') == {'comment': ['панель №1']}


def test_connections_are_kept_alive_between_requests():
    with ScriptedServer() as server:
        transport = HttpTransport()
        for dummy in range(3):
            assert transport.post(server.url, data=FORM, timeout=5).status == 200
    assert server.connections == 1 and len(server.requests) == 3


def test_a_connection_the_server_closed_is_not_reused():
    with ScriptedServer(lambda request: answer(close=True)) as server:
        transport = HttpTransport()
        for dummy in range(2):
            assert transport.post(server.url, data=FORM, timeout=5).status == 200
    assert server.connections == 2


def test_a_kept_alive_connection_the_server_closed_while_idle_is_not_reused():
    """The answer promised keep-alive, then the server closed the idle connection: the next request goes on a new
    one. Sent on the dead one, it would fail after writing, and a write would count as maybe done."""
    with ScriptedServer(close_idle=True) as server:
        transport = HttpTransport()
        assert transport.post(server.url, data=FORM, timeout=5).status == 200
        time.sleep(0.3)  # the server's FIN arrives
        assert transport.post(server.url, data=FORM, timeout=5).status == 200
    assert server.connections == 2 and len(server.requests) == 2


def test_the_environment_is_read_once_per_url_not_per_request(monkeypatch):
    """A fleet sends a thousand reads: reading the proxy variables for each cost 70 microseconds a request."""
    reads = []
    real = transport_module.getproxies_environment
    monkeypatch.setattr(transport_module, 'getproxies_environment', lambda: reads.append(1) or real())
    with ScriptedServer() as server:
        transport = HttpTransport()
        for dummy in range(3):
            transport.post(server.url, data=FORM, timeout=5)
    assert len(reads) == 1


def test_the_password_of_the_api_url_user_info_stays_out_of_messages():
    failure = failure_of(HttpTransport(), 'http://gate:pw-secret@127.0.0.1:%d/manager/billmgr' % closed_port())
    assert 'pw-secret' not in str(failure) and 'http://127.0.0.1:' in str(failure)


def test_concurrent_posts_each_get_a_connection_of_their_own():
    """read_concurrency: the fleet's reads run on threads at once."""
    gate = threading.Barrier(4)

    def script(request):
        gate.wait(5)  # all four requests must be in flight together
        return answer()

    transport = HttpTransport()
    with ScriptedServer(script) as server:
        results = []
        threads = [threading.Thread(target=lambda: results.append(transport.post(server.url, data=FORM, timeout=5).status))
                   for dummy in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert results == [200] * 4 and server.connections == 4


@pytest.mark.parametrize('encoding, packed', [
    ('gzip', gzip.compress(OK_BODY, mtime=0)),
    ('deflate', zlib.compress(OK_BODY)),
    ('deflate', zlib.compress(OK_BODY)[2:-4]),  # raw deflate, without the zlib header
], ids=['gzip', 'deflate', 'raw-deflate'])
def test_a_compressed_answer_is_decoded(encoding, packed):
    with ScriptedServer(lambda request: answer(body=packed, headers={'Content-Encoding': encoding})) as server:
        assert HttpTransport().post(server.url, data=FORM, timeout=5).body == OK_BODY
    assert server.requests[0].headers['accept-encoding'] == 'gzip, deflate'


def test_a_redirect_is_returned_not_followed():
    with ScriptedServer(lambda request: answer(status=302, body=b'', headers={'Location': 'https://elsewhere.test/'})) as server:
        got = HttpTransport().post(server.url, data=FORM, timeout=5)
    assert (got.status, got.header('location')) == (302, 'https://elsewhere.test/')
    assert len(server.requests) == 1


def test_user_info_in_the_api_url_goes_as_basic_authentication():
    """As requests did: a web server in front of BILLmanager may ask for it."""
    with ScriptedServer() as server:
        HttpTransport().post(server.url.replace('://', '://gate%40keeper:pa%3Ass@'), data=FORM, timeout=5)
    assert server.requests[0].headers['authorization'] == 'Basic ' + base64.b64encode(b'gate@keeper:pa:ss').decode()


# -- whether a failure can have reached the server ----------------------------------------------------------------

def test_a_refused_connection_was_not_sent():
    failure = failure_of(HttpTransport(), 'http://127.0.0.1:%d/manager/billmgr' % closed_port())
    assert failure.sent is False
    assert 'connection to http://127.0.0.1' in str(failure)


def test_a_failed_name_resolution_was_not_sent(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(-2, 'Name or service not known')

    monkeypatch.setattr(socket, 'getaddrinfo', no_such_name)
    assert failure_of(HttpTransport(), API).sent is False


def test_a_connect_timeout_was_not_sent(monkeypatch):
    def too_slow(*args, **kwargs):
        raise socket.timeout('timed out')

    monkeypatch.setattr(socket, 'create_connection', too_slow)
    failure = failure_of(HttpTransport(), API, timeout=3)
    assert failure.sent is False and 'timed out after 3s' in str(failure)


def test_no_answer_in_time_counts_as_sent():
    """The server has the request and says nothing: it may have acted on it (a write is never resent)."""
    with ScriptedServer(lambda request: 'hang') as server:
        failure = failure_of(HttpTransport(), server.url, timeout=0.5)
    assert failure.sent is True and 'no answer from' in str(failure)
    assert len(server.requests) == 1


@pytest.mark.parametrize('action', ['reset', 'close'])
def test_a_connection_lost_after_the_request_counts_as_sent(action):
    with ScriptedServer(lambda request: action) as server:
        failure = failure_of(HttpTransport(), server.url)
    assert failure.sent is True and len(server.requests) == 1


def test_a_truncated_answer_counts_as_sent():
    truncated = b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n<doc>'
    with ScriptedServer(lambda request: truncated) as server:
        assert failure_of(HttpTransport(), server.url).sent is True


def test_a_broken_compressed_answer_counts_as_sent():
    with ScriptedServer(lambda request: answer(body=b'not gzip', headers={'Content-Encoding': 'gzip'})) as server:
        assert failure_of(HttpTransport(), server.url).sent is True


# -- TLS ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def authority():
    return trustme.CA()


def test_an_untrusted_certificate_fails_before_sending(authority):
    with ScriptedServer(tls_ca=authority) as server:
        failure = failure_of(HttpTransport(), server.url)
    assert isinstance(failure, TLSVerificationError) and failure.sent is False
    assert 'ca_path' in str(failure) and server.requests == []


def test_ca_path_file_is_trusted(authority, tmp_path):
    ca_file = tmp_path / 'ca.pem'
    authority.cert_pem.write_to_path(str(ca_file))
    with ScriptedServer(tls_ca=authority) as server:
        assert HttpTransport(ca_path=str(ca_file)).post(server.url, data=FORM, timeout=5).status == 200


def test_ca_path_directory_is_read_as_a_directory_of_certificates(monkeypatch, tmp_path):
    """A directory (c_rehash layout) is OpenSSL's capath, a file its cafile; nothing else is trusted beside them."""
    made = []
    real = ssl.create_default_context

    def recording(**kwargs):
        made.append(kwargs)
        return real()

    monkeypatch.setattr(ssl, 'create_default_context', recording)
    HttpTransport(ca_path=str(tmp_path)).tls_context()
    HttpTransport(ca_path=str(tmp_path / 'ca.pem')).tls_context()
    HttpTransport().tls_context()
    assert made == [{'capath': str(tmp_path)}, {'cafile': str(tmp_path / 'ca.pem')}, {'cafile': None}]


def test_without_ca_path_the_system_store_is_used_where_openssl_is_told_it_is(monkeypatch, authority, tmp_path):
    """The porting note's claim: SSL_CERT_FILE (OpenSSL's own variable) moves the system store; ca_path replaces it."""
    ca_file = tmp_path / 'system.pem'
    authority.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv('SSL_CERT_FILE', str(ca_file))
    with ScriptedServer(tls_ca=authority) as server:
        assert HttpTransport().post(server.url, data=FORM, timeout=5).status == 200
        other = tmp_path / 'other.pem'
        trustme.CA().cert_pem.write_to_path(str(other))
        assert isinstance(failure_of(HttpTransport(ca_path=str(other)), server.url), TLSVerificationError)


def test_validate_certs_false_accepts_any_certificate(authority):
    with ScriptedServer(tls_ca=authority) as server:
        assert HttpTransport(validate_certs=False).post(server.url, data=FORM, timeout=5).status == 200


def test_the_rest_of_the_environment_stays_out(monkeypatch, tmp_path, authority):
    """No .netrc credentials, no CA bundle from REQUESTS_CA_BUNDLE behind ca_path's back."""
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine 127.0.0.1 login someone password from-netrc\n', encoding='utf-8')
    monkeypatch.setenv('NETRC', str(netrc))
    ca_file = tmp_path / 'ca.pem'
    authority.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(ca_file))
    with ScriptedServer(tls_ca=authority) as server:
        assert isinstance(failure_of(HttpTransport(), server.url), TLSVerificationError)
        HttpTransport(ca_path=str(ca_file)).post(server.url, data=FORM, timeout=5)
    assert 'authorization' not in server.requests[0].headers


# -- proxies ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('name', ['https_proxy', 'HTTPS_PROXY'])
def test_https_proxy_from_the_environment_is_used(monkeypatch, name):
    monkeypatch.setenv(name, PROXY)
    assert HttpTransport().proxy_for(API) == PROXY


def test_http_url_uses_http_proxy(monkeypatch):
    monkeypatch.setenv('http_proxy', PROXY)
    monkeypatch.setenv('HTTPS_PROXY', 'http://other.test:1')
    assert HttpTransport().proxy_for('http://api.example.test/manager/billmgr') == PROXY


def test_all_proxy_is_the_fallback(monkeypatch):
    monkeypatch.setenv('ALL_PROXY', PROXY)
    assert HttpTransport().proxy_for(API) == PROXY


def test_a_proxy_without_a_scheme_is_an_http_proxy(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'proxy.example.test:3128')
    assert HttpTransport().proxy_for(API) == PROXY


@pytest.mark.parametrize('no_proxy', ['api.example.test', '.example.test', 'example.test', 'other.test, api.example.test',
                                      '*'])
def test_no_proxy_hosts_are_reached_directly(monkeypatch, no_proxy):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', no_proxy)
    assert HttpTransport().proxy_for(API) == ''


@pytest.mark.parametrize('no_proxy, proxied', [('10.0.0.0/8', False), ('10.1.2.3', False), ('192.168.0.0/16', True),
                                               ('not-a-network/99', True)])
def test_no_proxy_addresses_and_networks(monkeypatch, no_proxy, proxied):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('no_proxy', no_proxy)
    assert HttpTransport().proxy_for('https://10.1.2.3/manager/billmgr') == (PROXY if proxied else '')


@pytest.mark.parametrize('url, proxied', [('https://api.example.test:8443/manager/billmgr', False),
                                          ('https://api.example.test/manager/billmgr', True),
                                          ('https://api.example.test:9443/manager/billmgr', True)])
def test_no_proxy_entry_with_a_port_matches_that_port_only(monkeypatch, url, proxied):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', 'api.example.test:8443')
    assert HttpTransport().proxy_for(url) == (PROXY if proxied else '')


def test_no_proxy_names_an_ipv6_address(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', '::1,fd00::/8')
    transport = HttpTransport()
    assert transport.proxy_for('https://[::1]:1500/manager/billmgr') == ''
    assert transport.proxy_for('https://[fd00::5]/manager/billmgr') == ''
    assert transport.proxy_for('https://[2001:db8::1]/manager/billmgr') == PROXY


def test_no_proxy_for_another_host_keeps_the_proxy(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('NO_PROXY', 'localhost,127.0.0.1,internal.test')
    assert HttpTransport().proxy_for(API) == PROXY


def test_use_proxy_false_ignores_the_environment(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', PROXY)
    monkeypatch.setenv('ALL_PROXY', PROXY)
    assert HttpTransport(use_proxy=False).proxy_for(API) == ''


def test_without_proxy_variables_nothing_is_proxied():
    assert HttpTransport().proxy_for(API) == ''


def test_an_http_api_goes_to_the_proxy_as_a_whole_url_with_its_credentials(monkeypatch):
    with ScriptedServer() as proxy:
        monkeypatch.setenv('http_proxy', 'http://proxy%%40user:pr%%40xy@127.0.0.1:%d' % proxy.port)
        HttpTransport().post('http://api.example.test:8080/manager/billmgr', data=FORM, timeout=5)
    request = proxy.requests[0]
    assert request.target == 'http://api.example.test:8080/manager/billmgr'
    assert request.headers['host'] == 'api.example.test:8080'
    assert request.headers['proxy-authorization'] == 'Basic ' + base64.b64encode(b'proxy@user:pr@xy').decode()


def test_an_https_api_goes_through_a_connect_tunnel_with_the_proxy_credentials(monkeypatch):
    """The proxy refuses the tunnel (407): nothing reached the API, and the CONNECT carried the credentials."""
    with ScriptedServer(lambda request: answer(status=407, body=b'', close=True)) as proxy:
        monkeypatch.setenv('HTTPS_PROXY', 'http://proxyuser:pr%%40xy-secret@127.0.0.1:%d' % proxy.port)
        failure = failure_of(HttpTransport(), API)
    request = proxy.requests[0]
    assert (request.method, request.target) == ('CONNECT', 'api.example.test:443')
    assert request.headers['proxy-authorization'] == 'Basic ' + base64.b64encode(b'proxyuser:pr@xy-secret').decode()
    assert failure.sent is False and '407' in str(failure)


def test_a_proxy_that_refuses_the_connection_was_not_sent_and_its_password_stays_out(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxyuser:pr%%40xy-secret@127.0.0.1:%d' % closed_port())
    failure = failure_of(HttpTransport(), API)
    assert failure.sent is False
    assert 'xy-secret' not in str(failure) and 'api.example.test' in str(failure)


@pytest.mark.parametrize('proxy', ['https://proxy.example.test:3128', 'socks5://proxy.example.test:1080'])
def test_an_unsupported_proxy_scheme_fails_before_sending(monkeypatch, proxy):
    monkeypatch.setenv('HTTPS_PROXY', proxy.replace('proxy.', 'user:pw-secret@proxy.'))
    failure = failure_of(HttpTransport(), API)
    assert failure.sent is False and 'only http:// proxies' in str(failure) and 'pw-secret' not in str(failure)


def test_a_url_that_is_not_http_fails_before_sending():
    failure = failure_of(HttpTransport(), 'ftp://api.example.test/manager/billmgr')
    assert failure.sent is False


# -- client_from_module ------------------------------------------------------------------------------

class FakeModule:
    def __init__(self, **params):
        self.params = dict(api_url=DEFAULT_API_URL, api_user='u', api_password='p', validate_certs=True, ca_path=None,
                           timeout=30, use_proxy=True)
        self.params.update(params)
        self.no_log_values = set()  # as AnsibleModule's: values masked wherever they appear in the result

    def fail_json(self, **kwargs):
        raise AssertionError('fail_json(%r)' % (kwargs,))


@pytest.fixture
def built_transports(monkeypatch):
    built = []

    def factory(**kwargs):
        built.append(kwargs)
        return object()

    monkeypatch.setattr(api_module, 'HttpTransport', factory)
    return built


@pytest.mark.parametrize('api_url', ['', None])
def test_empty_api_url_means_the_default(built_transports, api_url):
    client = api_module.client_from_module(FakeModule(api_url=api_url))
    assert client.api_url == DEFAULT_API_URL


def test_api_url_given_is_kept(built_transports):
    client = api_module.client_from_module(FakeModule(api_url='http://127.0.0.1:8080/manager/billmgr'))
    assert client.api_url == 'http://127.0.0.1:8080/manager/billmgr'


def test_a_password_in_api_url_is_masked_in_the_result_and_withheld_from_messages(built_transports):
    module = FakeModule(api_url='https://gateway:p%40ss-w0rd@127.0.0.1:8080/manager/billmgr', api_password='Api-Secret')
    client = api_module.client_from_module(module)
    assert module.no_log_values == set(['p%40ss-w0rd', 'p@ss-w0rd'])  # as written in the URL, and decoded
    assert client.redact('echoed: p@ss-w0rd') == WITHHELD
    assert client.redact('echoed: p%2540ss-w0rd') == WITHHELD
    assert client.redact('echoed: another text') == 'echoed: another text'
    assert client.shown_url == 'https://127.0.0.1:8080/manager/billmgr'


def test_an_api_url_without_a_password_masks_nothing(built_transports):
    module = FakeModule(api_url='https://gateway@127.0.0.1:8080/manager/billmgr')
    client = api_module.client_from_module(module)
    assert module.no_log_values == set()
    assert client.secrets == ['p']


@pytest.mark.parametrize('use_proxy', [True, False])
def test_use_proxy_reaches_the_transport(built_transports, use_proxy):
    api_module.client_from_module(FakeModule(use_proxy=use_proxy))
    assert built_transports == [dict(validate_certs=True, ca_path=None, use_proxy=use_proxy)]


def test_use_proxy_option_defaults_to_true_with_an_environment_fallback():
    spec = options.CONNECTION.options['use_proxy']
    assert spec['type'] == 'bool'
    assert spec['default'] is True
    assert spec['fallback'][1] == ['BILLMGR_USE_PROXY']
