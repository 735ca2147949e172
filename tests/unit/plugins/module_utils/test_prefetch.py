# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issue 17: licenses a fleet must read on their own are read ahead, a few at a time; each read is used once."""

from __future__ import annotations

import threading
import time

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import BillmgrClient
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license_reads import get_license, prefetch
from ansible_collections.ispsystem.billmanager.plugins.module_utils.transport import HttpAnswer
from ansible_collections.ispsystem.billmanager.tests.unit.plugins.module_utils.fake_transport import cells, doc, error_doc

DATE = {'Date': 'Fri, 27 Nov 2026 10:00:00 GMT'}


class SlowServer:
    """Answers platform.edit by elid after ``delay`` seconds; counts the requests in flight at once; 429 the first
    ``busy`` requests."""

    def __init__(self, delay=0.05, busy=0, missing=()):
        self.delay = delay
        self.busy = busy
        self.missing = set(missing)
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = self.requests = 0

    def post(self, url, data, timeout):
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            busy = self.busy > 0
            self.busy -= 1
        try:
            time.sleep(self.delay)
            if busy:
                return HttpAnswer(429, b'slow down', {'Retry-After': '0'})
            elid = int(data['elid'])
            if elid in self.missing:
                return HttpAnswer(200, error_doc('missed', 'elid', 'Object not found', value=elid), DATE)
            return HttpAnswer(200, doc(cells(elid=elid, id=elid, pricelist=55163, status=2, expiredate='2027-01-01',
                                             addon_55165=elid % 7)), DATE)
        finally:
            with self.lock:
                self.in_flight -= 1


def client_of(server):
    return BillmgrClient('https://billmgr.example.test/manager/billmgr', 'demo', 'demo-secret', server)


def test_reads_ahead_run_a_few_at_a_time_and_each_is_used_once():
    server = SlowServer()
    client = client_of(server)
    started = time.monotonic()
    prefetch(client, list(range(1, 21)), concurrency=4)
    elapsed = time.monotonic() - started
    assert server.requests == 20 and server.most_in_flight == 4
    assert elapsed < 20 * server.delay * 0.6  # well under the sequential time
    assert [get_license(client, number)['addons'] for number in range(1, 21)] == [{'nodes': number % 7} for number in range(1, 21)]
    assert server.requests == 20  # served from the reads ahead
    get_license(client, 5)
    assert server.requests == 21  # each read ahead is used once: a later read asks the server again


def test_a_license_not_found_ahead_is_not_found_when_needed():
    server = SlowServer(missing=[3])
    client = client_of(server)
    prefetch(client, [1, 2, 3], concurrency=3)
    assert get_license(client, 3) is None and get_license(client, 2)['id'] == 2


def test_429_slows_the_reads_ahead_down_and_they_still_get_through():
    server = SlowServer(delay=0.01, busy=3)
    client = client_of(server)
    prefetch(client, list(range(1, 9)), concurrency=4)
    assert sorted(client.prefetched) == list(range(1, 9))
    assert server.requests == 8 + 3


def test_a_read_that_fails_ahead_fails_the_decision_that_needs_it():
    class Broken(SlowServer):
        def post(self, url, data, timeout):
            raise TransportError('connection refused', sent=False)
    client = client_of(Broken())
    client.retry_budget = 0
    prefetch(client, [1, 2], concurrency=2)
    try:
        get_license(client, 1)
    except TransportError as exc:
        assert 'connection refused' in str(exc)
    else:
        raise AssertionError('the error of the read ahead was lost')


def test_one_license_or_concurrency_one_reads_nothing_ahead():
    server = SlowServer()
    client = client_of(server)
    prefetch(client, [1], concurrency=4)
    prefetch(client, [1, 2], concurrency=1)
    assert server.requests == 0
