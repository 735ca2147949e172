# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Exceptions raised by the BILLmanager client.

Two families: ``TransportError`` (no usable answer reached us) and ``ApiError``
(BILLmanager answered with ``<error type=... object=...>``).  Every message is
built from data that never contains the password; the client redacts anyway.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re


class BillmgrError(Exception):
    """Base of every error this collection raises about the API.

    Besides its message, an error carries as data what a failure report needs (see failures.py): ``options``, the
    names of the options concerned (``comment``, ``renew.max_periods``); ``advice``, what to do before rerunning
    when the error knows better than the generic advice; ``entry``, (index, name) of the wanted license of a fleet.
    Nothing reads a message back to decide anything.
    """

    options = ()
    advice = None
    entry = None

    def concerning(self, options=None, advice=None, entry=None):
        """Attach the failure data (only what is given); returns the error, for ``raise error.concerning(...)``."""
        if options:
            self.options = tuple(options)
        if advice:
            self.advice = advice
        if entry is not None:
            self.entry = entry
        return self


class InvalidOptionError(BillmgrError, ValueError):
    """Options that describe an impossible or unsafe change; the message says which option and why.

    Raised before any request where the options alone tell, else after the reads and before any write."""

    def __init__(self, message, options=(), advice=None):
        super(InvalidOptionError, self).__init__(message)
        self.concerning(options, advice)


class TransportError(BillmgrError):
    """No usable answer: connection problem, timeout, HTTP error page, non-XML body.

    ``sent`` tells whether the request may have reached the server. When it is
    False (connection refused, TLS handshake failure) nothing can have happened.
    """

    def __init__(self, message, func=None, status=None, excerpt=None, sent=True):
        self.func = func
        self.status = status
        self.excerpt = excerpt
        self.sent = sent
        super(TransportError, self).__init__(message)


class TLSVerificationError(TransportError):
    """The server certificate could not be verified."""


class RedirectError(TransportError):
    """The API address answered with a redirect (HTTP 3xx). It is never followed: the password would go along."""

    def __init__(self, message, func=None, status=None, location=None):
        self.location = location
        super(RedirectError, self).__init__(message, func=func, status=status, sent=False)


class AddressRefusedError(TransportError):
    """HTTP 403 without a BILLmanager answer: the server, or a proxy in front of it, refuses the caller's address."""


class AmbiguousWriteError(TransportError):
    """A write was sent but its outcome is unknown (lost answer, timeout, 5xx, broken body).

    Callers must re-read the state before deciding anything: the write may have happened.
    """


class UnacknowledgedWriteError(AmbiguousWriteError):
    """A write was answered, but not with an acknowledgement (no ``<ok/>``, no ``<id>``, no known result).

    BILLmanager answers a form function with the form when it does not take the submit: most likely nothing was
    done, but that is not proof. Callers re-read the state; such a write is never sent again in the same run.
    """


class ApiError(BillmgrError):
    """BILLmanager answered with an ``<error>`` element."""

    def __init__(self, func, error_type, error_object, message, params=None):
        self.func = func
        self.error_type = error_type
        self.error_object = error_object
        self.api_message = message
        self.params = params or {}
        super(ApiError, self).__init__(self.describe())

    def describe(self):
        where = " on '%s'" % self.error_object if self.error_object else ''
        text = self.api_message or 'no message'
        return 'BILLmanager %s failed: %s error%s: %s' % (self.func, self.error_type or 'untyped', where, text)


class AuthError(ApiError):
    """Bad user name or password, an expired session, or a caller outside the account's API address whitelist."""

    def describe(self):
        text = super(AuthError, self).describe()
        if self.error_object in ADDRESS_OBJECTS:
            return ('%s. BILLmanager refuses the address this request comes from: the account restricts API logins '
                    '(authinfo) to a list of addresses; add this address in the account settings, or run the task '
                    'where an allowed address is used' % text)
        return ('%s. Check api_user and api_password; an account can also restrict API logins (authinfo) to a list '
                'of addresses, so the address this request comes from may not be allowed' % text)


# Objects of an auth error that say the caller's address is not allowed ("Access from this IP denied").
ADDRESS_OBJECTS = frozenset(['badip', 'ip'])


class AccessDeniedError(ApiError):
    """The account may not do this (or may not see this object)."""


class InvalidValueError(ApiError):
    """A parameter was missing or had a value BILLmanager refused (types value/missed)."""


class NotFoundError(ApiError):
    """The object named by ``elid`` does not exist."""


class ExistsError(ApiError):
    """BILLmanager refused to create what already exists (type ``exists``), such as a second trial of a product."""

    def describe(self):
        return '%s (BILLmanager says it already exists)' % super(ExistsError, self).describe()


class RequestFormatError(ApiError):
    """BILLmanager could not read the request (type ``xml``): a bug of this collection or an API change."""

    def describe(self):
        return '%s (BILLmanager could not read the request; please report it with the calls shown)' % super(
            RequestFormatError, self).describe()


class InsufficientFundsError(ApiError):
    """The account balance does not cover the cost."""

    @property
    def balance(self):
        return self.params.get('balance')

    @property
    def cost(self):
        return self.params.get('cost')

    def describe(self):
        text = super(InsufficientFundsError, self).describe()
        known = ['%s %s' % (name, self.params[name]) for name in ('balance', 'cost') if self.params.get(name)]
        if known and not all(self.params[name] in (self.api_message or '') for name in ('balance', 'cost') if self.params.get(name)):
            text += ' (%s)' % ', '.join(known)
        return text


class UnknownApiError(ApiError):
    """An error type this collection does not know; the message names the type."""

    def describe(self):
        return '%s (unrecognised BILLmanager error type %r)' % (super(UnknownApiError, self).describe(), self.error_type)


ERROR_TYPES = {
    'auth': AuthError,
    'access': AccessDeniedError,
    'value': InvalidValueError,
    'missed': InvalidValueError,
    'notfound': NotFoundError,
    'not_found': NotFoundError,
    'money': InsufficientFundsError,
    'balance': InsufficientFundsError,
    'exists': ExistsError,
    'xml': RequestFormatError,
}

# A not-found answer: one of these types, on one of these objects (ISPsystem's own modules raise Missed("item", id);
# COREmanager answers access on elid for an object of another account; clients also show plain "not found" types).
NOT_FOUND_TYPES = frozenset(['missed', 'access', 'notfound', 'not_found', 'objnotfound'])
NOT_FOUND_OBJECTS = frozenset(['elid', 'id', 'item', 'license', 'service', 'platform'])


def api_error(func, error_type, error_object, message, params):
    """Return the typed exception for an ``<error>`` answer."""
    if error_type == 'missed' and error_object in NOT_FOUND_OBJECTS and params.get('value'):
        cls = NotFoundError
    else:
        cls = ERROR_TYPES.get(error_type, UnknownApiError)
    return cls(func, error_type, error_object, message, params)


def says_not_found(error, object_id):
    """True when ``error`` says that the object ``object_id`` does not exist (or is not this account's).

    Only a not-found type on an object naming an item counts, and only when the answer names this id (as the
    ``value`` param or in its message): an error about a missing *parameter* is a different failure.
    """
    if not isinstance(error, ApiError):
        return False
    if error.error_type not in NOT_FOUND_TYPES or error.error_object not in NOT_FOUND_OBJECTS:
        return False
    wanted = '%s' % object_id
    if (error.params.get('value') or '').strip() == wanted:
        return True
    return re.search(r'(?<!\d)%s(?!\d)' % re.escape(wanted), error.api_message or '') is not None
