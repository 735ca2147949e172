# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Waiting for the server, which applies some writes later than it answers them.

A renewal, suspend, resume or delete may pass through a processing sub-state (status 5, ``orig="5_prolong"``,
``special_status`` 1) before its effect shows. Two rules follow, both here:

- a license that shows a change in progress is never written to: the run waits until it settles, then plans
  (``Waits.settled``); when it does not settle within ``wait_timeout`` (or ``wait`` is false) and its plan would
  write to it, nothing is written (``Waits.refuse_in_flux``);
- after each write, the license is read back until the write's effect shows and nothing is in progress
  (``Waits.effect``), so that a late effect is seen by the run that caused it, never by a rerun that would pay
  again.

What no wait can cover: an effect that shows later than the wait with no sign on the license meanwhile. The
run then fails (the license does not read back as predicted) and says so; the account is the only record.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import BillmgrError

DEFAULT_WAIT_TIMEOUT = 300
FIRST_DELAY = 1.0
LONGEST_DELAY = 10.0


class InProgressError(BillmgrError):
    """A license shows a change in progress and did not settle in time; nothing was written to it."""


class StillInProgressError(BillmgrError):
    """A write was taken (acknowledged) and the license still shows it in progress after the wait."""


def in_flux(lic):
    """True when the license shows a change in progress (it must not be written to)."""
    return lic is not None and lic.get('in_progress') is not None


def describe_progress(lic):
    """'a change in progress (prolong)' for messages."""
    return 'a change in progress (%s, status %s)' % (lic['in_progress'], lic['status'])


class Waits:
    """How a run waits: ``wait`` and ``wait_timeout`` (module options); the client's clock (fake in tests)."""

    def __init__(self, client, wait=True, wait_timeout=DEFAULT_WAIT_TIMEOUT):
        self.client = client
        self.wait = wait
        self.wait_timeout = wait_timeout

    def poll(self, read, done, first=None):
        """Read with backoff until ``done(found)`` or ``wait_timeout`` passes; return the last license read.

        ``first`` is a license already read (no request for it). Without ``wait``, reads once at most.
        """
        found = read() if first is None else first
        if done(found) or not self.wait:
            return found
        deadline = self.client.monotonic() + self.wait_timeout
        delay = FIRST_DELAY
        while True:
            remaining = deadline - self.client.monotonic()
            if remaining <= 0:
                return found
            self.client.sleep(min(delay, remaining))
            delay = min(delay * 2, LONGEST_DELAY)
            found = read()
            if done(found):
                return found

    def settled(self, lic, read):
        """``lic`` once it shows no change in progress (read again while it does, with ``wait``), else the last read.

        Whether a license still in progress may be planned for is the caller's to decide (``refuse_in_flux``).
        """
        if not in_flux(lic):
            return lic
        return self.poll(read, lambda current: not in_flux(current), first=lic)

    def settled_all(self, licenses, read):
        """{key: license} with each license in flux read again until it settles (one deadline for all, with ``wait``);
        a license gone when read again stays as it was read (its plan is refused: it is still in progress)."""
        pending = dict((key, lic) for key, lic in licenses.items() if in_flux(lic))
        settled = dict(licenses)
        deadline = self.client.monotonic() + (self.wait_timeout if self.wait else 0)
        delay = FIRST_DELAY
        while pending and self.client.monotonic() < deadline:
            self.client.sleep(min(delay, max(0.0, deadline - self.client.monotonic())))
            delay = min(delay * 2, LONGEST_DELAY)
            for key in list(pending):
                found = read(pending[key]['id'])
                if found is not None:
                    settled[key] = found
                if found is None or not in_flux(found):
                    del pending[key]
        return settled

    def refuse_in_flux(self, lic, plan):
        """InProgressError when ``plan`` would write to ``lic`` while it shows a change in progress."""
        if plan and in_flux(lic):
            raise InProgressError(self._in_progress_message(lic))

    def _in_progress_message(self, lic):
        if self.wait:
            waited, then = 'it did not settle within wait_timeout=%ss' % self.wait_timeout, 'Rerun later, or raise wait_timeout'
        else:
            waited, then = 'wait is false, so the run does not wait for it', 'Rerun later, or set wait to true'
        return ('license %s shows %s: the server has not finished an earlier change, and a license in that state is '
                'never written to (a renewal in progress would otherwise be bought again); %s, and nothing was written '
                'to it. %s' % (lic['id'], describe_progress(lic), waited, then))

    def effect(self, call, read, first=None):
        """After a write: the license once ``call``'s effect shows and nothing is in progress (or the last read).

        Raises StillInProgressError when the license still shows a change in progress after the wait (with
        ``wait``). When the effect does not show and nothing is in progress, the last license read is returned and
        the plan's verification says what is missing.
        """
        found = self.poll(read, lambda current: call.shows_effect(current) or call.taken_otherwise(current), first=first)
        otherwise = call.taken_otherwise(found)
        if otherwise:
            raise BillmgrError(otherwise).concerning(
                options=['comment'], advice='Choose a comment the server keeps as sent, or manage the license by its id.')
        if self.wait and in_flux(found):
            raise StillInProgressError(
                'BILLmanager took %s for license %s, and after wait_timeout=%ss the license still shows %s. The call is '
                'not sent again' % (call.func, call.params.get('elid'), self.wait_timeout, describe_progress(found))
            ).concerning(advice='A rerun waits for the change to settle before it decides anything, so it does not '
                                'repeat it; check the license later (isp_license_info).')
        return found
