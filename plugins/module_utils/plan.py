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
- ``changes``: the license fields it changes ("status", "comment", "expiredate", "addons.nodes" ...);
  after a real run the license read back must show the predicted value in each (``verify_applied``);
- ``confirm(license) -> bool``: whether its effect is visible, used after an ambiguous failure
  (lost answer, timeout, 5xx, an answer that does not acknowledge the write) to learn whether it happened;
- ``spends_money``: such a call is never re-sent in the same run. When its effect does not show at once,
  the account is read again for up to ``confirm_timeout`` seconds (a slow server may commit after the
  client gave up waiting) before the run fails and says what to check.

The plan records what each sent call came to (``outcomes``), so a failure can say what was spent.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy

from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import kind_of
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import (
    AmbiguousWriteError, ApiError, BillmgrError, TransportError, UnacknowledgedWriteError,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.waits import describe_progress, in_flux

# What a sent call came to.
DONE = 'done'            # acknowledged by the server
CONFIRMED = 'confirmed'  # the answer was lost, the state read afterwards shows the effect
UNKNOWN = 'unknown'      # the answer was lost and the effect does not show: it may still have happened
REFUSED = 'refused'      # the server answered with an error, or the request was turned away unread: nothing was done
WRITTEN = (DONE, CONFIRMED, UNKNOWN)  # outcomes after which the write may have happened

DEFAULT_CONFIRM_TIMEOUT = 60
CHECK_THE_ACCOUNT = 'Check the account before rerunning.'


class OutcomeUnknownError(BillmgrError):
    """A write's answer was lost and the state read afterwards does not show its effect."""


class EffectNotShownError(BillmgrError):
    """A write was taken, its effect does not show yet, and the plan's later calls were not sent."""


class VerificationError(BillmgrError):
    """After the plan was applied, the license read back does not show what the plan predicted."""


class ConfirmedByRead:
    """In place of an answer that was lost: the license read afterwards, which shows the call's effect."""

    def __init__(self, license):
        self.license = license


class PlannedCall:
    """One write call of a plan."""

    def __init__(self, func, params, predict=None, confirm=None, spends_money=False, changes=(), on_license=True,
                 taken_otherwise=None):
        self.func = func
        self.params = params
        self.predict = predict or (lambda lic: lic)
        self.confirm = confirm
        self.spends_money = spends_money
        self.changes = tuple(changes)
        # A call on an existing license (not an order): its effect counts only once the license shows no change in
        # progress, and the next call waits for that.
        self.on_license = on_license
        # ``taken_otherwise(license) -> str or None``: why the license read back shows the call taken, but stored
        # otherwise than sent (a comment the server escaped or folded): waiting longer would not change it.
        self.taken_otherwise = taken_otherwise or (lambda lic: None)

    def shows_effect(self, lic):
        """True when ``lic`` shows this call's effect (and, for a call on a license, nothing in progress)."""
        return bool(self.confirm(lic)) and not (self.on_license and in_flux(lic))

    @property
    def kind(self):
        """What the call does: order, renewal, edit, suspend, resume, delete (catalogue.CALL_KINDS)."""
        return kind_of(self.func)

    def as_dict(self):
        """What the result shows: func and params; no credentials are ever part of params."""
        return {'func': self.func, 'params': dict(self.params)}


class Plan:
    """An ordered list of planned write calls, and what each call that was sent came to."""

    def __init__(self):
        self.calls = []
        self.outcomes = []  # one of DONE, CONFIRMED, UNKNOWN, REFUSED per call sent, in order
        self.last_read = None  # the license read after the last call took effect (apply_plan with waits)

    def add(self, func, params, **kwargs):
        self.calls.append(PlannedCall(func, params, **kwargs))
        return self

    def extend(self, other):
        self.calls.extend(other.calls)
        return self

    def __bool__(self):
        return bool(self.calls)

    def __len__(self):
        return len(self.calls)

    @property
    def completed(self):
        """How many calls were made and took effect (acknowledged, or confirmed by a read)."""
        return sum(1 for outcome in self.outcomes if outcome in (DONE, CONFIRMED))

    @property
    def may_have_written(self):
        """True when a sent call may have changed something (``changed`` must then be true, even on failure)."""
        return any(outcome in WRITTEN for outcome in self.outcomes)

    def as_result(self):
        return [call.as_dict() for call in self.calls]

    def sent_report(self):
        """Each sent call with what it came to: [{func, params, outcome}]."""
        return [dict(call.as_dict(), outcome=outcome) for call, outcome in zip(self.calls, self.outcomes)]

    def predict(self, before):
        """The license as it would be after every call, computed without any request."""
        state = copy.deepcopy(before)
        for call in self.calls:
            state = call.predict(state)
        return state

    def count(self, kind):
        """How many calls of ``kind`` the plan holds."""
        return sum(1 for call in self.calls if call.kind == kind)

    def part(self, count):
        """A plan of the first ``count`` calls (to verify what was applied before the rest is sent)."""
        part = Plan()
        part.calls = self.calls[:count]
        return part

    def changed_fields(self):
        fields = []
        for call in self.calls:
            fields.extend(name for name in call.changes if name not in fields)
        return fields


def apply_plan(client, plan, reread, confirm_timeout=DEFAULT_CONFIRM_TIMEOUT, waits=None, calls=None):
    """Execute the plan's calls in order; return their answers.

    ``reread()`` returns the current license (or None). It is called after an ambiguous failure, to learn whether
    the write happened before deciding anything (where that read shows the effect, the call's answer is
    ConfirmedByRead with the license read), and, with ``waits``, after each write until its effect shows and the
    license shows no change in progress (``Waits.effect``): the next call is never sent to a license in flux. The
    last license read that way is kept in ``plan.last_read``. ``calls``: the part of the plan to send now (the calls
    before it were sent earlier: outcomes stay in the order of the calls).
    """
    answers = []
    to_send = list(plan.calls if calls is None else calls)
    for position, call in enumerate(to_send):
        answer = _execute(client, plan, call, reread, confirm_timeout, waits)
        answers.append(answer)
        if waits is not None and call.on_license and call.confirm is not None:
            first = answer.license if isinstance(answer, ConfirmedByRead) else None
            plan.last_read = waits.effect(call, reread, first=first)
            rest = to_send[position + 1:]
            if rest and not call.shows_effect(plan.last_read):
                raise EffectNotShownError(
                    'BILLmanager took %s for license %s, but the license read back does not show its effect yet, so '
                    'the calls after it (%s) were not sent: a call is never sent to a license whose last change has '
                    'not shown' % (call.func, call.params.get('elid'), ', '.join(later.func for later in rest))
                ).concerning(advice='Rerun once the license shows the change (isp_license_info): a rerun waits for it '
                                    'and plans only what is left.')
    return answers


def _execute(client, plan, call, reread, confirm_timeout, waits):
    plan.outcomes.append(UNKNOWN)
    try:
        answer = _write(client, plan, call)
    except AmbiguousWriteError as exc:
        answer = _after_lost_answer(client, plan, call, reread, confirm_timeout, exc, waits)
        if answer is not None:
            return answer
        # The state shows the write did not happen, and sending it again cannot double anything.
        plan.outcomes[-1] = UNKNOWN
        answer = _send_again(client, plan, call, exc)
    plan.outcomes[-1] = DONE
    return answer


def _send_again(client, plan, call, lost):
    """The second send of a call whose first answer was lost; when the server refuses it, the first may still have been
    taken (a server may apply it later, with no sign meanwhile): its outcome stays unknown."""
    try:
        return _write(client, plan, call)
    except AmbiguousWriteError:
        raise  # lost again: unknown, as it is
    except (ApiError, TransportError) as exc:
        plan.outcomes[-1] = UNKNOWN
        raise OutcomeUnknownError(
            '%s. The license read afterwards did not show it, so it was sent again, and the second send failed: %s. The '
            'first one may have been taken (a server may apply a call later)' % (lost, exc)
        ).concerning(advice=CHECK_THE_ACCOUNT) from None


def _write(client, plan, call):
    """Send the call; an error answer, or a failure the client says never reached the server, is REFUSED."""
    try:
        return client.write(call.func, **call.params)
    except AmbiguousWriteError:
        raise
    except (ApiError, TransportError):
        # ApiError: the server answered with an error. A TransportError that is not ambiguous: the client gave up before
        # the write could be done (a refused connection, HTTP 429 for longer than its retry budget, a TLS failure).
        plan.outcomes[-1] = REFUSED
        raise


def _after_lost_answer(client, plan, call, reread, confirm_timeout, error, waits):
    """ConfirmedByRead when the state shows the call's effect; None when it may be sent again; else raise."""
    if call.confirm is None:
        raise OutcomeUnknownError(
            '%s. Its effect cannot be seen by reading the account, so it is not sent again' % error
        ).concerning(advice=CHECK_THE_ACCOUNT) from None
    patient = call.spends_money or isinstance(error, UnacknowledgedWriteError)
    try:
        found, shown = _wait_for(client, call.shows_effect, reread, confirm_timeout if patient else 0)
        if not shown and call.on_license and in_flux(found) and waits is not None:
            # The server is busy with the license (maybe with this very call): let it settle before deciding.
            found = waits.poll(reread, lambda current: not in_flux(current), first=found)
            shown = call.shows_effect(found)
    except (ApiError, TransportError) as exc:  # the read failed (not: it showed something unexpected)
        raise OutcomeUnknownError(
            '%s. Reading the account to learn whether it happened failed too: %s. It is not sent again' % (error, exc)
        ).concerning(advice=CHECK_THE_ACCOUNT) from None
    if shown:
        plan.outcomes[-1] = CONFIRMED
        return ConfirmedByRead(found)
    if call.on_license and in_flux(found):
        raise OutcomeUnknownError(
            '%s. The license read afterwards shows %s and did not settle, so whether this call was taken is not '
            'known: it is not sent again' % (error, describe_progress(found))
        ).concerning(advice='A rerun waits for the change to settle before it decides anything; check the license '
                            '(isp_license_info) before rerunning.') from None
    if isinstance(error, UnacknowledgedWriteError):
        raise OutcomeUnknownError(
            '%s. The license read afterwards does not show its effect, so it was most likely not done; it is not sent '
            'again, because the server did not take it the way this collection sends it' % error
        ).concerning(advice='Check the account before rerunning, and report the answer shown.') from None
    if call.spends_money:
        raise OutcomeUnknownError(
            '%s. For %ss after that, the account read again did not show its effect, and a call that spends money is '
            'never sent twice in one run. The server may still complete it. A rerun reads the account first and '
            'does not repeat what it finds done, but it cannot see what the server completes after that read, on '
            'this controller or any other: the account is the only record' % (error, confirm_timeout)
        ).concerning(advice='So before rerunning, check the account (isp_license_info) and, while it does not show the '
                            'outcome, wait at least as long as the server may hold a request (the read timeout of the web '
                            'server or proxy in front of it), or raise confirm_timeout.') from None
    return None


def _wait_for(client, shows_effect, reread, timeout):
    """(the last license read, whether it showed the call's effect), reading again with backoff for up to ``timeout``
    seconds."""
    deadline = client.monotonic() + timeout
    delay = 1.0
    while True:
        found = reread()
        if shows_effect(found):
            return found, True
        remaining = deadline - client.monotonic()
        if remaining <= 0:
            return found, False
        client.sleep(min(delay, remaining))
        delay = min(delay * 2, 10.0)


def field_value(lic, name):
    """A license field by name; ``addons.X`` is the addon X."""
    if lic is None:
        return None
    if name.startswith('addons.'):
        return (lic.get('addons') or {}).get(name[len('addons.'):])
    return lic.get(name)


def verify_applied(plan, before, after):
    """Raise VerificationError when ``after`` (read back) differs from the prediction in a field the plan changed."""
    predicted = plan.predict(before)
    if after is None and field_value(predicted, 'status') == 'deleted':
        after = {'status': 'deleted'}  # a deleted license may no longer be readable at all
    wrong = [(name, field_value(predicted, name), field_value(after, name)) for name in plan.changed_fields()
             if field_value(predicted, name) != field_value(after, name)]
    if wrong:
        raise VerificationError(
            'the license read back after the calls does not show what they should have done: %s.'
            % '; '.join('%s is %r, expected %r' % (name, got, expected) for name, expected, got in wrong))
