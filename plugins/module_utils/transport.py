# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP transport for the BILLmanager client, on Python's own http.client and ssl.

The client only needs ``post(url, data, timeout) -> HttpAnswer``; tests inject a scripted
fake with the same method. A failure is a TransportError whose ``sent`` says whether the
request can have reached the server: the connection (TCP, a proxy's CONNECT tunnel, the TLS
handshake) is made first, on its own, so any failure there is "not sent"; once the request
is being written, every failure is "sent".

Why not requests: importing it took a tenth of a second of every module run (issue 17), more
than everything else these modules import together.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import base64
import http.client
import ipaddress
import os
import select
import socket
import ssl
import threading
import zlib
from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import getproxies_environment, proxy_bypass_environment

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import url_passwords, url_without_userinfo
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError, TLSVerificationError

USER_AGENT = 'ansible-collection-ispsystem.billmanager'
DEFAULT_PORTS = {'http': 80, 'https': 443}


class HttpAnswer:
    """What the client needs of an HTTP answer."""

    def __init__(self, status, body, headers=None):
        self.status = status
        self.body = body
        self.headers = dict((k.lower(), v) for k, v in (headers or {}).items())

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


class Endpoint:
    """Where a request goes: the API URL's parts, and the proxy (if any) in front of it."""

    def __init__(self, url, proxy):
        parts = urlsplit(url)
        self.shown = url_without_userinfo(url)  # messages never carry the user info's password
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise TransportError('cannot send to %s: the URL must be http:// or https:// with a host name'
                                 % self.shown, sent=False)
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or DEFAULT_PORTS[parts.scheme]
        self.path = (parts.path or '/') + ('?' + parts.query if parts.query else '')
        self.auth = _basic_auth(parts)
        self.proxy = proxy
        self.proxy_host = self.proxy_port = self.proxy_auth = None
        if proxy:
            proxy_parts = urlsplit(proxy)
            if proxy_parts.scheme != 'http' or not proxy_parts.hostname:
                raise TransportError('proxy %s: only http:// proxies are supported (an https:// API is reached '
                                     'through their CONNECT tunnel)' % url_without_userinfo(proxy), sent=False)
            self.proxy_host = proxy_parts.hostname
            self.proxy_port = proxy_parts.port or 80
            self.proxy_auth = _basic_auth(proxy_parts)

    @property
    def key(self):
        return (self.scheme, self.host, self.port, self.proxy)

    def host_header(self):
        host = '[%s]' % self.host if ':' in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else '%s:%s' % (host, self.port)


class HttpTransport:
    """POST form bodies over HTTP/1.1, keeping connections alive between requests; TLS verified unless told not.

    Trust: ``ca_path`` (a PEM file or a directory of CA certificates) when given, else the system's CA store, as
    ``ansible.builtin.uri``. Proxies: with ``use_proxy`` (the default, as in ansible.builtin.uri) the proxy for each
    URL is taken from the environment (``https_proxy``/``HTTPS_PROXY``, ``http_proxy``, ``all_proxy``, skipped for
    hosts in ``no_proxy``/``NO_PROXY``: names, domain suffixes, ``*``, addresses and networks); an ``https://`` API
    is reached through the proxy's CONNECT tunnel, so the proxy never sees the request; a user and password in the
    proxy URL go to the proxy as basic authentication. Without ``use_proxy``, no proxy is used. Nothing else is
    taken from the environment (no ``.netrc``, no CA bundle variable).

    Safe for the concurrent reads of a fleet: each request takes a connection of its own from the idle ones (or a
    new one) and gives it back when its answer has been read whole.
    """

    def __init__(self, validate_certs=True, ca_path=None, use_proxy=True):
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.use_proxy = use_proxy
        self.lock = threading.Lock()
        self.idle = {}  # Endpoint.key -> connections whose last answer was read whole
        self.endpoints = {}  # url -> its Endpoint: the environment is read once per URL, not for each request
        self._tls_context = None

    # -- where to --------------------------------------------------------------------------------------------

    def proxy_for(self, url):
        """The proxy URL for ``url`` from the environment ('' for none, or for a ``no_proxy`` host); one given
        without a scheme is an http:// proxy."""
        if not self.use_proxy:
            return ''
        proxies = getproxies_environment()
        parts = urlsplit(url)
        if _bypassed(parts.hostname or '', parts.port, proxies.get('no', '')):
            return ''
        proxy = proxies.get(parts.scheme) or proxies.get('all') or ''
        return proxy if not proxy or '://' in proxy else 'http://' + proxy

    def endpoint(self, url):
        found = self.endpoints.get(url)
        if found is None:
            found = self.endpoints[url] = Endpoint(url, self.proxy_for(url))
        return found

    def tls_context(self):
        with self.lock:
            if self._tls_context is None:
                if not self.validate_certs:
                    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                elif self.ca_path and os.path.isdir(self.ca_path):
                    context = ssl.create_default_context(capath=self.ca_path)
                else:
                    context = ssl.create_default_context(cafile=self.ca_path or None)
                self._tls_context = context
            return self._tls_context

    # -- connections ---------------------------------------------------------------------------------------------

    def connect(self, endpoint, timeout):
        """A connection ready to send on: an idle one still open, else a new one (nothing sent to the API yet)."""
        with self.lock:
            idle = self.idle.get(endpoint.key, [])
            while idle:
                connection = idle.pop()
                if _still_open(connection):
                    connection.timeout = timeout
                    if connection.sock is not None:
                        connection.sock.settimeout(timeout)
                    return connection
                connection.close()
        if endpoint.scheme == 'https':
            connection = http.client.HTTPSConnection(endpoint.proxy_host or endpoint.host,
                                                     endpoint.proxy_port or endpoint.port,
                                                     timeout=timeout, context=self.tls_context())
            if endpoint.proxy:
                tunnel_headers = _auth_header('Proxy-Authorization', endpoint.proxy_auth)
                connection.set_tunnel(endpoint.host, endpoint.port, headers=tunnel_headers)
        else:
            connection = http.client.HTTPConnection(endpoint.proxy_host or endpoint.host,
                                                    endpoint.proxy_port or endpoint.port, timeout=timeout)
        url = endpoint.shown
        try:
            connection.connect()
        except ssl.SSLError as exc:  # ssl.SSLCertVerificationError is one
            connection.close()
            raise TLSVerificationError(
                'TLS error talking to %s: %s. Set ca_path to the CA that signed the server certificate, '
                'or validate_certs=false (not recommended).' % (url, _reason(exc, endpoint.proxy)), sent=False) from None
        except socket.timeout:
            connection.close()
            raise TransportError('connection to %s timed out after %ss' % (url, timeout), sent=False) from None
        except (OSError, http.client.HTTPException) as exc:  # refused, unreachable, no such name, the proxy said no
            connection.close()
            raise TransportError('connection to %s failed: %s' % (url, _reason(exc, endpoint.proxy)), sent=False) from None
        return connection

    def release(self, endpoint, connection, response):
        if response.will_close:
            connection.close()
            return
        with self.lock:
            self.idle.setdefault(endpoint.key, []).append(connection)

    # -- the request -----------------------------------------------------------------------------------------

    def post(self, url, data, timeout):
        endpoint = self.endpoint(url)
        url = endpoint.shown
        connection = self.connect(endpoint, timeout)
        headers = {
            'Host': endpoint.host_header(),
            'User-Agent': USER_AGENT,
            'Accept': '*/*',
            'Accept-Encoding': 'gzip, deflate',
            'Content-Type': 'application/x-www-form-urlencoded',
        }
        headers.update(_auth_header('Authorization', endpoint.auth))
        target = endpoint.path
        if endpoint.proxy and endpoint.scheme == 'http':  # a plain HTTP proxy is given the whole URL
            target = '%s://%s%s' % (endpoint.scheme, endpoint.host_header(), endpoint.path)
            headers.update(_auth_header('Proxy-Authorization', endpoint.proxy_auth))
        try:
            connection.request('POST', target, body=urlencode(data, doseq=True).encode('ascii'), headers=headers)
            response = connection.getresponse()
            body = _decoded(response.read(), response.getheader('Content-Encoding'))
        except socket.timeout:
            connection.close()
            raise TransportError('no answer from %s within %ss' % (url, timeout), sent=True) from None
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            connection.close()
            raise TransportError('request to %s failed: %s' % (url, _reason(exc, endpoint.proxy)), sent=True) from None
        self.release(endpoint, connection, response)
        return HttpAnswer(response.status, body, dict(response.getheaders()))


def _still_open(connection):
    """False when the server has closed an idle connection (it reads as ready: an end of file, or stray bytes)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, dummy_w, dummy_x = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


def _decoded(body, encoding):
    encoding = (encoding or '').strip().lower()
    if encoding == 'gzip':
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if encoding == 'deflate':
        try:
            return zlib.decompress(body)
        except zlib.error:  # raw deflate, without the zlib header, as some servers send it
            return zlib.decompress(body, -zlib.MAX_WBITS)
    return body


def _basic_auth(parts):
    """``user:password`` of a URL's user info (decoded), or None."""
    if parts.username is None:
        return None
    return '%s:%s' % (unquote(parts.username), unquote(parts.password or ''))


def _auth_header(name, credentials):
    if not credentials:
        return {}
    return {name: 'Basic %s' % base64.b64encode(credentials.encode('utf-8')).decode('ascii')}


def _bypassed(host, port, no_proxy):
    """True when ``host`` is in ``no_proxy``: a name or domain suffix (with the URL's port, when it names one), ``*``,
    an address or a network (CIDR)."""
    if not no_proxy or not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        for entry in (part.strip() for part in no_proxy.split(',')):
            if '/' in entry:
                try:
                    if address in ipaddress.ip_network(entry, strict=False):
                        return True
                except ValueError:
                    continue
    # proxy_bypass_environment matches an entry against the host alone and against host:port
    return bool(proxy_bypass_environment('%s:%s' % (host, port) if port else host, {'no': no_proxy}))


def _reason(exc, proxy):
    """A short reason without the password of a proxy URL."""
    text = str(exc) or type(exc).__name__
    for form in url_passwords(proxy or ''):
        text = text.replace(form, '********')
    return text if len(text) <= 300 else text[:300] + '...'
