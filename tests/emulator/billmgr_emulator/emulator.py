# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The Emulator: owns the state, the lock, the request log and the HTTP server thread.

import copy
import os
import shutil
import tempfile
import threading
import time
import weakref

from .config import check_config
from .dates import add_days, format_date, parse_date
from .faults import FaultRule
from .keys import issue_due
from .lifecycle import move_clock
from .model import State, load_seed, save_state
from .operations import suspend_by_provider
from .processing import apply_due
from .products import money
from .server import ADMIN_PREFIX, API_PATH, EmulatorHTTPServer


class Emulator:
    """A BILLmanager API emulator on a background thread. Use emu.lock around any direct access to emu.state."""

    def __init__(self, seed=None, tls=False, host="127.0.0.1", port=0, state_file=None, ca_file=None, quiet=True):
        self.lock = threading.RLock()
        self.seed = load_seed(seed)
        self.state_file = os.fspath(state_file) if state_file else None
        initial = self.seed
        if self.state_file and os.path.exists(self.state_file):
            initial = load_seed(self.state_file)
        self.state = State.from_seed(initial)
        self.log = []
        self.host = host
        self.port = int(port)
        self.tls = bool(tls)
        self.quiet = quiet
        self.ca_file = None
        self._ssl_context = None
        self._server = None
        self._thread = None
        self._stopping = threading.Event()
        if self.tls:
            self._setup_tls(ca_file)

    def _setup_tls(self, ca_file):
        from .tlsutil import make_server_context

        if ca_file is None:
            directory = tempfile.mkdtemp(prefix="billmgr-emulator-")
            weakref.finalize(self, shutil.rmtree, directory, True)
            ca_file = os.path.join(directory, "ca.pem")
        self.ca_file = os.path.abspath(os.fspath(ca_file))
        self._ssl_context = make_server_context(self.host, self.ca_file)

    # -- server lifecycle -------------------------------------------------------------------------------------

    @property
    def running(self):
        return self._server is not None

    @property
    def base_url(self):
        host = self.host if self.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % ("https" if self.tls else "http", host, self.port)

    @property
    def url(self):
        return self.base_url + API_PATH

    @property
    def admin_url(self):
        return self.base_url + ADMIN_PREFIX

    def start(self):
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = EmulatorHTTPServer((self.host, self.port), self, self._ssl_context)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="billmgr-emulator-%d" % self.port, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
        self._server = self._thread = None

    def restart(self):
        """Stop, then listen on the same port again (the state is kept)."""
        self.stop()
        return self.start()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def sleep(self, seconds):
        """Sleep for a fault; wakes up early when the emulator stops."""
        self._stopping.wait(seconds)

    # -- state helpers (all take the lock) -------------------------------------------------------------------

    def save_state(self):
        with self.lock:
            if self.state_file:
                save_state(self.state_file, self.state)

    def record(self, entry):
        with self.lock:
            entry["seq"] = len(self.log) + 1
            self.log.append(entry)

    def log_entries(self):
        with self.lock:
            return copy.deepcopy(self.log)

    def clear_log(self):
        with self.lock:
            del self.log[:]

    def snapshot(self):
        """The admin view of the state (pending changes and held keys that are due are applied / issued first)."""
        with self.lock:
            now = time.time()
            apply_due(self.state, now)
            issue_due(self.state, now)
            return self.state.snapshot()

    def reset(self):
        """Back to the seed: state, config, faults, sessions and the request log."""
        with self.lock:
            self.state = State.from_seed(self.seed)
            del self.log[:]
            self.save_state()

    def add_fault(self, func="*", kind=None, count=1, **opts):
        rule = FaultRule(kind, func=func, count=count, **opts)
        with self.lock:
            self.state.faults.append(rule)
        return rule

    def faults(self):
        with self.lock:
            return [rule.to_dict() for rule in self.state.faults]

    def clear_faults(self):
        with self.lock:
            del self.state.faults[:]

    def advance_days(self, days):
        with self.lock:
            apply_due(self.state, time.time())
            events = move_clock(self.state, add_days(self.state.today, int(days)))
            self.save_state()
            return events

    def set_today(self, day):
        with self.lock:
            apply_due(self.state, time.time())
            events = move_clock(self.state, parse_date(day))
            self.save_state()
            return events

    def today(self):
        with self.lock:
            return format_date(self.state.today)

    def set_balance(self, user, amount):
        with self.lock:
            if user not in self.state.users:
                raise KeyError("unknown user %r" % (user,))
            self.state.users[user].balance = money(amount)
            self.save_state()

    def configure(self, **settings):
        """Change config keys (config.CONFIG_CHECKS; the README's config table); returns the config."""
        check_config(settings)
        with self.lock:
            self.state.config.update(copy.deepcopy(settings))
            self.save_state()
            return copy.deepcopy(self.state.config)

    def suspend_by_provider(self, license_id, reason="abuse"):
        """Suspend a license as the provider does (reason "employee" or "abuse"): its owner cannot resume it."""
        with self.lock:
            lic = suspend_by_provider(self.state, license_id, reason)
            self.save_state()
            return lic.snapshot()
