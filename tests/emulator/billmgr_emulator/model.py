# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The emulator's state: users, licenses, orders, charges, sessions, clock, faults and config.
# State.from_seed() reads the seed / state-file JSON; to_seed() writes it back; snapshot() is the admin view.

import copy
import hashlib
import json
import os

from .config import check_config, default_config
from .dates import format_date, parse_date, utc_today
from .faults import FaultRule
from .products import PRODUCTS, format_money, money, period_price

ORDERED, ACTIVE, SUSPENDED, DELETED, PROCESSING = 1, 2, 3, 4, 5
STATUS_NAMES = {ORDERED: "Ordered", ACTIVE: "Active", SUSPENDED: "Suspended", DELETED: "Deleted", PROCESSING: "Processing"}
DEFAULT_SEED_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "default_seed.json")
# Why a license is suspended: by its owner (platform.suspend), for non-payment (the lifecycle), or by the provider.
SUSPEND_REASONS = ("user", "expired", "employee", "abuse")
PROVIDER_REASONS = ("employee", "abuse")


def parse_autoprolong(value):
    """Seed/API autoprolong: 1 | 12 | null/None/"" (off). Raise ValueError otherwise."""
    if value is None or str(value).strip().lower() in ("", "null", "none", "0", "off"):
        return None
    number = int(str(value).strip())
    if number not in (1, 12):
        raise ValueError("autoprolong must be 1, 12 or null, not %r" % (value,))
    return number


def lickey_for(license_id):
    return hashlib.sha256(("billmgr-emulator-%s" % license_id).encode("ascii")).hexdigest()[:32].upper()


class User:
    def __init__(self, name, password, balance):
        self.name = name
        self.password = password
        self.balance = money(balance)

    def to_seed(self):
        return {"name": self.name, "password": self.password, "balance": format_money(self.balance)}


class License:
    """One license. addons maps int addon id -> int count, every addon of the product present."""

    def __init__(self, license_id, user, pricelist, period, **fields):
        self.id = license_id
        self.user = user
        self.pricelist = pricelist
        self.period = period
        self.comment = fields.get("comment") or ""
        self.addons = fields.get("addons") or PRODUCTS[pricelist].default_addons()
        self.status = fields.get("status", ACTIVE)
        self.createdate = fields["createdate"]
        self.expiredate = fields["expiredate"]
        self.autoprolong = fields.get("autoprolong")
        self.lickey = fields.get("lickey") or lickey_for(license_id)
        self.remoteid = fields.get("remoteid")
        self.order_id = fields.get("order_id")
        # One of SUSPEND_REASONS; None unless status is SUSPENDED.
        self.suspend_reason = fields.get("suspend_reason")
        # Epoch seconds at which a PROCESSING license becomes ACTIVE.
        self.ready_at = fields.get("ready_at")
        # Delayed writes (config processing_delay*) whose effect is not applied yet, oldest first.
        self.pending = fields.get("pending") or []
        # A key held back (config key_delay_*, keys.py): issued at epoch seconds key_due, or once key_requests_left
        # further requests have passed; both None once issued.
        self.key_due = fields.get("key_due")
        self.key_requests_left = fields.get("key_requests_left")

    @property
    def product(self):
        return PRODUCTS[self.pricelist]

    @property
    def cost(self):
        return period_price(self.product, self.addons, self.period)

    @property
    def key_issued(self):
        return self.key_due is None and self.key_requests_left is None

    def to_seed(self):
        return {
            "id": self.id, "user": self.user, "pricelist": self.pricelist, "period": self.period,
            "comment": self.comment, "addons": dict((str(k), v) for k, v in sorted(self.addons.items())),
            "status": self.status, "createdate": format_date(self.createdate), "expiredate": format_date(self.expiredate),
            "autoprolong": None if self.autoprolong is None else str(self.autoprolong),
            "lickey": self.lickey, "remoteid": self.remoteid, "order_id": self.order_id,
            "suspend_reason": self.suspend_reason, "ready_at": self.ready_at,
            "pending": [change.to_seed() for change in self.pending],
            "key_due": self.key_due, "key_requests_left": self.key_requests_left,
        }

    def snapshot(self):
        data = self.to_seed()
        data.update({"cost": format_money(self.cost), "product": self.product.name, "item_status": STATUS_NAMES[self.status],
                     "key_issued": self.key_issued})
        return data


class PendingChange:
    """The effect of a delayed write: the license fields it sets, applied once due (at a time, or after a number
    of further API requests), and never before the changes queued before it."""

    def __init__(self, func, changes, due=None, requests_left=None):
        self.func = func
        self.changes = changes
        self.due = due
        self.requests_left = requests_left

    def is_due(self, now):
        if self.requests_left is not None:
            return self.requests_left <= 0
        return now >= self.due

    def apply_to(self, lic):
        for name, value in self.changes.items():
            setattr(lic, name, copy.copy(value))

    def to_seed(self):
        changes = dict((name, _field_to_seed(name, value)) for name, value in self.changes.items())
        return {"func": self.func, "due": self.due, "requests_left": self.requests_left, "changes": changes}

    @classmethod
    def from_seed(cls, data):
        changes = dict((name, _field_from_seed(name, value)) for name, value in data["changes"].items())
        return cls(data["func"], changes, data.get("due"), data.get("requests_left"))


def _field_to_seed(name, value):
    if name == "expiredate":
        return format_date(value)
    if name == "addons":
        return dict((str(k), v) for k, v in sorted(value.items()))
    return value


def _field_from_seed(name, value):
    if name == "expiredate":
        return parse_date(value) if value else None
    if name == "addons":
        return dict((int(k), int(v)) for k, v in value.items())
    return value


class Session:
    def __init__(self, session_id, user, last_used):
        self.id = session_id
        self.user = user
        self.last_used = last_used


def _seed_expiry(item, status):
    """The expiry date; only an ordered (unpaid, status 1) license may have none."""
    if not item.get("expiredate") and status == ORDERED:
        return None
    return parse_date(item["expiredate"])


def _license_from_seed(item, today):
    pricelist = int(item["pricelist"])
    if pricelist not in PRODUCTS:
        raise ValueError("license %s: unknown pricelist %s" % (item.get("id"), pricelist))
    addons = PRODUCTS[pricelist].default_addons()
    for key, count in (item.get("addons") or {}).items():
        if int(key) not in addons:
            raise ValueError("license %s: addon %s does not belong to pricelist %s" % (item.get("id"), key, pricelist))
        addons[int(key)] = int(count)
    status = int(item.get("status", ACTIVE))
    expiredate = _seed_expiry(item, status)
    reason = item.get("suspend_reason")
    if status == SUSPENDED and not reason:
        reason = "expired" if expiredate <= today else "user"
    if reason is not None and reason not in SUSPEND_REASONS:
        raise ValueError("license %s: suspend_reason must be one of %s" % (item.get("id"), ", ".join(SUSPEND_REASONS)))
    fields = dict((key, value) for key, value in item.items() if key not in ("id", "user", "pricelist", "period"))
    fields.update({
        "addons": addons, "status": status, "createdate": parse_date(item.get("createdate") or today),
        "expiredate": expiredate, "autoprolong": parse_autoprolong(item.get("autoprolong")), "suspend_reason": reason,
        "pending": [PendingChange.from_seed(change) for change in item.get("pending") or []],
    })
    return License(int(item["id"]), item["user"], pricelist, int(item.get("period", 1)), **fields)


class State:
    """Everything the emulator knows. Guard every access with the emulator's lock."""

    def __init__(self, today):
        self.today = today
        self.users = {}
        self.licenses = {}
        self.orders = []
        self.charges = []
        self.sessions = {}
        self.faults = []
        self.config = default_config()
        self.next_id = 1000
        self.next_order_id = 5000

    @classmethod
    def from_seed(cls, seed):
        today = parse_date(seed["today"]) if seed.get("today") else utc_today()
        state = cls(today)
        for item in seed.get("users", []):
            state.users[item["name"]] = User(item["name"], item.get("password", ""), item.get("balance", "0"))
        for item in seed.get("licenses", []):
            lic = _license_from_seed(item, today)
            if lic.user not in state.users:
                raise ValueError("license %s belongs to unknown user %r" % (lic.id, lic.user))
            state.licenses[lic.id] = lic
        state.orders = copy.deepcopy(seed.get("orders", []))
        state.charges = copy.deepcopy(seed.get("charges", []))
        check_config(seed.get("config") or {})
        state.config.update(copy.deepcopy(seed.get("config") or {}))
        state.faults = [FaultRule.from_dict(rule) for rule in seed.get("faults", [])]
        state.next_id = max([int(seed.get("next_id", 1000))] + [lic_id + 1 for lic_id in state.licenses])
        state.next_order_id = max([int(seed.get("next_order_id", 5000))] + [int(o["id"]) + 1 for o in state.orders])
        return state

    def to_seed(self):
        return {
            "today": format_date(self.today),
            "users": [user.to_seed() for user in self.users.values()],
            "licenses": [self.licenses[key].to_seed() for key in sorted(self.licenses)],
            "orders": copy.deepcopy(self.orders), "charges": copy.deepcopy(self.charges),
            "config": copy.deepcopy(self.config), "next_id": self.next_id, "next_order_id": self.next_order_id,
        }

    def snapshot(self):
        return {
            "today": format_date(self.today),
            "users": dict((user.name, {"balance": format_money(user.balance)}) for user in self.users.values()),
            "licenses": [self.licenses[key].snapshot() for key in sorted(self.licenses)],
            "orders": copy.deepcopy(self.orders), "charges": copy.deepcopy(self.charges),
            "config": copy.deepcopy(self.config), "faults": [rule.to_dict() for rule in self.faults],
            "next_id": self.next_id, "next_order_id": self.next_order_id,
        }

    def new_license_id(self):
        self.next_id += 1
        return self.next_id - 1

    def new_order_id(self):
        self.next_order_id += 1
        return self.next_order_id - 1

    def user_licenses(self, user):
        return [self.licenses[key] for key in sorted(self.licenses) if self.licenses[key].user == user]


def load_seed(seed):
    """seed: None (the default seed), a dict, or a path to a JSON file. Returns a fresh dict."""
    if seed is None:
        seed = DEFAULT_SEED_PATH
    if isinstance(seed, dict):
        return copy.deepcopy(seed)
    with open(os.fspath(seed), encoding="utf-8") as handle:
        return json.load(handle)


def save_state(path, state):
    """Write the state file atomically (tmp file + rename)."""
    tmp_path = "%s.tmp" % path
    with open(tmp_path, "w", encoding="utf-8") as handle:
        json.dump(state.to_seed(), handle, indent=2, sort_keys=True)
        handle.write("\n")
    os.replace(tmp_path, path)
