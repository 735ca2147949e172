# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP transport for the BILLmanager client (requests).

The client only needs ``post(url, data, timeout) -> HttpAnswer``; tests inject a scripted
fake with the same method. The transport maps requests' exceptions to TransportError with
``sent`` telling whether the request can have reached the server.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

try:
    import requests
    from urllib3.exceptions import NewConnectionError  # requests depends on urllib3: every version has this class
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the import sanity test
    requests = None
    NewConnectionError = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from urllib.parse import unquote, urlsplit

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError, TLSVerificationError

USER_AGENT = 'ansible-collection-ispsystem.billmanager'


class HttpAnswer:
    """What the client needs of an HTTP answer."""

    def __init__(self, status, body, headers=None):
        self.status = status
        self.body = body
        self.headers = dict((k.lower(), v) for k, v in (headers or {}).items())

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


class RequestsTransport:
    """POST form bodies with requests; TLS verification on unless told otherwise.

    Proxies: with ``use_proxy`` (the default, as in ansible.builtin.uri) the proxy for each URL is taken from
    the environment (``https_proxy``/``HTTPS_PROXY``, ``http_proxy``, ``all_proxy``, skipped for hosts in
    ``no_proxy``/``NO_PROXY``); without it, no proxy is used.
    """

    def __init__(self, validate_certs=True, ca_path=None, use_proxy=True):
        self.session = requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        # trust_env stays off: it would also hand ~/.netrc credentials to requests (an Authorization header
        # that we never asked for) and pick the CA bundle from REQUESTS_CA_BUNDLE behind ca_path's back.
        # The proxies are computed explicitly instead, per request (environ_proxies), which is the one part
        # of the environment the modules honour.
        self.session.trust_env = False
        self.use_proxy = use_proxy
        if not validate_certs:
            self.session.verify = False
        elif ca_path:
            self.session.verify = ca_path
        else:
            self.session.verify = True

    def environ_proxies(self, url):
        """The proxies requests should use for ``url``: from the environment, none for a ``no_proxy`` host."""
        if not self.use_proxy:
            return {}
        return requests.utils.get_environ_proxies(url)

    def post(self, url, data, timeout):
        proxies = self.environ_proxies(url)
        try:
            response = self.session.post(url, data=data, timeout=timeout, allow_redirects=False, proxies=proxies)
        except requests.exceptions.SSLError as exc:
            raise TLSVerificationError(
                'TLS error talking to %s: %s. Set ca_path to the CA that signed the server certificate, '
                'or validate_certs=false (not recommended).' % (url, _reason(exc, proxies)), sent=False) from None
        except requests.exceptions.ConnectTimeout:
            raise TransportError('connection to %s timed out after %ss' % (url, timeout), sent=False) from None
        except requests.exceptions.ReadTimeout:
            raise TransportError('no answer from %s within %ss' % (url, timeout), sent=True) from None
        except requests.exceptions.ConnectionError as exc:
            raise TransportError('connection to %s failed: %s' % (url, _reason(exc, proxies)), sent=not _never_connected(exc)) from None
        except requests.exceptions.RequestException as exc:
            raise TransportError('request to %s failed: %s' % (url, _reason(exc, proxies)), sent=True) from None
        return HttpAnswer(response.status_code, response.content, response.headers)


def _never_connected(exc):
    """True when the connection was never established, so nothing was sent: urllib3 raised NewConnectionError
    (refused, no route, name resolution failed - urllib3 2's NameResolutionError is one) somewhere in the chain of
    the requests exception (its ``reason``, ``args``, cause and context)."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError):
            return True
        pending.extend([getattr(current, 'reason', None), current.__cause__, current.__context__])
        pending.extend(current.args)
    return False


def _reason(exc, proxies):
    """A short reason without the exception chain noise, and without the password of a proxy URL."""
    text = str(exc)
    for proxy in proxies.values():
        password = urlsplit(proxy).password
        if password:
            for form in set((password, unquote(password))):
                text = text.replace(form, '********')
    return text if len(text) <= 300 else text[:300] + '...'
