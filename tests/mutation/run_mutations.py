# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every money guard has a unit test that fails without it: deliberate one-line mutations of the guards.

Each mutation (``MUTATIONS`` below) names a file under plugins/, a source snippet that must occur in it exactly
once, its replacement, and why the guard matters. For each one, a fresh copy of the collection (the files git
knows, tracked or untracked but not ignored, as ``make collection`` lays them out) is made under
``<tmp>/ansible_collections/ispsystem/billmanager``, the mutation is applied to the copy (the repository's files
are never touched), and the copy's unit suite runs against it: ``pytest -x -q -p no:cacheprovider
--hypothesis-profile=mutation tests/unit`` in the copy, less tests/unit/emulator (it tests the emulator alone and
imports nothing of plugins/). tests/unit/conftest.py puts the copy's ``ansible_collections`` on ``sys.path``, so
the copy is what the tests import; the ``mutation`` profile (tests/conftest.py) keeps the property tests short.

A mutation is *caught* when the suite fails (or hangs past TIMEOUT), *survived* when it passes. A mutation
declared ``equivalent`` (it cannot change what the code does: another guard covers the same case) is run and
reported, and its survival is expected.

Before any mutation runs, every snippet must occur exactly once and its mutated file must compile (otherwise the
list is out of step with the code), and the unmutated copy must pass (the baseline).

Usage: python tests/mutation/run_mutations.py [-j JOBS] [-k SUBSTRING ...] [--list] [--no-baseline]
Exit code 0 when every mutation was caught (equivalent ones aside), 1 when one survived, 2 when the list, the
baseline or a run is broken.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# tests/unit/emulator tests the emulator alone (it imports nothing of plugins/): it cannot catch a mutation.
PYTEST_ARGS = ['-m', 'pytest', '-x', '-q', '-p', 'no:cacheprovider', '--hypothesis-profile=mutation',
               '--ignore=tests/unit/emulator', 'tests/unit']
# A mutation that makes the suite hang (a loop that no longer ends) counts as caught after this many seconds.
TIMEOUT = 600


class ListError(Exception):
    """The list of mutations is out of step with the code."""


class Mutation:
    """One deliberate change: in ``file``, ``snippet`` (found exactly once) becomes ``replacement``.

    ``equivalent``: why the change cannot be caught (another guard covers the same case); None for a real guard.
    """

    def __init__(self, name, file, snippet, replacement, why, equivalent=None):
        self.name = name
        self.file = file if '/' in file else 'plugins/module_utils/%s.py' % file
        self.snippet = snippet
        self.replacement = replacement
        self.why = why
        self.equivalent = equivalent


# The money guards of plugins/, each changed the way a careless edit would: a condition dropped, a comparison
# flipped or moved by one, a raise or a check skipped, a money call marked free. The name says where (area.guard);
# the snippet is exact source and must stay unique in its file (the runner refuses to start otherwise).
MUTATIONS = [
    # -- license_reads.py: the complete list read (the order gate's first half) -----------------------------------
    Mutation('reads.empty-page-completeness', 'license_reads',
             "if listing.total is not None and len(listing.rows) != listing.total:",
             "if listing.total is not None and len(listing.rows) > listing.total:",
             'a full page, then an empty page while p_elems says there are more: the list is incomplete, and a comment '
             'on the rows not read would look absent (a second order)'),
    Mutation('reads.short-page-then-rows', 'license_reads',
             "        if short_page is not None:",
             "        if False:",
             'without totals or a served page size, a short page followed by more rows means rows were skipped'),
    Mutation('reads.stop-without-total', 'license_reads',
             "if listing.total is not None and len(listing.rows) >= listing.total:",
             "if len(listing.rows) >= (listing.total or len(rows)):",
             'without p_elems, pages are read until an empty one; stopping after one page misses the rest'),
    Mutation('reads.max-pages-no-raise', 'license_reads',
             "        raise IncompleteListError('the license list has more than %d pages; stopped reading' % MAX_PAGES)",
             "        pass",
             'a list that never ends (a server that ignores p_num without repeating ids) is not a complete list'),
    Mutation('reads.total-changes', 'license_reads',
             "if listing.total is not None and total != listing.total:",
             "if False:",
             'a total that moves while the list is read means rows may have shifted between pages'),
    Mutation('reads.duplicate-rows', 'license_reads',
             "        if row_id in seen:",
             "        if False:",
             'a row seen twice (the list moved, or p_num is ignored) hides other rows'),
    # -- license_reads.py: the order gate's index by comment -------------------------------------------------------
    Mutation('gate.rows-without-comment-cell', 'license_reads',
             "            if SHOWN['comment'](lic, row):\n                self._by_comment",
             '            if True:\n                self._by_comment',
             'a row without a comment cell does not mean "no comment": it is read on its own before an order'),
    Mutation('gate.unknown-product-rows-resolved', 'license_reads',
             "if lic['pricelist'] is not None and lic['pricelist'] != pricelist:",
             "if lic['pricelist'] != pricelist:",
             'a row of a product shown by an unknown name may be the license: it is read on its own too'),
    Mutation('gate.one-row-account-indexed', 'license_reads',
             "if self._by_comment is None and len(self.listing.rows) > 0:",
             "if self._by_comment is None and len(self.listing.rows) > 1:",
             'an account of one license must still be searched for the comment'),
    Mutation('gate.suspended-carries-comment', 'license_reads',
             "            if lic['status'] == 'deleted':\n                continue",
             "            if lic['status'] != 'active':\n                continue",
             'a suspended (or ordered) license still carries its comment: ordering another would double it'),
    Mutation('gate.unknown-product-unclear', 'license_reads',
             "    if pricelist is not None and lic['pricelist'] is None:",
             "    if False:",
             'a candidate whose product is not understood makes the decision refuse'),
    Mutation('gate.unknown-status-unclear', 'license_reads',
             "    elif live_only and lic['status'] not in LIVE_STATUSES:",
             "    elif False:",
             'a candidate whose status is not understood makes the decision refuse'),
    Mutation('gate.refuse-unclear', 'license_reads',
             "        if self.unclear:",
             "        if False:",
             'licenses not understood must block the decision, not be left out of it'),
    Mutation('gate.two-matches-guessed', 'license_reads',
             "        if len(matches) > 1:",
             "        if len(matches) > 2:",
             'a comment carried by two licenses is never resolved by guessing one'),
    Mutation('gate.id-not-found-orders', 'license_reads',
             "            if found is None:",
             "            if False:",
             'a license given by id that does not exist is never ordered instead'),
    Mutation('gate.id-of-another-product', 'license_reads',
             "    if lic['pricelist'] != pricelist:",
             "    if False:",
             'a license found by id of another product than the options name is refused'),
    # -- license.py: status reading and the comment rule -----------------------------------------------------------
    Mutation('license.conflicting-status-codes', 'license',
             "    if len(codes) == 1:",
             "    if len(codes) >= 1:",
             'two status cells that disagree leave the status not understood (every write refuses)'),
    Mutation('license.comment-surrounding-space', 'license',
             "    if comment != comment.strip():",
             "    if False:",
             'a comment with surrounding space does not come back as sent: each run would order again'),
    # -- reconcile.py: planning ------------------------------------------------------------------------------------
    Mutation('reconcile.addons-not-shown-compared', 'reconcile',
             "    if addons and current['addons'] is None:",
             "    if False:",
             'addons the API did not show cannot be compared: without the refusal a paid platform.edit goes out on every run'),
    Mutation('reconcile.distinct-wanted', 'reconcile',
             "        if key in seen:",
             "        if False:",
             'two wanted licenses naming the same comment would order two licenses'),
    Mutation('reconcile.suspended-never-orders', 'reconcile',
             "    if wanted.state == 'suspended':\n        raise wanted.error('no license matches comment",
             "    if False:\n        raise wanted.error('no license matches comment",
             'state=suspended must never order a license'),
    Mutation('reconcile.absent-never-orders', 'reconcile',
             "    if wanted.state == 'absent':\n        return Planned(wanted, None, Plan())",
             '    if False:\n        return Planned(wanted, None, Plan())',
             'state=absent for a missing license is nothing to do, never an order'),
    Mutation('reconcile.verify-after-apply', 'reconcile',
             '        self._verify(planned.plan, current, planned.after, planned)',
             '        pass',
             'a write counts only when the license read back shows its predicted effect'),
    Mutation('reconcile.duplicates-after-lost-order', 'reconcile',
             "        if len(matches) > 1:",
             "        if len(matches) > 2:",
             'after a lost order answer, two licenses with the comment fail loudly'),
    Mutation('reconcile.duplicates-after-order', 'reconcile',
             "    new_id = planned.new_ids.get('license_id')\n    if len(matches) > 1:",
             "    new_id = planned.new_ids.get('license_id')\n    if len(matches) > 2:",
             'after an order, two live licenses with the comment (a concurrent run) fail loudly'),
    Mutation('reconcile.order-answered-other-id', 'reconcile',
             "    if new_id is not None and matches[0]['id'] != new_id:",
             "    if False:",
             'the license with the comment must be the one the order answered'),
    Mutation('reconcile.verify-order', 'reconcile',
             '        verify_applied(planned.plan.part(1), None, planned.after)',
             '        pass',
             'a new license must show what was ordered (product, comment, addons)'),
    Mutation('reconcile.order-check-fresh-read', 'reconcile',
             "        if paid and self._fresh_list:",
             "        if False:",
             'the duplicate check after orders needs a fresh read of the list, not the one from before the order'),
    Mutation('isp_license.order-check', 'plugins/modules/isp_license.py',
             "        if planned.orders and self.module.params['skip_basket']:",
             '        if False:',
             'after an order, the list is read again to see exactly one license with the comment'),
    # -- fleet.py: spend limits and what a failure stops -----------------------------------------------------------
    Mutation('fleet.max-orders-off-by-one', 'fleet',
             "if max_orders is not None and len(orders) > max_orders:",
             "if max_orders is not None and len(orders) > max_orders + 1:",
             'max_orders is the most orders a run may place'),
    Mutation('fleet.max-orders-boundary', 'fleet',
             "if max_orders is not None and len(orders) > max_orders:",
             "if max_orders is not None and len(orders) >= max_orders:",
             'exactly max_orders orders are allowed'),
    Mutation('fleet.max-renewals-off-by-one', 'fleet',
             "if max_renewals is not None and total > max_renewals:",
             "if max_renewals is not None and total > max_renewals + 1:",
             'max_renewals is the most renewal periods a run may buy'),
    Mutation('fleet.max-renewals-boundary', 'fleet',
             "if max_renewals is not None and total > max_renewals:",
             "if max_renewals is not None and total >= max_renewals:",
             'exactly max_renewals periods are allowed'),
    Mutation('fleet.renewals-counted-by-license', 'fleet',
             "total = sum(count for _planned, count in renewals)",
             "total = len(renewals)",
             'max_renewals counts periods, not licenses: one license may need several'),
    Mutation('fleet.failure-stops-the-run', 'fleet',
             "if not self._run(planned, applier.apply, planned) and not _refused_alone(planned.error):",
             "if not self._run(planned, applier.apply, planned) and False:",
             'after a failure other than a refusal (a lost answer, a wrong read back) the later licenses are not tried'),
    # -- plan.py: outcomes, confirm polling, never resending money calls ------------------------------------------
    Mutation('plan.money-call-resent', 'plan',
             "    if call.spends_money:\n        raise OutcomeUnknownError(",
             "    if False:\n        raise OutcomeUnknownError(",
             'a call that spends money is never sent twice in one run, even when a read does not show it'),
    Mutation('plan.lost-answer-not-refused', 'plan',
             "    except AmbiguousWriteError:\n        raise\n    except (ApiError, TransportError):",
             "    except UnacknowledgedWriteError:\n        raise\n    except (ApiError, TransportError):",
             'a write whose answer was lost may have been done: it is never counted as refused (changed false after an '
             'order that may have been placed)'),
    Mutation('plan.unacknowledged-write-resent', 'plan',
             "    if isinstance(error, UnacknowledgedWriteError):\n        raise OutcomeUnknownError(",
             "    if False:\n        raise OutcomeUnknownError(",
             'a write the server answered without acknowledging is not sent again'),
    Mutation('plan.no-confirm-no-resend', 'plan',
             "    if call.confirm is None:",
             "    if False:",
             'a call whose effect a read cannot show is never sent again after a lost answer'),
    Mutation('plan.confirm-polling-impatient', 'plan',
             "    patient = call.spends_money or isinstance(error, UnacknowledgedWriteError)",
             "    patient = False",
             'after a lost answer of a money call the account is read again for confirm_timeout (a slow server)'),
    Mutation('plan.confirmed-by-a-missing-license', 'plan',
             '        if shows_effect(found):\n            return found, True',
             '        if found is not None and shows_effect(found):\n            return found, True',
             'a delete is confirmed by a license that no longer reads (None): it must not be sent again'),
    Mutation('plan.unknown-counts-as-written', 'plan',
             "        return any(outcome in WRITTEN for outcome in self.outcomes)",
             "        return any(outcome in (DONE, CONFIRMED) for outcome in self.outcomes)",
             'a call whose outcome is unknown may have spent money: changed must be true'),
    Mutation('plan.verify-mismatch', 'plan',
             "    if wrong:",
             "    if False:",
             'the license read back must show the predicted value in every changed field'),
    # -- renewal.py: the suspended rule and renewal periods ------------------------------------------------------
    Mutation('renewal.paid-days-boundary', 'renewal',
             "    paid_days_left = bool(lic['expiredate']) and to_date(lic['expiredate']) > today",
             "    paid_days_left = bool(lic['expiredate']) and to_date(lic['expiredate']) >= today",
             'a license suspended on its expiry date is expired (renewable), not suspended by its owner'),
    Mutation('renewal.paid-days-refusal', 'renewal',
             "    if kind == 'by_owner':\n        days",
             '    if False:\n        days',
             'renewing a license suspended with paid days left would throw the days away'),
    Mutation('renewal.one-period-for-expired-suspended', 'renewal',
             "        if suspended and dates:",
             "        if False:",
             'an expired suspended license gets one period per run: a second would again count from today'),
    Mutation('renewal.max-periods', 'renewal',
             "    if len(dates) > max_periods:",
             "    if len(dates) > max_periods + 1:",
             'max_periods caps the periods one run may buy'),
    Mutation('renewal.min-days-left-reached', 'renewal',
             "        return (expiry - today).days >= min_days_left",
             "        return (expiry - today).days > min_days_left",
             'a license with exactly min_days_left days is not renewed'),
    Mutation('renewal.unknown-status-not-renewed', 'renewal',
             "    if lic['status'] not in LIVE_STATUSES:\n        raise InvalidOptionError('license %s has a status this "
             "collection does not know (%s, code %s); refusing to '\n                                 'renew it'",
             "    if False:\n        raise InvalidOptionError('license %s has a status this collection does not know (%s, code "
             "%s); refusing to '\n                                 'renew it'",
             'a license whose status is not understood is never renewed'),
    Mutation('renewal.confirm-needs-the-new-expiry', 'renewal',
             "        return found is not None and found['expiredate'] not in (None, before) and found['expiredate'] >= after.isoformat()",
             "        return found is not None",
             'after a lost renewal answer, only an expiry moved to the predicted date confirms it'),
    Mutation('renewal.spends-money', 'renewal',
             "{'elid': lic['id'], 'period': period, 'sok': 'ok'}, spends_money=True,",
             "{'elid': lic['id'], 'period': period, 'sok': 'ok'}, spends_money=False,",
             'a renewal spends money: after a lost answer it is never sent again'),
    # -- license_state.py: the plans of one license ------------------------------------------------------------
    Mutation('state.order-spends-money', 'license_state',
             "    plan.add(FUNCS['order'], params, spends_money=True,",
             "    plan.add(FUNCS['order'], params, spends_money=False,",
             'an order spends money: after a lost answer it is never sent again'),
    Mutation('state.addon-edit-spends-money', 'license_state',
             'spends_money=any(addon_id_of_field(name) is not None for name in edit),',
             'spends_money=False,',
             'an addon change is paid: after a lost answer it is never sent again'),
    Mutation('state.edit-only-what-differs', 'license_state',
             "        if known.get(addon_key(current['pricelist'], addon_id)) != addons[addon_id]:",
             "        if True:",
             'an addon already at its count is not sent again (a paid platform.edit on every run)'),
    Mutation('state.unknown-status-refused', 'license_state',
             '    if status not in LIVE_STATUSES:',
             '    if False:',
             'a license whose status is not understood is never acted on'),
    # -- client.py: acknowledgement, retries of writes, redaction ----------------------------------------------
    Mutation('client.ack-check', 'client',
             "    return any(root.find(path) is not None for path in ('ok',) + WRITE_RESULTS.get(func, ()))",
             "    return True",
             'a write counts only when its answer acknowledges it (<ok/>, or the result the function gives)'),
    Mutation('client.ack-results-per-function', 'client',
             "    return any(root.find(path) is not None for path in ('ok',) + WRITE_RESULTS.get(func, ()))",
             "    return any(root.find(path) is not None for path in ('ok',) + sum(WRITE_RESULTS.values(), ()))",
             'an <id> acknowledges an order only, <newexpiredate> a renewal only'),
    Mutation('client.sent-write-not-retried', 'client',
             "                if write and exc.sent:",
             "                if False:",
             'a write that may have reached the server is never sent again by the client'),
    Mutation('client.write-5xx-not-retried', 'client',
             "if answer.status == 429 or (answer.status >= 500 and not write):",
             "if answer.status == 429 or answer.status >= 500:",
             'a write answered with 5xx may have been done: it is ambiguous, not retried'),
    Mutation('client.redact', 'client',
             "        return WITHHELD if any(self.holds_secret(text, secret) for secret in self.secrets) else text",
             "        return text",
             'the password never appears in a message or a result'),
    # -- errors.py: what "not found" means -----------------------------------------------------------------------
    Mutation('errors.not-found-names-the-id', 'errors',
             "    if (error.params.get('value') or '').strip() == wanted:\n        return True\n    return re.search(",
             "    if (error.params.get('value') or '').strip() == wanted:\n        return True\n    return True or re.search(",
             'only an error naming this id says the license does not exist (a skipped candidate could be doubled)'),
    # -- issue 14: the server in its own time ---------------------------------------------------------------------
    Mutation('waits.refuse-a-plan-on-a-license-in-flux', 'waits',
             "        if plan and in_flux(lic):",
             "        if False:",
             'a license that shows a renewal in progress would be renewed again by a rerun (pays twice)'),
    Mutation('waits.poll-after-a-write', 'waits',
             "        found = self.poll(read, lambda current: call.shows_effect(current) or call.taken_otherwise(current), first=first)",
             "        found = read() if first is None else first",
             'a renewal the server applies later is seen by the run that paid, not bought again by a rerun'),
    Mutation('plan.in-flux-is-not-an-effect', 'plan',
             "        return bool(self.confirm(lic)) and not (self.on_license and in_flux(lic))",
             "        return bool(self.confirm(lic))",
             'the next call is never sent while the license shows the last one in progress'),
    Mutation('license.special-status-is-in-progress', 'license',
             "    if parse_int(_text(row, 'special_status')) == 1:",
             "    if False:",
             'special_status 1 (status change in progress) is a sign of a renewal in progress'),
    Mutation('license.orig-sub-state-of-processing', 'license',
             "        return substate(row, PROCESSING_CODE) or 'processing'",
             "        return None",
             'status 5 / 5_prolong is a license in progress'),
    Mutation('reads.saved-filter-refused', 'license_reads',
             "    if shown is not None:\n        raise FilteredListError(shown, listing)",
             "    if False:\n        raise FilteredListError(shown, listing)",
             'a list with a saved filter is not the whole account: a hidden license would be ordered again'),
    Mutation('reads.near-match-refuses-an-order', 'license_reads',
             "            if comment_alteration(stored, comment, self.comment_limits) is None:\n                continue",
             "            if True:\n                continue",
             'a comment the server cut or escaped: the rerun would order again, every run'),
    Mutation('license.near-match-is-never-a-bare-prefix', 'license',
             "            if len(form) > limit and fold_comment(stored) == fold_comment(form[:limit]):",
             "            if fold_comment(form).startswith(fold_comment(stored)):",
             'web-1 is not a near match of web-10: fleets name licenses that way'),
    Mutation('renewal.staff-suspension-refused', 'renewal',
             "    if reason in SUSPENDED_BY_STAFF:\n        return 'staff'",
             "    if False:\n        return 'staff'",
             'a license suspended by staff is charged and not reactivated by a renewal'),
    Mutation('renewal.owner-suspended-and-expired-not-renewed-alone', 'renewal',
             "    if kind == 'by_owner_expired' and not resumes_after:",
             "    if False:",
             'a renewal of a license suspended by its owner does not reactivate it: the paid time runs unused'),
    Mutation('client.flat-newexpiredate-is-no-proof', 'client',
             "    'service.prolong': ('doc/newexpiredate',),",
             "    'service.prolong': ('doc/newexpiredate', 'newexpiredate'),",
             'the read-only prolong form holds a flat newexpiredate too: it proves nothing was paid'),
    Mutation('client.error-document-at-any-status', 'client',
             "        if root is not None:\n            self._parse(func, answer)  # raises the typed ApiError",
             "        if False:\n            self._parse(func, answer)  # raises the typed ApiError",
             'an "Insufficient funds" sent with HTTP 500 is a refusal, not a lost answer'),
    Mutation('client.redirect-never-followed', 'client',
             "        if 300 <= answer.status < 400:",
             "        if False:",
             'a redirect is named and refused (never followed with the password)'),
    Mutation('reconcile.order-with-a-renew-target-renews-in-the-same-run', 'reconcile',
             "    if wanted.renew is not None and ordered is not None and ordered['expiredate']:",
             "    if False:",
             'an order that ignores its renew target makes the rerun buy the renewal'),
    Mutation('reconcile.state-suspended-never-renews-an-expired-license', 'reconcile',
             "        if wanted.state == 'suspended' and kind in ('expired', 'by_owner_expired') and "
             "_needs_renewal(current, wanted.renew, today):",
             "        if False:",
             'a period bought for a license that is then suspended runs unused'),
    Mutation('reconcile.autoprolong-must-equal-the-period', 'reconcile',
             "    if autoprolong not in ('off', period):",
             "    if False:",
             'an order whose automatic renewal silently stays off'),
    Mutation('reconcile.renewals-after-an-order-never-exceed-the-plan', 'reconcile',
             "        if len(renewal) > len(planned_renewals):",
             "        if False:",
             'the renewals of a new license never exceed what the plan (and max_renewals) approved'),
    # -- issue 16: behaviours no test pinned ----------------------------------------------------------------------
    Mutation('transport.read-timeout-counts-as-sent', 'transport',
             "            raise TransportError('no answer from %s within %ss' % (url, timeout), sent=True) from None",
             "            raise TransportError('no answer from %s within %ss' % (url, timeout), sent=False) from None",
             'a write whose answer timed out may have arrived: it is never sent again'),
    Mutation('reads.a-stale-row-of-an-unknown-product-is-not-a-match', 'license_reads',
             "            if lic is not None and lic['status'] != 'deleted' and lic['comment'] == comment:",
             "            if lic is not None and lic['status'] != 'deleted':",
             'the license read on its own decides whether it carries the comment'),
    Mutation('fleet.later-licenses-not-tried', 'fleet',
             "        return 'not tried' if self.apply_started else 'planned'",
             "        return 'failed' if self.apply_started else 'planned'",
             'licenses after a failure that stops the run were not tried, and say so'),
    Mutation('fleet.refused-and-untried-not-changed', 'fleet',
             "        return bool(planned.plan) if self.check_mode else planned.plan.may_have_written",
             "        return bool(planned.plan)",
             'a license refused or not tried reports changed: false'),
    Mutation('fleet.summary-counts-confirmed-and-unknown-writes', 'fleet',
             "                [call for call, outcome in zip(planned.plan.calls, planned.plan.outcomes) if outcome in WRITTEN]",
             "                [call for call, outcome in zip(planned.plan.calls, planned.plan.outcomes) if outcome == 'done']",
             'a renewal confirmed by a read (or unknown) may have been paid: the summary counts it'),
    Mutation('renewal.target-beyond-the-walk-refused', 'renewal',
             "    if len(dates) > MAX_WALK:",
             "    if len(dates) > MAX_WALK + 1:",
             'a target just beyond the walk limit would be bought short'),
    # -- issue 16: a copy of a rule outside its home, a decision on a message: tests/unit/test_rule_homes.py ----
    Mutation('homes.a-status-set-in-fleet', 'fleet',
             "# With at most this many wanted licenses, all given by id,",
             "WRITABLE = ('active', 'suspended')\n# With at most this many wanted licenses, all given by id,",
             'status sets live in the catalogue'),
    Mutation('homes.the-addon-codec-in-reconcile', 'reconcile',
             "DO_NOT_RERUN = ",
             "FIELD = 'addon_%s'\nDO_NOT_RERUN = ",
             'the addon field codec lives in the catalogue'),
    Mutation('homes.a-date-parsed-in-renewal', 'renewal',
             "def to_date(value):\n    return parse_iso_date(value) if value else None",
             "def to_date(value):\n    return datetime.datetime.strptime(value, '%Y-%m-%d').date() if value else None",
             'ISO dates are parsed by the catalogue'),
    Mutation('homes.a-write-function-in-fleet', 'fleet',
             "KIND_COUNTERS = {'order': 'orders',",
             "ORDER = 'platform.order.param'\nKIND_COUNTERS = {'order': 'orders',",
             'the write functions live in the catalogue'),
    Mutation('homes.a-default-in-options', 'options',
             "    max_periods=dict(type='int', default=DEFAULT_MAX_PERIODS),",
             "    max_periods=dict(type='int', default=12),",
             'defaults live in the catalogue'),
    Mutation('homes.a-decision-on-a-message', 'transport',
             "    pending, seen = [exc], set()",
             "    if 'Connection refused' in repr(exc):\n        return True\n    pending, seen = [exc], set()",
             'whether a request was sent comes from exception types, never from a message'),
]


def collection_files(root):
    """The files of the collection as ``make collection`` lays them out: tracked, and untracked but not ignored."""
    listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], cwd=root,
                            check=True, stdout=subprocess.PIPE).stdout.decode('utf-8').split('\0')
    return [name for name in listed if name and (os.path.lexists(os.path.join(root, name)))]


def lay_out(files, source_root, target_root):
    """Copy ``files`` from ``source_root`` into ``target_root`` (symlinks as symlinks)."""
    for name in files:
        target = os.path.join(target_root, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(source_root, name), target, follow_symlinks=False)


def collection_dir(base):
    return os.path.join(base, 'ansible_collections', 'ispsystem', 'billmanager')


def mutated_source(root, mutation):
    """The text of ``mutation.file`` with the mutation applied; ListError when the snippet is not there exactly once
    or the result does not compile."""
    path = os.path.join(root, mutation.file)
    if not mutation.file.startswith('plugins/'):
        raise ListError('%s: %s is not under plugins/ (the money guards are)' % (mutation.name, mutation.file))
    if not os.path.isfile(path):
        raise ListError('%s: %s does not exist' % (mutation.name, mutation.file))
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    count = text.count(mutation.snippet)
    if count != 1:
        raise ListError('%s: the snippet occurs %d times in %s (it must occur exactly once; update the list): %r'
                        % (mutation.name, count, mutation.file, mutation.snippet))
    if mutation.snippet == mutation.replacement:
        raise ListError('%s: the replacement is the snippet itself' % mutation.name)
    changed = text.replace(mutation.snippet, mutation.replacement)
    try:
        compile(changed, path, 'exec')
    except SyntaxError as exc:
        raise ListError('%s: the mutated %s does not compile: %s' % (mutation.name, mutation.file, exc)) from None
    return changed


def check_list(root, mutations):
    names = [mutation.name for mutation in mutations]
    doubles = sorted(set(name for name in names if names.count(name) > 1))
    if doubles:
        raise ListError('mutation names used twice: %s' % ', '.join(doubles))
    problems = []
    for mutation in mutations:
        try:
            mutated_source(root, mutation)
        except ListError as exc:
            problems.append('%s' % exc)
    if problems:
        raise ListError('\n'.join(problems))


class Outcome:
    def __init__(self, mutation, status, seconds, detail=''):
        self.mutation = mutation
        self.status = status  # 'caught', 'survived', 'timeout', 'error'
        self.seconds = seconds
        self.detail = detail

    @property
    def caught(self):
        return self.status in ('caught', 'timeout')

    def line(self):
        if self.status == 'survived' and self.mutation.equivalent:
            label = 'EQUIVALENT'
        else:
            label = self.status.upper()
        return '%-10s %-44s %5.1fs  %s' % (label, self.mutation.name, self.seconds, self.detail)


class Suites:
    """The unit suites running now, so that an interrupted run leaves no suite behind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = set()
        self.stopping = False

    def run(self, copy_root, timeout=TIMEOUT):
        """(return code, or None when it ran past ``timeout``, output) of the unit suite run in ``copy_root``."""
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE='1')
        env.pop('PYTHONPATH', None)
        with self.lock:
            if self.stopping:
                raise KeyboardInterrupt('stopping')
            process = subprocess.Popen([sys.executable] + PYTEST_ARGS, cwd=copy_root, env=env, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            self.running.add(process)
        try:
            output = process.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            _kill(process)
            output = process.communicate()[0]
            return None, output.decode('utf-8', 'replace')
        finally:
            with self.lock:
                self.running.discard(process)
        return process.returncode, output.decode('utf-8', 'replace')

    def stop(self):
        """Start no suite any more and kill the running ones (each runs in a process group of its own)."""
        with self.lock:
            self.stopping = True
            for process in self.running:
                _kill(process)


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


SUITES = Suites()


def first_failure(output):
    """The first failing test the output names (``FAILED x::y`` or ``ERROR x``), shortened."""
    for line in output.splitlines():
        if line.startswith(('FAILED ', 'ERROR ')):
            test = line.split(' ', 1)[1].split(' - ', 1)[0]
            return test.replace('tests/unit/plugins/', '')
    return ''


def run_one(pristine, files, mutation, workdir):
    started = time.monotonic()
    base = tempfile.mkdtemp(prefix='%s-' % mutation.name, dir=workdir)
    try:
        copy_root = collection_dir(base)
        lay_out(files, pristine, copy_root)
        with open(os.path.join(copy_root, mutation.file), 'w', encoding='utf-8') as handle:
            handle.write(mutated_source(pristine, mutation))
        code, output = SUITES.run(copy_root)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    seconds = time.monotonic() - started
    if code is None:
        return Outcome(mutation, 'timeout', seconds, 'the suite did not end within %ss' % TIMEOUT)
    if code == 0:
        return Outcome(mutation, 'survived', seconds, mutation.equivalent or '')
    if code == 1:
        return Outcome(mutation, 'caught', seconds, first_failure(output))
    if code == 2 and 'error during collection' in output:  # the baseline collects: the mutation broke an import
        return Outcome(mutation, 'caught', seconds, 'collection error: %s' % first_failure(output))
    tail = '\n'.join(output.strip().splitlines()[-15:])
    return Outcome(mutation, 'error', seconds, 'pytest exit code %s:\n%s' % (code, tail))


def _interrupted(signum, frame):  # pylint: disable=unused-argument
    raise KeyboardInterrupt('signal %d' % signum)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('-j', '--jobs', type=int, default=2, help='suites run at once (default 2)')
    parser.add_argument('-k', '--only', action='append', default=[], metavar='SUBSTRING',
                        help='run only the mutations whose name contains SUBSTRING (repeatable)')
    parser.add_argument('--list', action='store_true', help='list the mutations (and check them) without running')
    parser.add_argument('--no-baseline', action='store_true', help='do not run the unmutated suite first')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mutations = [mutation for mutation in MUTATIONS if not args.only or any(part in mutation.name for part in args.only)]
    started = time.monotonic()
    try:
        check_list(ROOT, MUTATIONS)
    except ListError as exc:
        print('mutation list out of step with the code:\n%s' % exc, file=sys.stderr)
        return 2
    if args.list:
        for mutation in mutations:
            print('%-44s %s%s\n    %s' % (mutation.name, mutation.file, ' (equivalent)' if mutation.equivalent else '',
                                          mutation.why))
        print('%d mutations' % len(mutations))
        return 0
    if not mutations:
        print('no mutation matches %s' % ', '.join(args.only), file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupted)
    workdir = tempfile.mkdtemp(prefix='billmgr-mutation-')
    outcomes = {}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
    try:
        pristine_base = os.path.join(workdir, 'pristine')
        files = collection_files(ROOT)
        lay_out(files, ROOT, collection_dir(pristine_base))
        pristine = collection_dir(pristine_base)
        if not args.no_baseline:
            print('baseline: the unit suite of an unmutated copy ...', flush=True)
            code, output = SUITES.run(pristine)
            if code != 0:
                print(output, file=sys.stderr)
                print('the unit suite fails without any mutation (exit code %s): fix it first' % code, file=sys.stderr)
                return 2
            print('baseline passes (%.0fs)' % (time.monotonic() - started), flush=True)
        print('%d mutation(s), %d at a time' % (len(mutations), args.jobs), flush=True)
        futures = [pool.submit(run_one, pristine, files, mutation, workdir) for mutation in mutations]
        for future in concurrent.futures.as_completed(futures):
            outcome = future.result()
            outcomes[outcome.mutation.name] = outcome
            print('[%d/%d] %s' % (len(outcomes), len(mutations), outcome.line()), flush=True)
    except KeyboardInterrupt:
        print('interrupted after %d of %d mutation(s)' % (len(outcomes), len(mutations)), file=sys.stderr)
        return 130
    finally:
        SUITES.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(workdir, ignore_errors=True)
    ordered = [outcomes[mutation.name] for mutation in mutations]
    caught = [outcome for outcome in ordered if outcome.caught]
    survived = [outcome for outcome in ordered if outcome.status == 'survived' and not outcome.mutation.equivalent]
    equivalent = [outcome for outcome in ordered if outcome.status == 'survived' and outcome.mutation.equivalent]
    errors = [outcome for outcome in ordered if outcome.status == 'error']
    print('\nmutation by mutation:')
    for outcome in ordered:
        print(outcome.line())
    for outcome in survived:
        mutation = outcome.mutation
        details = (mutation.name, mutation.file, mutation.why, mutation.snippet, mutation.replacement)
        print('\nSURVIVED %s (%s): %s\n  %r -> %r' % details)
    elapsed = time.monotonic() - started
    print('\nmutation: %d mutations, %d caught, %d survived, %d equivalent, %d errors (%dm%02ds)'
          % (len(ordered), len(caught), len(survived), len(equivalent), len(errors), elapsed // 60, elapsed % 60))
    if errors:
        return 2
    return 1 if survived else 0


if __name__ == '__main__':
    sys.exit(main())
