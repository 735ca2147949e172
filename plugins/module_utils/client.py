# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one BILLmanager API client.

``read()`` is for functions that change nothing: it retries connection errors, timeouts,
429 (honouring Retry-After) and 5xx with exponential backoff inside a time budget.
``write()`` sends once. A write is re-sent only when it provably never reached the server
(connection refused, 429). Any other failure after sending raises AmbiguousWriteError:
the caller must re-read the state to learn whether the write happened.

No Ansible imports here: the client is used by modules and by tests alike.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import html
import re
import threading
import time

from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    AddressRefusedError, AmbiguousWriteError, ApiError, RedirectError, TLSVerificationError, TransportError,
    UnacknowledgedWriteError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import (
    excerpt, parse_answer, raise_for_error,
)

DEFAULT_API_URL = 'https://api.ispsystem.com/manager/billmgr'
# What stands in place of a text (an answer excerpt, an API message) that holds the password in any form.
WITHHELD = '(withheld: it holds the api_password)'
# How many layers of encoding are undone when looking for the password (double encoding by a proxy and the like).
DECODE_DEPTH = 3
# Texts (statuses, messages) follow the account's language unless the request names one.
LANGUAGE = 'en'
# What acknowledges a write besides <ok/>: the result each function is known to give. A flat <newexpiredate> is not
# one: the prolong form read without sok holds it too (only the executed call answers /doc/doc/newexpiredate).
WRITE_RESULTS = {
    'platform.order.param': ('id',),
    'service.prolong': ('doc/newexpiredate',),
}


class BillmgrClient:
    """Calls BILLmanager functions and returns the parsed ``<doc>`` element."""

    def __init__(self, api_url, user, password, transport, timeout=30, retry_budget=None,
                 sleep=time.sleep, monotonic=time.monotonic):
        self.api_url = api_url
        self.shown_url = url_without_userinfo(api_url)
        self.user = user or ''
        self.password = password or ''
        self.transport = transport
        self.timeout = timeout
        self.retry_budget = retry_budget if retry_budget is not None else max(timeout, 30)
        self.sleep = sleep
        self.monotonic = monotonic
        self.request_count = 0
        self._count_lock = threading.Lock()  # reads may run in threads (license_reads.prefetch)
        # license id -> (license, answer) or an exception, read ahead concurrently; each is used once (read_one).
        self.prefetched = {}
        self.server_date = None
        self.answer_lang = None  # the lang attribute of the last answer's <doc>
        self.redirect = None  # where the API address pointed, when it answered with a redirect
        self.secrets = []  # withheld from every text shown: the passwords, and the license keys read (add_secret)
        for secret in [self.password] + sorted(url_passwords(api_url)):
            self.add_secret(secret)

    # -- public API -------------------------------------------------------------------------

    def read(self, func, **params):
        """Call a function that changes nothing; transient failures are retried."""
        return self._call(func, params, write=False)

    def write(self, func, **params):
        """Call a function that changes something; never re-sent once it may have arrived."""
        return self._call(func, params, write=True)

    def add_secret(self, secret):
        """Withhold ``secret`` (a license key read) from every text shown, as the password is."""
        if secret and secret not in self.secrets:
            self.secrets.append(secret)

    def redact(self, text):
        """``text``, or WITHHELD when it holds the password (or another secret: a license key read) in any form.

        The text is never patched: guessing every encoding a proxy or a server might echo the password in is
        how a password leaks. Instead it is decoded every way it could be (see ``holds_password``), and a text
        in which any decoding shows the password is withheld whole.
        """
        text = '%s' % text
        return WITHHELD if any(self.holds_secret(text, secret) for secret in self.secrets) else text

    def holds_password(self, text):
        """True when the password appears in ``text`` (see ``holds_secret``)."""
        return self.holds_secret(text, self.password)

    @staticmethod
    def holds_secret(text, secret):
        """True when ``secret`` appears in ``text`` raw or after undoing HTML entities, %-encoding, '+' for
        space or JSON \\u escapes, in any combination, up to DECODE_DEPTH layers deep."""
        if not secret:
            return False
        seen = set([text])
        layer = seen
        for _depth in range(DECODE_DEPTH):
            if any(secret in candidate for candidate in layer):
                return True
            layer = set(decoded for candidate in layer for decoded in _decodings(candidate)) - seen
            seen.update(layer)
        return any(secret in candidate for candidate in layer)

    def _redact_body(self, body):
        if isinstance(body, bytes):
            body = body.decode('utf-8', 'replace')
        return self.redact(body or '')

    # -- internals --------------------------------------------------------------------------

    def _call(self, func, params, write):
        """Send until an answer is usable, the retry budget is spent, or a write's outcome is unknown.

        Retried: failures before the request reached the server, 429, and for reads also timeouts,
        lost connections and 5xx. A write that may have arrived raises AmbiguousWriteError instead.
        """
        deadline = self.monotonic() + self.retry_budget
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._send(func, params)
            except TLSVerificationError:
                raise
            except TransportError as exc:
                if write and exc.sent:
                    raise _ambiguous(func, exc) from None
                self._wait_or_raise(exc, deadline, attempt, None)
                continue
            self._raise_for_refusal(func, answer)
            if answer.status == 429 or (answer.status >= 500 and not write):
                self._wait_or_raise(self._http_error(func, answer), deadline, attempt, answer.header('Retry-After'))
                continue
            if answer.status >= 500:
                raise _ambiguous(func, self._http_error(func, answer)) from None
            try:
                root = self._parse(func, answer)
            except TransportError as exc:
                if write:
                    raise _ambiguous(func, exc) from None
                raise
            if write and not acknowledges(func, root):
                shown = excerpt(self._redact_body(answer.body))
                raise UnacknowledgedWriteError(
                    'BILLmanager %s: the answer does not acknowledge the write (no <ok/>%s); answer starts: %s'
                    % (func, ''.join(', no <%s>' % name for name in _result_names(func)), shown),
                    func=func, status=answer.status, excerpt=shown, sent=True)
            return root

    def _raise_for_refusal(self, func, answer):
        """Raise what an answer that is not a usable 2xx says for certain, whatever the HTTP status: a BILLmanager
        error document is the server's refusal (an "Insufficient funds" sent with HTTP 500 is not a lost answer), a
        redirect is never followed, and a bare 403 refuses the caller's address. 429 is left to the retries."""
        if answer.status == 429 or answer.status < 300:
            return
        if 300 <= answer.status < 400:
            self.redirect = answer.header('Location') or '(no Location header)'
            raise RedirectError(
                'BILLmanager %s: HTTP %s from %s: the API address redirects to %s. The redirect is not followed (the '
                'credentials would go along); nothing was done. Set api_url to the address it names, if you trust it'
                % (func, answer.status, self.shown_url, self.redact(url_without_userinfo(self.redirect))),
                func=func, status=answer.status, location=self.redirect)
        root = self._error_document(func, answer)
        if root is not None:
            self._parse(func, answer)  # raises the typed ApiError
        if answer.status == 403:
            body = excerpt(self._redact_body(answer.body))
            raise AddressRefusedError(
                'BILLmanager %s: HTTP 403 from %s without a BILLmanager answer: the server, or a proxy in front of it, '
                'refuses this request, most likely the address it comes from; nothing was done. Body starts: %s'
                % (func, self.shown_url, body or '(empty)'), func=func, status=403, excerpt=body, sent=False)

    def _error_document(self, func, answer):
        """The <doc> of an answer that is a BILLmanager error document, else None (never raises)."""
        try:
            root = parse_answer(answer.body, func, answer.status)
        except TransportError:
            return None
        return root if root.find('error') is not None else None

    def _send(self, func, params):
        form = dict((key, _form_value(value)) for key, value in params.items() if value is not None)
        form['func'] = func
        form['out'] = 'xml'
        form['lang'] = LANGUAGE
        form['authinfo'] = '%s:%s' % (self.user, self.password)
        with self._count_lock:
            self.request_count += 1
        try:
            answer = self.transport.post(self.api_url, data=form, timeout=self.timeout)
        except TransportError as exc:
            exc.func = func
            exc.args = ('BILLmanager %s: %s' % (func, self.redact(exc.args[0] if exc.args else exc)),)
            raise
        self._note_server_date(answer.header('Date'))
        return answer

    def _parse(self, func, answer):
        try:
            root = parse_answer(answer.body, func, answer.status, excerpt_of=lambda body: excerpt(self._redact_body(body)))
        except TransportError as exc:
            exc.args = (self.redact(exc.args[0]),)
            raise
        if answer.status >= 300 and root.find('error') is None:
            raise self._http_error(func, answer)
        self.answer_lang = root.get('lang') or self.answer_lang
        try:
            raise_for_error(root, func)
        except ApiError as exc:
            exc.api_message = self.redact(exc.api_message)
            exc.params = dict((name, self.redact(value)) for name, value in exc.params.items())
            exc.args = (self.redact(exc.describe()),)
            raise
        return root

    def _http_error(self, func, answer):
        body = excerpt(self._redact_body(answer.body))
        return TransportError('BILLmanager %s: HTTP %s from %s; body starts: %s' % (func, answer.status, self.shown_url, body or '(empty)'),
                              func=func, status=answer.status, excerpt=body)

    def _wait_or_raise(self, error, deadline, attempt, retry_after):
        delay = _retry_after_seconds(retry_after)
        if delay is None:
            delay = min(0.5 * (2 ** (attempt - 1)), 8.0)
        if self.monotonic() + delay > deadline:
            raise error
        self.sleep(delay)

    def _note_server_date(self, value):
        if not value:
            return
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return
        if parsed is not None:
            self.server_date = parsed.date()


def _result_names(func):
    """The element names of the results a write of ``func`` is known to answer, each once, in order."""
    names = []
    for path in WRITE_RESULTS.get(func, ()):
        name = path.split('/')[-1]
        if name not in names:
            names.append(name)
    return names


def url_passwords(url):
    """The password of a ``user:password@`` part of ``url``, as written and decoded (a set, empty when none)."""
    try:
        written = urlsplit(url).password
    except ValueError:
        return set()
    return set([written, unquote(written)]) if written else set()


def url_without_userinfo(url):
    """``url`` as it may be shown: without a ``user:password@`` part (credentials belong in api_user/api_password)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if '@' not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rpartition('@')[2], parts.path, parts.query, parts.fragment))


def _decodings(text):
    """The ways one layer of encoding may be undone (numeric entities also literally: html.unescape maps some to
    other characters, as HTML5 says)."""
    return set([html.unescape(text), unquote(text), unquote_plus(text),
                re.sub(r'\\u([0-9a-fA-F]{4})', lambda match: chr(int(match.group(1), 16)), text),
                re.sub(r'&#([0-9]{1,7});', lambda match: _char(int(match.group(1))), text),
                re.sub(r'&#[xX]([0-9a-fA-F]{1,6});', lambda match: _char(int(match.group(1), 16)), text)])


def _char(code):
    return chr(code) if code <= 0x10FFFF else ''


def acknowledges(func, root):
    """True when a write's answer says it was done: ``<ok/>``, or the result the function is known to give."""
    return any(root.find(path) is not None for path in ('ok',) + WRITE_RESULTS.get(func, ()))


def _ambiguous(func, error):
    return AmbiguousWriteError('%s; the write may or may not have happened' % error, func=func, status=error.status,
                               excerpt=error.excerpt, sent=True)


def _form_value(value):
    if isinstance(value, bool):
        return 'on' if value else 'off'
    return '%s' % value


def _retry_after_seconds(value):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
