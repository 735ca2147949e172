# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Emulator seed of a big account: user ``demo`` with 1,000 licenses (the DESIGN's "Scale" case), or any size.

The benchmarks use 1,000 and 10,000 (``fleet_seed(10000)``, ``--count 10000``). Deterministic (no randomness):
license ``i`` (1-based) is

- id ``FIRST_ID + i``, comment ``fleet-%04d`` (distinct; ``fleet-10000`` is the 10,000th);
- DCImanager 6 when ``i % 3 == 0`` (addon 55171 servers), else VMmanager 6 (addons 55165 nodes, 55164 vms);
- deleted when ``i % 20 == 7``, suspended by the user when ``i % 20 == 13``, ordered when ``i % 50 == 29``,
  else active;
- paid yearly when ``i % 4 == 0`` (1..365 days left), else monthly (1..31 days left); deleted ones expired
  31..90 days ago; autoprolong on when ``i % 5 == 0``.

Used by run_benchmarks.py; also a command line for the standalone emulator::

    python tests/performance/fleet_seed.py > /tmp/fleet.json
    PYTHONPATH=tests/emulator python -m billmgr_emulator --seed /tmp/fleet.json --port 8080
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

TODAY = "2026-11-27"
USER = "demo"
PASSWORD = "demo-secret"
BALANCE = "1000000.00"
FIRST_ID = 200000
DEFAULT_COUNT = 1000

VMMANAGER6 = 55163
DCIMANAGER6 = 55161
ADDON_NODES = "55165"
ADDON_VMS = "55164"
ADDON_SERVERS = "55171"

ORDERED, ACTIVE, SUSPENDED, DELETED = 1, 2, 3, 4
STATUS_NAMES = {ORDERED: "ordered", ACTIVE: "active", SUSPENDED: "suspended", DELETED: "deleted"}
PRODUCT_NAMES = {VMMANAGER6: "vmmanager6", DCIMANAGER6: "dcimanager6"}


def comment_of(index: int) -> str:
    return "fleet-%04d" % index


def _status(index: int) -> int:
    if index % 20 == 7:
        return DELETED
    if index % 20 == 13:
        return SUSPENDED
    if index % 50 == 29:
        return ORDERED
    return ACTIVE


def fleet_license(index: int, today: datetime.date) -> dict:
    """The seed entry of license ``index`` (1-based)."""
    pricelist = DCIMANAGER6 if index % 3 == 0 else VMMANAGER6
    period = 12 if index % 4 == 0 else 1
    status = _status(index)
    if status == DELETED:
        expiry = today - datetime.timedelta(days=31 + index % 60)
    elif period == 12:
        expiry = today + datetime.timedelta(days=1 + (index * 37) % 365)
    else:
        expiry = today + datetime.timedelta(days=1 + (index * 7) % 31)
    if pricelist == VMMANAGER6:
        addons = {ADDON_NODES: 1 + index % 8, ADDON_VMS: 10 * (1 + index % 25)}
    else:
        addons = {ADDON_SERVERS: 5 + index % 50}
    item = {
        "id": FIRST_ID + index,
        "user": USER,
        "pricelist": pricelist,
        "period": period,
        "comment": comment_of(index),
        "addons": addons,
        "status": status,
        "createdate": (min(today, expiry) - datetime.timedelta(days=30 * period)).isoformat(),
        "expiredate": expiry.isoformat(),
        "autoprolong": str(period) if index % 5 == 0 and status != DELETED else None,
    }
    if status == SUSPENDED:
        item["suspend_reason"] = "user"
    return item


def fleet_seed(count: int = DEFAULT_COUNT, today: str = TODAY) -> dict:
    """The whole seed: one user (demo / demo-secret, a balance that pays every renewal) and ``count`` licenses."""
    day = datetime.date.fromisoformat(today)
    return {
        "today": today,
        "users": [{"name": USER, "password": PASSWORD, "balance": BALANCE}],
        "licenses": [fleet_license(index, day) for index in range(1, count + 1)],
        "next_id": FIRST_ID + count + 1,
    }


def days_left(item: dict, today: str = TODAY) -> int:
    return (datetime.date.fromisoformat(item["expiredate"]) - datetime.date.fromisoformat(today)).days


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the benchmark seed (an account of many licenses) as JSON.")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="number of licenses (default %(default)s)")
    parser.add_argument("--today", default=TODAY, help="the emulator's date, YYYY-MM-DD (default %(default)s)")
    args = parser.parse_args(argv)
    json.dump(fleet_seed(args.count, args.today), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
