# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Failures as data, rendered to text once, at the edge.

A failure is: the entry of a fleet it belongs to (index and name), the options concerned, whether a write may have
happened and whether money may have moved, each call sent with what it came to, and the advice. Modules return it
as ``failure`` (the role maps ``options`` to its own variables from it); the message is built from it here, and
nothing reads a message back to decide anything.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.plan import UNKNOWN, WRITTEN

# What to do after a failure that may have written, unless the error gives advice of its own.
CHECK_BEFORE_RERUNNING = ('Check the license in the account (isp_license_info) before rerunning; a rerun reads the state '
                          'first and repeats only what it does not find done.')
UNKNOWN_OUTCOME_NOTE = 'A call whose outcome is unknown may still be completed by the server.'


def entry_label(index, name):
    """How messages name the entry ``index`` of a fleet's ``licenses``: ``licenses[3] (web-4)``."""
    return 'licenses[%d]%s' % (index, ' (%s)' % name if name is not None else '')


class Failure:
    """One failure: the error (its message, ``options``, ``advice``, ``entry``) and the plan it happened in."""

    def __init__(self, error, plan=None, new_ids=None):
        self.error = error
        self.sent = plan.sent_report() if plan is not None and plan.outcomes else []
        self.written = bool(plan is not None and plan.may_have_written)
        self.money_may_have_moved = bool(plan is not None and any(
            call.spends_money and outcome in WRITTEN for call, outcome in zip(plan.calls, plan.outcomes)))
        self.new_ids = dict(new_ids or {})

    @property
    def advice(self):
        if self.error.advice:
            return self.error.advice
        return CHECK_BEFORE_RERUNNING if self.written else None

    def headline(self, redact):
        """The error's own sentence, prefixed with the entry it belongs to."""
        text = redact(self.error)
        if self.error.entry is not None:
            text = '%s: %s' % (entry_label(*self.error.entry), text)
        return text

    def render(self, redact):
        """The message: the error, what was sent before it (when anything may have been written), the advice."""
        parts = []
        if self.written:
            parts.append(self._sent_note())
            if any(call['outcome'] == UNKNOWN for call in self.sent):
                parts.append(UNKNOWN_OUTCOME_NOTE)
        if self.advice:
            parts.append(_sentence(redact(self.advice)))
        headline = self.headline(redact)
        return ' '.join([_sentence(headline)] + parts) if parts else headline

    def _sent_note(self):
        sent = ', '.join('%s (%s)' % (call['func'], 'outcome unknown' if call['outcome'] == UNKNOWN else call['outcome'])
                         for call in self.sent)
        known = ', '.join('%s %s' % (name.replace('_', ' '), self.new_ids[name]) for name in ('order_id', 'license_id')
                          if self.new_ids.get(name) is not None)
        return 'Sent before the failure: %s%s.' % (sent, '; %s' % known if known else '')

    def as_dict(self, redact):
        """The ``failure`` return value."""
        index, name = self.error.entry if self.error.entry is not None else (None, None)
        return {
            'entry': None if index is None else {'index': index, 'name': name},
            'options': list(self.error.options),
            'message': redact(self.error),
            'writes_may_have_happened': self.written,
            'money_may_have_moved': self.money_may_have_moved,
            'calls_sent': self.sent,
            'advice': redact(self.advice) if self.advice else None,
        }


def _sentence(text):
    return text.rstrip().rstrip('.') + '.'
