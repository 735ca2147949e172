# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small forwarding HTTP proxy on the loopback interface, for the proxy tests.

Plain HTTP: a request with an absolute URL (``POST http://127.0.0.1:PORT/manager/billmgr``) is sent on to
that URL and the answer passed back. HTTPS: ``CONNECT host:port`` opens a tunnel and relays bytes both ways
(the proxy never sees inside). Only the hosts in ``allowed_hosts`` are reached; anything else gets
``403 Forbidden`` (so a test can see where a module tried to go without any traffic leaving the machine).
``routes`` sends a CONNECT for one ``host:port`` to another address (the vendor's API host to the emulator).
Every request is logged (``proxy.log``: method, target as asked, status).

    with ForwardingProxy(allowed_hosts={"127.0.0.1"}) as proxy:
        env = {"HTTPS_PROXY": proxy.url}
"""

from __future__ import annotations

import http.client
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-authorization", "proxy-connection", "te", "trailer",
              "transfer-encoding", "upgrade"}
RELAY_IDLE_SECONDS = 30


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one request per connection: no keep-alive bookkeeping
    server: "_ProxyServer"

    def log_message(self, format, *args):  # noqa: A002  (the signature of BaseHTTPRequestHandler)
        """Quiet: the proxy keeps its own log."""

    def _record(self, status):
        with self.server.proxy.lock:
            self.server.proxy.log.append({"method": self.command, "target": self.path, "status": status,
                                          "proxy_authorization": self.headers.get("Proxy-Authorization")})

    def _refuse(self, status, reason):
        self._record(status)
        self.send_error(status, reason)

    def do_CONNECT(self):  # noqa: N802  (http.server's naming)
        host, dummy, port = self.server.proxy.routes.get(self.path, self.path).rpartition(":")
        if host not in self.server.proxy.allowed_hosts or not port.isdigit():
            self._refuse(403, "this test proxy does not reach %s" % self.path)
            return
        try:
            upstream = socket.create_connection((host, int(port)), timeout=10)
        except OSError:
            self._refuse(502, "cannot connect to %s" % self.path)
            return
        self._record(200)
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        _relay(self.connection, upstream)

    def _forward(self):
        target = urlsplit(self.path)
        if target.scheme != "http" or target.hostname not in self.server.proxy.allowed_hosts:
            self._refuse(403, "this test proxy does not reach %s" % self.path)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        path = target.path + ("?" + target.query if target.query else "")
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=60)
        try:
            upstream.request(self.command, path, body=body, headers=headers)
            answer = upstream.getresponse()
            payload = answer.read()
        except OSError:
            self._refuse(502, "no answer from %s" % target.netloc)
            return
        finally:
            upstream.close()
        self._record(answer.status)
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = _forward  # noqa: N815
    do_POST = _forward  # noqa: N815


def _relay(client, upstream):
    """Copy bytes both ways until one side closes or both are idle for RELAY_IDLE_SECONDS."""
    sockets = [client, upstream]
    try:
        while True:
            readable, dummy, broken = select.select(sockets, [], sockets, RELAY_IDLE_SECONDS)
            if broken or not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is client else client).sendall(data)
    except OSError:
        return
    finally:
        upstream.close()


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, proxy):
        super().__init__(address, _Handler)
        self.proxy = proxy


class ForwardingProxy:
    """The proxy on 127.0.0.1 (a free port), served from a thread: ``start()``/``stop()`` or ``with``."""

    def __init__(self, allowed_hosts=("127.0.0.1",), routes=None):
        self.allowed_hosts = set(allowed_hosts)
        self.routes = dict(routes or {})  # CONNECT "host:port" -> "host:port" actually connected to
        self.log = []
        self.lock = threading.Lock()
        self._server = None
        self._thread = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def entries(self):
        with self.lock:
            return list(self.log)

    def start(self):
        self._server = _ProxyServer(("127.0.0.1", 0), self)
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
