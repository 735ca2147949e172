# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plan, then apply: the one mechanism behind every module that writes.

A module reads the current license, builds a Plan (the ordered write calls that move it to the
wanted state), and then either returns the plan (check mode) or applies it. ``calls`` in the
result is the plan in both cases, so check mode reports exactly what a real run does.

Each PlannedCall knows:
- ``predict(license) -> license``: its effect, for check-mode diffs and predictions;
- ``confirm(license) -> bool``: whether its effect is visible, used after an ambiguous failure
  (lost answer, timeout, 5xx) to learn whether the write happened;
- ``spends_money``: such a call is never re-sent in the same run. If its outcome stays unknown the
  run fails and a rerun, which reads the state first, decides.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import AmbiguousWriteError, BillmgrError


class InvalidOptionError(ValueError):
    """Options that describe an impossible or unsafe change; the message says which option and why."""


class OutcomeUnknownError(BillmgrError):
    """A write's answer was lost and the state read afterwards does not show its effect."""


class ConfirmedByRead:
    """In place of an answer that was lost: the license read afterwards, which shows the call's effect."""

    def __init__(self, license):
        self.license = license


class PlannedCall:
    """One write call of a plan."""

    def __init__(self, func, params, predict=None, confirm=None, spends_money=False):
        self.func = func
        self.params = params
        self.predict = predict or (lambda lic: lic)
        self.confirm = confirm
        self.spends_money = spends_money

    def as_dict(self):
        """What the result shows: func and params; no credentials are ever part of params."""
        return {'func': self.func, 'params': dict(self.params)}


class Plan:
    """An ordered list of planned write calls."""

    def __init__(self):
        self.calls = []
        self.completed = 0  # how many calls apply_plan has made (for reporting a failure half-way)

    def add(self, func, params, **kwargs):
        self.calls.append(PlannedCall(func, params, **kwargs))
        return self

    def __bool__(self):
        return bool(self.calls)

    def __len__(self):
        return len(self.calls)

    def as_result(self):
        return [call.as_dict() for call in self.calls]

    def predict(self, before):
        """The license as it would be after every call, computed without any request."""
        state = copy.deepcopy(before)
        for call in self.calls:
            state = call.predict(state)
        return state


def apply_plan(client, plan, reread):
    """Execute the plan's calls in order; return their answers.

    ``reread()`` returns the current license (or None); it is called only after an ambiguous
    failure, to learn whether the write happened before deciding anything. Where that read shows
    the effect, the call's answer is ConfirmedByRead with the license read.
    """
    answers = []
    for call in plan.calls:
        answers.append(_execute(client, call, reread))
        plan.completed += 1
    return answers


def _execute(client, call, reread):
    try:
        return client.write(call.func, **call.params)
    except AmbiguousWriteError as exc:
        if call.confirm is None:
            raise OutcomeUnknownError(
                '%s. Its effect cannot be seen by reading the account, so it is not sent again: check the account '
                'before rerunning.' % exc) from None
        found = reread()
        if call.confirm(found):
            return ConfirmedByRead(found)
        if call.spends_money:
            raise OutcomeUnknownError(
                '%s. The state read afterwards does not show its effect, and a call that spends money is never '
                'sent twice in one run: check the account, then rerun (the rerun reads the state first).' % exc) from None
    # The state proves the write did not happen and sending it again cannot double anything.
    return client.write(call.func, **call.params)
