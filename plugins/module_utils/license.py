# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The license model: one function from an API row to a license dict (the catalogue is in catalogue.py).

A row is either an ``<elem>`` of ``func=platform`` or the ``<doc>`` of ``platform.edit`` read
without ``sok``. Cells may hold ids or display values ("VMmanager 6", "Active", "25.00 EUR",
"1 month"): both are understood, and an unknown value never raises.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import datetime
import html
import re
import unicodedata

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import (
    AUTOPROLONG_CHOICES, DATE_FORMAT, PERIOD_NAMES, PRICELIST_TO_PRODUCT, STATUS_CODES, addon_id_of_field, addon_key,
    days_between, parse_iso_date, pricelist_from_name, status_from_text,
)
DATE_FORMATS = (DATE_FORMAT, DATE_FORMAT + ' %H:%M:%S', '%d.%m.%Y', '%Y/%m/%d')
# An amount: digits with optional thousands separators (space, comma, dot) and a decimal part.
AMOUNT = re.compile(r'-?\d[\d\s\u00a0.,]*\d|-?\d')
# The leading number of an ``orig`` attribute such as "2_2_16" is the status code.
ORIG_CODE = re.compile(r'^\s*(\d+)(?:[_\s.]|$)')
# A named sub-state after it ("5_prolong", "3_autosuspend"): what is in progress, or why a license is suspended.
ORIG_SUBSTATE = re.compile(r'^\s*(\d+)_([a-z][a-z_]*)\s*$', re.IGNORECASE)
PROCESSING_CODE = 5
SUSPENDED_CODE = 3


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def license_from_row(row, today=None):
    """Turn an ``<elem>`` list row or a ``platform.edit`` ``<doc>`` into the license dict."""
    today = today or utc_today()
    cells = _cells(row)
    pricelist = parse_pricelist(cells.get('pricelist') or cells.get('pricelist_id'))
    status_code, seen = read_status(row)
    expiredate, expiry_seen = read_expiry(cells)
    cost, currency = parse_money(cells.get('cost'))
    addons = dict((addon_key(pricelist, addon_id_of_field(name)), parse_int(value))
                  for name, value in cells.items() if addon_id_of_field(name) is not None)
    lic = {
        'id': parse_int(cells.get('id') or cells.get('elid')),
        'product': PRICELIST_TO_PRODUCT.get(pricelist),
        'pricelist': pricelist,
        'status': STATUS_CODES.get(status_code, 'unknown'),
        'status_code': status_code,
        'comment': normalise_comment(cells.get('comment') or ''),
        'period': parse_period(cells.get('period')),
        'createdate': parse_date(cells.get('createdate')),
        'expiredate': expiredate,
        'days_left': days_between(today, expiredate),
        'autoprolong': parse_autoprolong(cells.get('autoprolong')),
        'addons': addons if addons else None,
        'cost': cost,
        'currency': currency,
        'in_progress': in_progress(row, status_code),
        'suspend_reason': substate(row, SUSPENDED_CODE) if status_code == SUSPENDED_CODE else None,
    }
    if row.find('lickey') is not None:
        # Only a license read on its own (platform.edit) shows its key; the key itself never goes into the dict.
        lic['key_issued'] = bool(cells.get('lickey'))
    if lic['status'] == 'unknown':
        lic['status_seen'] = seen
    if expiry_seen is not None:
        lic['expiry_seen'] = expiry_seen
    return lic


def read_expiry(cells):
    """(the expiry date or None, the raw cell when it holds something that is not a date).

    ``real_expiredate`` wins: with daily billing ``expiredate`` holds a text ("Daily charge") and the date is there.
    An expiry that is not a date is unknown, never "far away": the raw text is kept so that a decision that needs
    the expiry can refuse and say what it saw.
    """
    for name in ('real_expiredate', 'expiredate'):
        raw = cells.get(name)
        if raw:
            parsed = parse_date(raw)
            if parsed is not None or raw.startswith('0000'):
                return parsed, None
    raw = cells.get('expiredate') or cells.get('real_expiredate')
    return None, ('%s' % raw if raw else None)


def substate(row, code):
    """The named sub-state an ``orig`` attribute gives for status ``code`` ("prolong" of "5_prolong"), or None."""
    for name in STATUS_CELLS:
        element = row.find(name)
        match = ORIG_SUBSTATE.match(element.get('orig') or '') if element is not None else None
        if match and int(match.group(1)) == code:
            return match.group(2).lower()
    return None


def in_progress(row, status_code):
    """What the server says is in progress on a license, or None when nothing is.

    The named sub-state of status 5 ("prolong" of ``orig="5_prolong"``), else ``processing`` for status 5, else
    ``status_change`` when ``special_status`` is 1 ("status change in progress", whatever the status code says).
    """
    if status_code == PROCESSING_CODE:
        return substate(row, PROCESSING_CODE) or 'processing'
    if parse_int(_text(row, 'special_status')) == 1:
        return 'status_change'
    return None


def _text(row, name):
    element = row.find(name)
    return (element.text or '').strip() if element is not None else None


def normalise_comment(text):
    """A comment as this collection compares it: leading and trailing whitespace removed, CRLF and CR as LF."""
    return text.replace('\r\n', '\n').replace('\r', '\n').strip()


# The comment rule. A comment identifies a license, so it must come back from the API exactly as it was sent:
# one line of printable characters, words separated by single ASCII spaces, no leading or trailing space,
# in Unicode NFC form. What a server or a form may normalise (surrounding whitespace, line breaks, CR LF,
# runs of spaces, other space characters) or an XML answer cannot carry (control characters) is refused
# before any request. Two comments are equal when they are equal character for character (case matters).
COMMENT_RULE = ('a comment is one line of printable characters, with single spaces between words and no space at '
                'either end')
_COMMENT_FORBIDDEN_CATEGORIES = {
    'Cc': 'a control character', 'Cf': 'an invisible formatting character', 'Cs': 'a lone surrogate',
    'Co': 'a private-use character', 'Zl': 'a line separator', 'Zp': 'a paragraph separator',
}


def comment_refusal(comment):
    """The message refusing ``comment`` (see ``comment_problem``), or None when it can be used."""
    problem = comment_problem(comment)
    return None if problem is None else 'comment %r cannot be used: %s; %s' % (comment, problem, COMMENT_RULE)


def comment_problem(comment):
    """Why ``comment`` cannot be used as a comment (a sentence), or None when it can."""
    if comment == '':
        return 'it is empty'
    if comment != comment.strip():
        end = comment[-1] if comment[-1].isspace() else comment[0]
        where = 'ends' if comment[-1].isspace() else 'starts'
        if end in '\r\n':
            return ('it %s with a line break (a YAML "|" block adds one at the end: use ">-", "|-" or a quoted '
                    'string)' % where)
        return 'it %s with whitespace' % where
    for char in comment:
        category = unicodedata.category(char)
        if char in '\r\n':
            return 'it holds a line break'
        if category in _COMMENT_FORBIDDEN_CATEGORIES or char in '\ufffe\uffff':
            return 'it holds %s (U+%04X)' % (_COMMENT_FORBIDDEN_CATEGORIES.get(category, 'a non-character'), ord(char))
        if category == 'Zs' and char != ' ':
            return 'it holds a space character other than the plain space (U+%04X)' % ord(char)
    if '  ' in comment:
        return 'it holds two spaces in a row'
    if unicodedata.normalize('NFC', comment) != comment:
        return 'it is not in Unicode NFC form (the same text written with other code points)'
    return None


# Lengths at which a server may cut a comment it stores (a column width). Where no live license carries the wanted
# comment, one whose comment equals the wanted one cut at such a length may be the license already ordered: an order
# is refused then. Option comment_length_limits sets them.
COMMENT_LENGTH_LIMITS = (32, 64, 128, 255)


def fold_comment(text):
    """A comment with HTML entities undone, case folded and whitespace runs made one space."""
    return ' '.join(html.unescape(text).casefold().split())


def comment_alteration(stored, wanted, limits=COMMENT_LENGTH_LIMITS):
    """How a server may have made ``stored`` of ``wanted``, or None when ``stored`` is not such a near match.

    A near match is equal after HTML unescaping and case and whitespace folding, or equal (so folded) to ``wanted``
    (or its HTML-escaped form) cut at one of ``limits``. Never a bare prefix: "web-1" is not a near match of "web-10".
    """
    if stored == wanted:
        return None
    if fold_comment(stored) == fold_comment(wanted):
        return 'equal to it after HTML unescaping and case and whitespace folding'
    for limit in sorted(limits):
        for form in (wanted, html.escape(wanted)):
            if len(form) > limit and fold_comment(stored) == fold_comment(form[:limit]):
                return 'the comment cut at %d characters' % limit
    return None


def how_stored(stored, sent):
    """For messages: how the comment ``stored`` differs from ``sent`` (a cut at any length is named)."""
    altered = comment_alteration(stored, sent)
    if altered:
        return altered
    if stored and sent.startswith(stored):
        return 'the comment cut at %d characters' % len(stored)
    return 'stored otherwise'


STATUS_CELLS = ('status', 'item_status')


def read_status(row):
    """(status code or None, {cell: raw value} of the status cells seen).

    The code comes from a numeric ``status`` cell, a numeric ``item_status`` cell, or the leading number of an
    ``orig`` attribute on either; a display text (English or Russian) is used only when none of those is there.
    Codes from two sources that disagree give None: the status is then not understood and every write refuses.
    """
    seen = {}
    codes = set()
    texts = []
    for name in STATUS_CELLS:
        element = row.find(name)
        if element is None:
            continue
        text = (element.text or '').strip()
        seen[name] = text
        orig = element.get('orig')
        if orig is not None:
            seen['%s@orig' % name] = orig
            match = ORIG_CODE.match(orig)
            if match:
                codes.add(int(match.group(1)))
        number = parse_int(text)
        if number is not None:
            codes.add(number)
        elif text:
            texts.append(text)
    if len(codes) == 1:
        return codes.pop(), seen
    if codes:
        return None, seen
    found = set(code for code in (status_from_text(text) for text in texts) if code is not None)
    return (found.pop() if len(found) == 1 else None), seen


def _cells(row):
    """{child tag: stripped text} of a row. An empty element that is not a value field is a flag: 'on'."""
    cells = {}
    for child in row:
        if not isinstance(child.tag, str):
            continue
        text = (child.text or '').strip()
        if not text and child.tag not in VALUE_FIELDS and addon_id_of_field(child.tag) is None:
            text = 'on'
        cells[child.tag] = text
    return cells


# Fields whose empty element means "no value" rather than a boolean flag that is set.
VALUE_FIELDS = frozenset(['comment', 'createdate', 'expiredate', 'real_expiredate', 'autoprolong', 'cost', 'period',
                          'pricelist', 'status', 'item_status', 'special_status', 'id', 'elid', 'p_elems', 'p_cnt',
                          'p_num', 'lickey'])


INTEGER = re.compile(r'^\s*(-?\d+)\s*$')


def parse_int(value):
    if value is None:
        return None
    match = INTEGER.match('%s' % value)
    return int(match.group(1)) if match else None


def parse_pricelist(value):
    """A pricelist id from an id or a known display name; None when unknown."""
    number = parse_int(value)
    if number is not None:
        return number
    return pricelist_from_name(value)


def parse_period(value):
    """'1', '12', 'trial', or the raw text for anything else (None when absent)."""
    if not value:
        return None
    number = parse_int(value)
    if number is None:
        lowered = value.lower()
        if 'trial' in lowered:
            return 'trial'
        number = _months_from_text(lowered)
    if number is None:
        return value
    return PERIOD_NAMES.get(number, '%s' % number)


def parse_autoprolong(value):
    """'1', '12' or 'off' (unknown text is returned as is)."""
    if value is None:
        return 'off'
    lowered = value.strip().lower()
    if lowered in ('', 'null', 'off', '0', 'none', 'no', 'disabled'):
        return 'off'
    number = parse_int(lowered)
    if number is None:
        number = _months_from_text(lowered)
    if '%s' % number in AUTOPROLONG_CHOICES:
        return '%s' % number
    return value


def _months_from_text(text):
    if 'year' in text or 'annual' in text:
        return 12
    if 'month' in text:
        found = re.search(r'\d+', text)
        return int(found.group(0)) if found else 1
    return None


def parse_date(value):
    """'YYYY-MM-DD' from the date formats BILLmanager uses; None for empty or zero dates."""
    if not value or value.startswith('0000'):
        return None
    iso = parse_iso_date(value.strip())  # the usual form, without strptime's cost (a fleet reads thousands)
    if iso is not None:
        return iso.isoformat()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_money(value):
    """(amount as float, currency or None) from '25.00 EUR', '25', '€25,00', '1,234.56 EUR', '1 234,56 RUB'."""
    if not value:
        return None, None
    match = AMOUNT.search(value)
    if not match:
        return None, None
    digits = re.sub(r'[\s\u00a0]', '', match.group(0))
    separators = [char for char in digits if char in '.,']
    if separators:
        last = digits.rfind(separators[-1])
        whole, fraction = digits[:last], digits[last + 1:]
        if len(separators) == 1 and len(fraction) == 3 and separators[0] == ',':
            whole, fraction = digits.replace(',', ''), ''  # "1,234": a thousands separator, not a decimal comma
        digits = re.sub(r'[.,]', '', whole) + ('.' + fraction if fraction else '')
    currency = re.sub(r'[\d\s\u00a0.,-]', '', value) or None
    return float(digits), currency
