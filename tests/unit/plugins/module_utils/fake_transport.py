# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A scripted stand-in for the client's HTTP transport, plus a fake clock and XML builders.

The test writes the whole HTTP conversation down, call by call::

    transport = FakeTransport([
        expect('platform', {'p_cnt': 500, 'p_num': 1}).answer(list_doc([elem(id=101, status=2)])),
        expect('platform.edit', {'elid': 101, 'sok': 'ok'}, subset=True).raises(TransportError('reset', sent=True)),
    ])
    client = make_client(transport)
    ...
    transport.assert_done()

Each step names the ``func`` it expects and the form values (everything but ``func``, ``out`` and
``authinfo``). By default the values must match *exactly* (no key more, no key less); with
``subset=True`` only the listed keys are compared, and ``absent=(...)`` names keys that must not be
sent at all. A value of ``ANY`` only asks for the key to be present. Expected ints are compared as
their decimal text (the form always carries text); bools are NOT converted, write ``'on'``/``'off'``.

Every request must also carry ``out=xml``, ``lang=en`` and ``authinfo`` (``FakeTransport(authinfo='user:pw')``
checks its exact value) and go to ``url`` when one is given. A request that does not match the next
step, or a request after the last step, fails the test at once with ``pytest.fail`` (which an
``except Exception`` in the code under test cannot swallow) and is remembered, so ``assert_done()``
reports it too. ``assert_done()`` also fails while steps remain.

An answer is ``status``, ``body`` (bytes or text, encoded as UTF-8) and ``headers``; or an exception
to raise (``.raises(TransportError(..., sent=False))``); or a callable ``respond(form)`` returning an
``HttpAnswer`` (for answers that depend on what was sent). ``elapsed`` seconds are added to the
``FakeClock`` handed to the transport, to model a request that took time (a timeout).
"""

from __future__ import annotations

import copy

from xml.sax.saxutils import escape, quoteattr

import pytest

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import HttpAnswer

API_URL = 'https://billmgr.example.test/manager/billmgr'
USER = 'demo'
PASSWORD = 'demo-secret'
ENVELOPE = ('func', 'out', 'lang', 'authinfo')


class _Any:
    """Matches any value of a key that must be present."""

    def __repr__(self):
        return 'ANY'


ANY = _Any()


class Step:
    """One expected request and what the fake server does about it."""

    def __init__(self, func, params=None, subset=False, absent=()):
        self.func = func
        self.params = dict(params or {})
        self.subset = subset
        self.absent = tuple(absent)
        self.status = 200
        self.body = b''
        self.headers = {}
        self.exception = None
        self.respond = None
        self.elapsed = 0.0

    def answer(self, body=b'', status=200, headers=None, elapsed=0.0):
        """Answer with an HTTP status, a body (bytes or text) and headers."""
        self.body = body.encode('utf-8') if isinstance(body, str) else body
        self.status = status
        self.headers = dict(headers or {})
        self.elapsed = elapsed
        return self

    def raises(self, exception, elapsed=0.0):
        """Raise this exception from ``post`` instead of answering (a TransportError, usually)."""
        self.exception = exception
        self.elapsed = elapsed
        return self

    def responds(self, respond, elapsed=0.0):
        """Build the answer from the sent form: ``respond(form) -> HttpAnswer``."""
        self.respond = respond
        self.elapsed = elapsed
        return self

    def describe(self):
        mode = 'subset of' if self.subset else 'exactly'
        text = '%s with %s %r' % (self.func, mode, self.params)
        if self.absent:
            text += ' and without %r' % (self.absent,)
        return text

    def mismatches(self, form):
        """Human-readable differences between this step and a sent form (empty when it matches)."""
        problems = []
        if form.get('func') != self.func:
            problems.append('func is %r, expected %r' % (form.get('func'), self.func))
        sent = dict((key, value) for key, value in form.items() if key not in ENVELOPE)
        for key, expected in self.params.items():
            if key not in sent:
                problems.append('%s is missing (expected %r)' % (key, expected))
            elif expected is not ANY and sent[key] != _as_form_text(expected):
                problems.append('%s is %r, expected %r' % (key, sent[key], _as_form_text(expected)))
        if not self.subset:
            extra = sorted(set(sent) - set(self.params))
            if extra:
                problems.append('unexpected keys %s' % ', '.join('%s=%r' % (key, sent[key]) for key in extra))
        for key in self.absent:
            if key in sent:
                problems.append('%s must not be sent (sent %r)' % (key, sent[key]))
        return problems


def expect(func, params=None, subset=False, absent=()):
    """A step expecting ``func`` with ``params`` (exactly, or a subset when ``subset=True``)."""
    return Step(func, params, subset=subset, absent=absent)


def _as_form_text(value):
    if isinstance(value, bool):
        return value  # never equal to a form string: bools must be written as 'on'/'off' in a script
    if isinstance(value, int):
        return '%d' % value
    return value


class FakeClock:
    """``monotonic()`` and ``sleep()`` for the client: sleeping only moves the clock and is recorded."""

    def __init__(self, start=1000.0):
        self.now = float(start)
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds):
        self.now += seconds


class FakeTransport:
    """Plays a script of expected requests and answers; see the module docstring."""

    def __init__(self, script, url=None, authinfo=None, clock=None, price_forms=None):
        self.script = list(script)
        self.url = url
        self.authinfo = authinfo
        self.clock = clock
        self.position = 0
        self.requests = []
        self.failures = []
        # ``price_forms(form) -> HttpAnswer``: answers the read-only forms the modules read for prices (order and
        # prolong forms, without ``sok``) that the script does not list; they are kept in ``form_reads``, not in
        # ``requests``. None: such reads must be scripted like any other request.
        self.price_forms = price_forms
        self.form_reads = []

    # -- the transport interface --------------------------------------------------------------

    def post(self, url, data, timeout):
        form = dict(data)
        if self._unscripted_price_form(form):
            self.form_reads.append(copy.deepcopy(form))
            return self.price_forms(form)
        self.requests.append({'url': url, 'form': copy.deepcopy(form), 'timeout': timeout})
        number = len(self.requests)
        if self.position >= len(self.script):
            self._fail('request #%d is one too many (the script has %d steps): func=%s %r'
                       % (number, len(self.script), form.get('func'), _public(form)))
        step = self.script[self.position]
        problems = step.mismatches(form)
        if form.get('out') != 'xml':
            problems.append('out is %r, expected \'xml\'' % (form.get('out'),))
        if form.get('lang') != 'en':
            problems.append('lang is %r, expected \'en\'' % (form.get('lang'),))
        if 'authinfo' not in form:
            problems.append('authinfo is missing')
        elif self.authinfo is not None and form['authinfo'] != self.authinfo:
            problems.append('authinfo is not the expected user:password')
        if self.url is not None and url != self.url:
            problems.append('url is %r, expected %r' % (url, self.url))
        if problems:
            self._fail('request #%d does not match step %d (%s): %s; sent %r'
                       % (number, self.position + 1, step.describe(), '; '.join(problems), _public(form)))
        self.position += 1
        if self.clock is not None and step.elapsed:
            self.clock.advance(step.elapsed)
        if step.exception is not None:
            raise step.exception
        if step.respond is not None:
            return step.respond(form)
        return HttpAnswer(step.status, step.body, step.headers)

    def _unscripted_price_form(self, form):
        if self.price_forms is None or form.get('func') not in PRICE_FORMS or 'sok' in form:
            return False
        if self.position >= len(self.script):
            return True
        step = self.script[self.position]
        # A scripted form read: an exact step without sok, or a subset step that says sok is absent.
        scripted = not step.mismatches(form) and (not step.subset or 'sok' in step.absent)
        return not scripted

    # -- for the tests ---------------------------------------------------------------------------

    def assert_done(self):
        """Fail when a request did not match or when scripted steps were never requested."""
        if self.failures:
            pytest.fail(self.failures[0], pytrace=False)
        if self.position != len(self.script):
            left = ', '.join(step.describe() for step in self.script[self.position:])
            pytest.fail('%d scripted request(s) never made: %s' % (len(self.script) - self.position, left), pytrace=False)

    @property
    def forms(self):
        """The forms sent, in order (``authinfo`` included)."""
        return [request['form'] for request in self.requests]

    @property
    def calls(self):
        """``(func, params)`` of every request, without ``func``, ``out`` and ``authinfo``."""
        return [(form.get('func'), _public(form)) for form in self.forms]

    @property
    def funcs(self):
        return [form.get('func') for form in self.forms]

    def _fail(self, message):
        self.failures.append(message)
        pytest.fail(message, pytrace=False)


# The forms the modules read (without sok) to learn the price of a call that spends money.
PRICE_FORMS = ('platform.order.param', 'service.prolong')


def unpriced_form(form):
    """A price form that states no price: the answer of a server whose forms show none."""
    inner = '<elid>%s</elid>' % escape(form['elid']) if 'elid' in form else '<slist name="pricelist"/>'
    return HttpAnswer(200, doc(inner, func=form.get('func')), {'Date': 'Fri, 27 Nov 2026 10:00:00 GMT'})


def _public(form):
    return dict((key, value) for key, value in form.items() if key not in ENVELOPE)


def make_client(transport, clock=None, user=USER, password=PASSWORD, url=API_URL, timeout=30, retry_budget=None):
    """A BillmgrClient on a fake transport and a fake clock (``clock`` defaults to the transport's)."""
    clock = clock or transport.clock or FakeClock()
    if transport.clock is None:
        transport.clock = clock
    return BillmgrClient(url, user, password, transport, timeout=timeout, retry_budget=retry_budget,
                         sleep=clock.sleep, monotonic=clock.monotonic)


# -- XML answer builders -------------------------------------------------------------------------

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _cell(name, value):
    if value is None:
        return ''
    if value is True or value == '':
        return '<%s/>' % name
    return '<%s>%s</%s>' % (name, escape('%s' % value), name)


def cells(**fields):
    """Child elements from keyword arguments: None leaves a field out, True or '' gives an empty element."""
    return ''.join(_cell(name, value) for name, value in fields.items())


def elem(**fields):
    """One ``<elem>`` list row."""
    return '<elem>%s</elem>' % cells(**fields)


def doc(inner='', func=None, **attributes):
    """A whole answer: ``<?xml ...?><doc func=... lang="en">inner</doc>`` as bytes."""
    attrs = {}
    if func:
        attrs['func'] = func
    attrs['lang'] = 'en'
    attrs.update(attributes)
    text = ''.join(' %s=%s' % (name, quoteattr('%s' % value)) for name, value in attrs.items())
    return ('%s<doc%s>%s</doc>' % (XML_DECLARATION, text, inner)).encode('utf-8')


def ok_doc(func=None, **fields):
    """``<doc><ok/>...</doc>``, the usual answer of a write (extra fields such as ``id`` optional)."""
    return doc('<ok/>' + cells(**fields), func=func)


def list_doc(rows, p_elems=None, p_cnt=None, p_num=None, func='platform'):
    """A ``func=platform`` list page of ``elem()`` rows, with the paging fields that are given."""
    head = cells(p_cnt=p_cnt, p_num=p_num, p_elems=p_elems)
    return doc(head + ''.join(rows), func=func)


def error_doc(error_type, error_object, message, func=None, **params):
    """A BILLmanager ``<error>`` answer; ``params`` become ``<param name=...>`` children (value, balance, cost)."""
    parts = ['<error type=%s object=%s lang="en">' % (quoteattr(error_type), quoteattr(error_object))]
    parts.append('<param name="object" type="msg" msg=%s>%s</param>' % (quoteattr(error_object), escape(error_object)))
    for name, value in params.items():
        parts.append('<param name=%s>%s</param>' % (quoteattr(name), escape('%s' % value)))
    parts.append('<msg>%s</msg></error>' % escape(message))
    return doc(''.join(parts), func=func)


PROXY_HTML = (b'<html><head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n'
              b'<hr><center>nginx</center>\n</body>\n</html>\n')
LOGIN_HTML = (b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Sign in</title></head>'
              b'<body><form method="post" action="/login"><input name="user"><input type="password" name="pass"><br>'
              b'</form></body></html>')
