# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The /manager/billmgr API: authentication, dispatch by func and the XML answers.
# execute() is called with the emulator lock held and returns an Outcome (the body and what happened).

import hmac
import ipaddress
import secrets

from . import keys, operations, processing
from .cells import add_cost, add_license_fields
from .dates import format_date
from .lifecycle import tick_processing
from .model import Session
from .products import PERIOD_NAMES, PRODUCTS, PROLONG_PERIODS, price_text
from .texts import answer_lang
from .wire import ApiError, add, bad_value, error_doc, missed, new_doc, to_bytes

PROCESSING_MODULE = "ISPsystem licenses"
# Always writes; the form functions below write only when sok is given (without sok they show the form).
WRITE_FUNCS = frozenset(("platform.suspend", "platform.resume", "platform.delete"))
FORM_FUNCS = frozenset(("platform.edit", "platform.order.param", "service.prolong"))
REDACTED_PARAMS = frozenset(("authinfo", "password", "auth"))


def is_write(func, params):
    return func in WRITE_FUNCS or (func in FORM_FUNCS and bool(params.get("sok")))


def redact(params):
    return dict((key, "<redacted>" if key in REDACTED_PARAMS else value) for key, value in params.items())


class Outcome:
    def __init__(self, root, user=None, changed=False, http_status=200):
        self.body = to_bytes(root)
        self.rows = len(root.findall("elem"))
        self.user = user
        self.changed = changed
        self.http_status = http_status


class Request:
    def __init__(self, state, user, params, now, root):
        self.state = state
        self.user = user
        self.params = params
        self.now = now
        self.root = root

    @property
    def config(self):
        return self.state.config

    @property
    def lang(self):
        return self.root.get("lang")


def _same(secret, given):
    return hmac.compare_digest(secret.encode("utf-8"), given.encode("utf-8"))


def _check_password(state, name, password):
    user = state.users.get(name)
    if user is None or not _same(user.password, password or ""):
        raise ApiError("auth", "badpassword", "Invalid username or password")
    return name


def _whitelist_refusal(config, client):
    """The error for authinfo from an address outside config authinfo_whitelist, in config whitelist_error's form."""
    if config["whitelist_error"] == "badip":
        return ApiError("auth", "badip", "Access from this IP denied", value=client, http_status=403)
    return ApiError("auth", "ip", "Authorization by authinfo is not allowed from the address %s" % client, value=client)


def _allowed(whitelist, client):
    """config authinfo_whitelist: null = any address, else a list of addresses and networks."""
    if whitelist is None:
        return True
    address = ipaddress.ip_address(client)
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in whitelist)


def authenticate(state, params, now, client):
    """Return the user name from authinfo=user:password or auth=SESSION."""
    if params.get("authinfo"):
        if not _allowed(state.config.get("authinfo_whitelist"), client):
            raise _whitelist_refusal(state.config, client)
        name, _sep, password = params["authinfo"].partition(":")
        return _check_password(state, name, password)
    session_id = params.get("auth")
    if not session_id:
        raise ApiError("auth", "authinfo", "Authorization required: send authinfo=user:password or auth=SESSION")
    session = state.sessions.get(session_id)
    if session is None or now - session.last_used > float(state.config.get("session_ttl", 3600)):
        state.sessions.pop(session_id, None)
        raise ApiError("auth", "session", "Session expired or unknown; log in again")
    session.last_used = now
    return session.user


def login(state, params, now, root):
    name = _check_password(state, params.get("username") or "", params.get("password") or "")
    session_id = secrets.token_hex(16)
    state.sessions[session_id] = Session(session_id, name, now)
    add(root, "auth", session_id, id=session_id, level="16")
    return name


def _add_row(req, lic):
    row = add(req.root, "elem")
    add(row, "id", lic.id)
    add(row, "pricelist", lic.product.name)
    add_license_fields(row, lic, req.config, req.lang, True)
    if lic.comment and req.config.get("list_comment", True):
        add(row, "comment", lic.comment)
    add_cost(row, lic, req.config, req.lang, True)
    add(row, "processingmodule", PROCESSING_MODULE)
    if req.config.get("list_addons"):
        for addon_id in sorted(lic.addons):
            add(row, "addon_%s" % addon_id, lic.addons[addon_id])


def _positive_int(params, name, default=None):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise bad_value(name, raw)
    return value


def _matches(lic, list_filter):
    """config list_filter: comment is a substring of the stored comment; other fields are equal."""
    return all(value in lic.comment if field == "comment" else getattr(lic, field) == value
               for field, value in list_filter.items())


def _filter_text(list_filter):
    return "; ".join("%s: %s" % (field, list_filter[field]) for field in sorted(list_filter))


def _add_filter(req):
    """<p_filter>: what the saved filter keeps (config list_filter); empty with no filter (list_filter_element empty)."""
    list_filter = req.config["list_filter"]
    if list_filter:
        add(req.root, "p_filter", _filter_text(list_filter))
    elif req.config["list_filter_element"] == "empty":
        add(req.root, "p_filter")


def handle_list(req):
    list_filter = req.config["list_filter"] or {}
    rows = [lic for lic in req.state.user_licenses(req.user) if _matches(lic, list_filter)]
    shown = rows
    page_size = _positive_int(req.params, "p_cnt")
    page_max = req.config.get("list_page_max")
    if page_max and (page_size is None or page_size > page_max):
        page_size = page_max
    if page_size is not None:
        page = _positive_int(req.params, "p_num", 1)
        add(req.root, "p_cnt", page_size)
        add(req.root, "p_num", page)
        if req.config.get("list_ignores_p_num"):
            page = 1
        shown = rows[(page - 1) * page_size:page * page_size]
    if req.config.get("list_totals", True):
        add(req.root, "p_elems", len(rows))
    _add_filter(req)
    for lic in shown:
        _add_row(req, lic)
    return False


def _read_one(req):
    lic = operations.find_license(req.state, req.user, req.params)
    add(req.root, "elid", lic.id)
    add(req.root, "id", lic.id)
    add(req.root, "pricelist", lic.pricelist)
    add_license_fields(req.root, lic, req.config, req.lang, False)
    add(req.root, "comment", lic.comment or None)
    add_cost(req.root, lic, req.config, req.lang, False)
    for addon_id in sorted(lic.addons):
        add(req.root, "addon_%s" % addon_id, lic.addons[addon_id])
    add(req.root, "lickey", keys.shown_key(lic))
    return False


def handle_edit(req):
    if not req.params.get("sok"):
        return _read_one(req)
    _write(req, operations.edit)
    add(req.root, "ok")
    return True


def _write(req, operation):
    return operations.run_write(req.state, req.user, req.params, req.now, operation)


def _add_slist(root, name, options):
    slist = add(root, "slist", name=name)
    for key, text in options:
        add(slist, "msg", text, key=key)


def _order_form(req):
    """The order form; config order_form_price adds <orderinfo>Total amount: 45.00 EUR</orderinfo>: the price of the
    first period of the order the params describe (bad params: the order's errors)."""
    total = operations.order_total(req.params) if req.config["order_form_price"] else None
    add(req.root, "pricelist", req.params.get("pricelist") or None)
    _add_slist(req.root, "pricelist", [(pid, PRODUCTS[pid].name) for pid in sorted(PRODUCTS)])
    _add_slist(req.root, "period", [(1, "1 month"), (12, "1 year"), (-100, "Trial")])
    if total is not None:
        add(req.root, "orderinfo", "Total amount: %s" % price_text(total))
    return False


def handle_order(req):
    if not req.params.get("sok"):
        return _order_form(req)
    lic, order = operations.place_order(req.state, req.user, req.params, req.now)
    if lic is None and req.config["cart_answer"] == "billorder":
        add(req.root, "ok", "func=order")
        add(req.root, "billorder", order["id"])
        return True
    add(req.root, "ok")
    if lic is not None:
        add(req.root, "id", lic.id)
    add(req.root, "billorder.id", order["id"])
    return True


def _prolong_form(req):
    """The renewal form: elid, expiredate, then (config prolong_form_price, a license that can be renewed) the flat
    newexpiredate and period of a renewal by the period asked, and the period list with the price of each period."""
    lic = operations.find_license(req.state, req.user, req.params)
    preview = operations.renewal_preview(req.state, lic, req.params) if req.config["prolong_form_price"] else None
    add(req.root, "elid", lic.id)
    add(req.root, "expiredate", format_date(lic.expiredate))
    if preview is None:
        _add_slist(req.root, "period", [(period, "%s month(s)" % period) for period in PROLONG_PERIODS])
        return False
    period, new_expiry, prices = preview
    add(req.root, "newexpiredate", format_date(new_expiry))
    add(req.root, "period", period)
    _add_slist(req.root, "period", [(choice, "%s - %s" % (PERIOD_NAMES[choice], price_text(prices[choice])))
                                    for choice in PROLONG_PERIODS])
    return False


def handle_prolong(req):
    if not req.params.get("sok"):
        return _prolong_form(req)
    new_expiry = _write(req, operations.prolong)
    answer = req.config["prolong_answer"]
    if answer == "ok":
        add(req.root, "ok")
        return True
    parent = add(req.root, "doc") if answer == "nested" else req.root
    add(parent, "newexpiredate", format_date(new_expiry))
    return True


def show_elid(req):
    """The "form" of suspend/resume/delete, shown when the write is not acknowledged: the elid echoed."""
    add(req.root, "elid", req.params.get("elid") or None)
    return False


def _simple(operation):
    def handler(req):
        _write(req, operation)
        add(req.root, "ok")
        return True
    return handler


HANDLERS = {
    "platform": handle_list,
    "platform.edit": handle_edit,
    "platform.order.param": handle_order,
    "service.prolong": handle_prolong,
    "platform.suspend": _simple(operations.suspend),
    "platform.resume": _simple(operations.resume),
    "platform.delete": _simple(operations.delete),
}


def start_request(state, now):
    """Before every request: due new orders, pending changes and held keys take effect, and the request is counted.
    Returns True when a pending change was applied or a key issued (the state changed)."""
    tick_processing(state, now)
    applied = processing.apply_due(state, now)
    issued = keys.issue_due(state, now)
    processing.count_request(state)
    keys.count_request(state)
    return applied or issued


def execute(state, params, now, client="127.0.0.1", form_only=False):
    """Run one API request against state (lock held). Never raises ApiError: errors become error documents.

    client is the caller's address (config authinfo_whitelist). form_only (fault unacknowledged): answer the
    function's form as if sok were missing, and execute no write."""
    func = params.get("func", "")
    lang = answer_lang(params, state.config)
    root = new_doc(func, lang)
    user = None
    handler = HANDLERS.get(func)
    if form_only:
        params = dict((key, value) for key, value in params.items() if key != "sok")
        handler = show_elid if func in WRITE_FUNCS else handler
    applied = start_request(state, now)
    try:
        if params.get("out", "xml") != "xml":
            raise bad_value("out", params.get("out"), "This emulator only speaks out=xml")
        if not func:
            raise missed("func")
        if func == "auth":
            user = login(state, params, now, root)
            return Outcome(root, user, applied)
        user = authenticate(state, params, now, client)
        if handler is None:
            raise ApiError("unknown", func, "Unknown function '%s'" % func)
        changed = handler(Request(state, user, params, now, root))
        return Outcome(root, user, changed or applied)
    except ApiError as err:
        http_status = err.http_status or state.config["error_http_status"]
        return Outcome(error_doc(func, err, lang), user, applied, http_status)
