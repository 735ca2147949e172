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
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the import sanity test
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

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
    """POST form bodies with requests; TLS verification on unless told otherwise."""

    def __init__(self, validate_certs=True, ca_path=None):
        self.session = requests.Session()
        self.session.headers['User-Agent'] = USER_AGENT
        self.session.trust_env = False  # no .netrc credentials, no surprise proxies from the environment
        if not validate_certs:
            self.session.verify = False
        elif ca_path:
            self.session.verify = ca_path
        else:
            self.session.verify = True

    def post(self, url, data, timeout):
        try:
            response = self.session.post(url, data=data, timeout=timeout, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise TLSVerificationError(
                'TLS error talking to %s: %s. Set ca_path to the CA that signed the server certificate, '
                'or validate_certs=false (not recommended).' % (url, _reason(exc)), sent=False) from None
        except requests.exceptions.ConnectTimeout:
            raise TransportError('connection to %s timed out after %ss' % (url, timeout), sent=False) from None
        except requests.exceptions.ReadTimeout:
            raise TransportError('no answer from %s within %ss' % (url, timeout), sent=True) from None
        except requests.exceptions.ConnectionError as exc:
            raise TransportError('connection to %s failed: %s' % (url, _reason(exc)), sent=not _never_connected(exc)) from None
        except requests.exceptions.RequestException as exc:
            raise TransportError('request to %s failed: %s' % (url, _reason(exc)), sent=True) from None
        return HttpAnswer(response.status_code, response.content, response.headers)


def _never_connected(exc):
    """True when the connection was never established, so nothing was sent."""
    text = repr(exc)
    return any(marker in text for marker in ('NewConnectionError', 'Connection refused', 'Name or service not known',
                                             'nodename nor servname', 'Failed to resolve', 'No route to host'))


def _reason(exc):
    """A short reason without the exception chain noise."""
    text = str(exc)
    return text if len(text) <= 300 else text[:300] + '...'
