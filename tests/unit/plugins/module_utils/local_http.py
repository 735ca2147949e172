# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A scripted HTTP/1.1 server on a local port, for the transport's tests: it records every connection and request
(request line, headers, body) and answers each request as its script says: an answer (kept alive or closed), no
answer at all, or a reset connection. Optionally TLS (trustme's throw-away CA)."""

from __future__ import annotations

import socket
import ssl
import struct
import threading

OK_BODY = b'<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/></doc>\n'


def answer(status=200, body=OK_BODY, headers=None, close=False):
    """The bytes of an HTTP/1.1 answer."""
    lines = ['HTTP/1.1 %d %s' % (status, 'OK' if status == 200 else 'Other'), 'Content-Length: %d' % len(body)]
    lines.extend('%s: %s' % item for item in (headers or {}).items())
    if close:
        lines.append('Connection: close')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body


class Request:
    def __init__(self, line, headers, body, connection):
        self.method, self.target, self.version = line.split(' ', 2)
        self.headers = headers  # lower-cased names
        self.body = body
        self.connection = connection  # the number of the connection it came on


class ScriptedServer:
    """``script(request) -> bytes | "hang" | "reset" | "close"``: the answer to send, or what to do instead.

    ``close_idle``: close each connection after its answer without saying so (no ``Connection: close``), as a server
    does with a keep-alive connection left idle too long."""

    def __init__(self, script=None, tls_ca=None, close_idle=False):
        self.close_idle = close_idle
        self.script = script or (lambda request: answer())
        self.requests = []
        self.connections = 0
        self.lock = threading.Lock()
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.context = None
        if tls_ca is not None:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls_ca.issue_cert('127.0.0.1', 'localhost').configure_cert(self.context)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self):
        return '%s://127.0.0.1:%d/manager/billmgr' % ('https' if self.context else 'http', self.port)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self.listener.close()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, dummy = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                number = self.connections
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn, number):
        try:
            if self.context is not None:
                try:
                    conn = self.context.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    conn.close()
                    return
            reader = conn.makefile('rb')
            while True:
                line = reader.readline()
                if not line:
                    break
                headers = {}
                while True:
                    header = reader.readline()
                    if header in (b'\r\n', b'\n', b''):
                        break
                    name, dummy, value = header.decode('latin-1').partition(':')
                    headers[name.strip().lower()] = value.strip()
                body = reader.read(int(headers.get('content-length', '0')))
                request = Request(line.decode('latin-1').strip(), headers, body, number)
                with self.lock:
                    self.requests.append(request)
                action = self.script(request)
                if action == 'hang':
                    self.stopped.wait(30)
                    break
                if action == 'reset':  # RST instead of FIN
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                    break
                if action == 'close':
                    break
                conn.sendall(action)
                if self.close_idle or b'Connection: close' in action.split(b'\r\n\r\n', 1)[0]:
                    break
        finally:
            try:
                conn.close()
            except OSError:
                pass
