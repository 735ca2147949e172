# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# HTTP layer: the API endpoint (with fault injection and the request log) and the JSON admin API.

import datetime
import email.utils
import http
import json
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import admin
from .api import execute, is_write, redact
from .faults import LOGIN_PAGE, MALFORMED_BODY, nginx_page, take_fault
from .wire import CONTENT_TYPE, add, new_doc, to_bytes

API_PATH = "/manager/billmgr"
ADMIN_PREFIX = "/_emulator"
HTML = "text/html; charset=utf-8"


class EmulatorHTTPServer(ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, emulator, ssl_context=None):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.emulator = emulator
        self.active = set()
        self.active_lock = threading.Lock()
        super().__init__(address, Handler)
        if ssl_context is not None:
            # The handshake happens in the handler thread (Handler.setup), not in the accept loop.
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def handle_error(self, request, client_address):
        if self.emulator.quiet:
            return
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            # Client-side trouble (a TLS client without the CA, a client that hung up): one line, no traceback.
            sys.stderr.write("%s:%s - connection error: %s\n" % (client_address[0], client_address[1], error))
        else:
            super().handle_error(request, client_address)

    def close_connections(self):
        """Shut down every open client connection so that handler threads end promptly."""
        with self.active_lock:
            connections = list(self.active)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def parse_params(query, body):
    """Query parameters, then form-body parameters (the body wins on a duplicate)."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    body_params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)) if body else {}
    params.update(body_params)
    return params, sorted(body_params)


class Handler(BaseHTTPRequestHandler):
    server_version = "BILLmanagerEmulator/1.0"
    protocol_version = "HTTP/1.0"
    timeout = 30

    def setup(self):
        self.request.settimeout(self.timeout)
        if isinstance(self.request, ssl.SSLSocket):
            self.request.do_handshake()
        with self.server.active_lock:
            self.server.active.add(self.request)
        super().setup()

    def finish(self):
        with self.server.active_lock:
            self.server.active.discard(self.request)
        super().finish()

    def date_time_string(self, timestamp=None):
        """The Date header follows the emulator's clock, so clients that date "today" by the server agree with it."""
        now = datetime.datetime.now(datetime.timezone.utc) if timestamp is None else \
            datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
        with self.server.emulator.lock:
            today = self.server.emulator.state.today
        return email.utils.format_datetime(now.replace(year=today.year, month=today.month, day=today.day), usegmt=True)

    def log_message(self, format, *args):
        if not self.server.emulator.quiet:
            super().log_message(format, *args)

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def do_DELETE(self):
        self._route("DELETE")

    def _route(self, method):
        path = urlsplit(self.path).path.rstrip("/")
        body = self._read_body()
        if path == API_PATH and method in ("GET", "POST"):
            self._api(method, body)
        elif path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            self._admin(method, path[len(ADMIN_PREFIX):].strip("/"), body)
        else:
            self._send(404, nginx_page(404, "Not Found"), HTML)

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, body, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drop(self, reset):
        """Close the connection without an answer: an RST (reset) or a plain FIN (drop)."""
        self.close_connection = True
        try:
            if reset:
                self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.request.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _admin(self, method, route, body):
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            status, answer = 400, {"error": "the body is not JSON"}
        else:
            status, answer = admin.dispatch(self.server.emulator, method, route, payload)
        self._send(status, json.dumps(answer, indent=1, sort_keys=True).encode("utf-8"), "application/json")

    def _api(self, method, body):
        emulator = self.server.emulator
        query = urlsplit(self.path).query
        params, body_keys = parse_params(query, body)
        func = params.get("func", "")
        entry = {
            "method": method, "path": API_PATH, "query": query, "body_keys": body_keys, "func": func,
            "params": redact(params), "user": None, "status": None, "fault": None, "write": is_write(func, params),
            "bytes": 0, "rows": 0,
        }
        with emulator.lock:
            redirect = emulator.state.config["redirect"]
            fault = None if redirect else take_fault(emulator.state.faults, func)
        if redirect:
            self._answer_redirect(redirect, entry)
            return
        if fault is not None:
            entry["fault"] = fault.kind
            if fault.kind == "latency":
                emulator.sleep(fault.options["seconds"])
            elif not (fault.executes or fault.shows_form):
                self._answer_fault(fault, entry)
                return
        dropped = fault is not None and fault.kind == "drop_after_commit"
        with emulator.lock:
            outcome = execute(emulator.state, params, time.time(), self.client_address[0],
                              form_only=fault is not None and fault.shows_form)
            if outcome.changed:
                emulator.save_state()
            entry["user"] = outcome.user
            if not dropped:
                entry.update({"status": outcome.http_status, "bytes": len(outcome.body), "rows": outcome.rows})
            emulator.record(entry)
        if dropped:
            self._drop(reset=False)
            return
        if fault is not None and fault.kind == "timeout":
            emulator.sleep(fault.options["seconds"])
        self._send(outcome.http_status, outcome.body, CONTENT_TYPE)

    def _answer_redirect(self, redirect, entry):
        """config redirect: the request is not executed; the answer points elsewhere."""
        status = redirect["status"]
        body = nginx_page(status, _reason(status))
        entry.update({"status": status, "bytes": len(body)})
        self.server.emulator.record(entry)
        self._send(status, body, HTML, (("Location", redirect["location"]),))

    def _answer_fault(self, fault, entry):
        """Answer for a fault that executes nothing."""
        status, headers, content_type = 200, (), HTML
        if fault.kind == "reset":
            status, body = None, b""
        elif fault.kind == "http_error":
            status = int(fault.options["status"])
            body = nginx_page(status, _reason(status))
        elif fault.kind == "rate_limit":
            status, headers = 429, (("Retry-After", str(fault.options["retry_after"])),)
            body = nginx_page(429, _reason(429))
        elif fault.kind == "malformed":
            body, content_type = MALFORMED_BODY, CONTENT_TYPE
        elif fault.kind == "truncated":
            doc = new_doc(entry["func"])
            add(doc, "ok")
            whole = to_bytes(doc)
            body, content_type = whole[:len(whole) // 2], CONTENT_TYPE
        else:
            body = LOGIN_PAGE
        entry.update({"status": status, "bytes": len(body)})
        self.server.emulator.record(entry)
        if status is None:
            self._drop(reset=True)
        else:
            self._send(status, body, content_type, headers)


def _reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"
