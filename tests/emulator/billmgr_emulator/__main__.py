# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Command line: python -m billmgr_emulator --port 0 --port-file PATH [--tls --ca-file PATH] [--seed F] [--state-file F]

import argparse
import os
import signal
import sys
import threading

from .emulator import Emulator


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m billmgr_emulator", description="BILLmanager license-reselling API emulator")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default 0)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throw-away test CA")
    parser.add_argument("--ca-file", help="with --tls: where to write the test CA certificate (PEM)")
    parser.add_argument("--seed", help="seed JSON file (default: the built-in default seed)")
    parser.add_argument("--state-file", help="JSON state file: loaded on start if it exists, written after every write")
    parser.add_argument("--port-file", help="write the bound port to this file once the server is ready")
    parser.add_argument("--quiet", action="store_true", help="no banner and no access log")
    args = parser.parse_args(argv)
    if args.ca_file and not args.tls:
        parser.error("--ca-file needs --tls")
    return args


def write_port_file(path, port):
    tmp_path = "%s.tmp" % path
    with open(tmp_path, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(tmp_path, path)


def main(argv=None):
    args = parse_args(argv)
    emulator = Emulator(seed=args.seed, tls=args.tls, host=args.host, port=args.port, state_file=args.state_file,
                        ca_file=args.ca_file, quiet=args.quiet)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    emulator.start()
    try:
        if args.port_file:
            write_port_file(args.port_file, emulator.port)
        if not args.quiet:
            print("BILLmanager emulator ready: API %s  admin %s" % (emulator.url, emulator.admin_url), flush=True)
            if emulator.ca_file:
                print("test CA certificate: %s" % emulator.ca_file, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
