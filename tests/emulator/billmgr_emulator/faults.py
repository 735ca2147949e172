# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# Fault injection rules. A rule matches requests by func ("*" = any); it first lets `skip` matching requests
# through, then fires on the next `count` ones (count None = forever) and disappears.

# kind -> its options and their defaults
KINDS = {
    "latency": {"seconds": 1.0},
    "reset": {},
    "http_error": {"status": 502},
    "rate_limit": {"retry_after": 1},
    "malformed": {},
    "truncated": {},
    "drop_after_commit": {},
    "timeout": {"seconds": 5.0},
    "html_200": {},
    "unacknowledged": {},
}
# Kinds that execute the call; every other kind answers (or drops) without executing anything.
EXECUTING_KINDS = frozenset(("latency", "drop_after_commit", "timeout"))
# Kinds that answer the function's form (as without sok): reads run, writes do not.
FORM_KINDS = frozenset(("unacknowledged",))

MALFORMED_BODY = b"<doc><ok></doc"
NGINX_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in - corporate proxy</title></head>\n<body><h1>Sign in</h1>\n"
    b'<form method="post" action="/proxy/login"><input name="username"><input type="password" name="password">'
    b'<button type="submit">Sign in</button></form>\n</body></html>\n'
)


def _number(value, name, cast):
    try:
        return cast(value)
    except (TypeError, ValueError) as exc:
        raise ValueError("fault option %s must be a number, not %r" % (name, value)) from exc


class FaultRule:
    def __init__(self, kind, func="*", count=1, skip=0, **options):
        if kind not in KINDS:
            raise ValueError("unknown fault kind %r (known: %s)" % (kind, ", ".join(sorted(KINDS))))
        unknown = set(options) - set(KINDS[kind])
        if unknown:
            raise ValueError("fault kind %r takes no option %s (it takes: %s)" % (
                kind, ", ".join(sorted(unknown)), ", ".join(sorted(KINDS[kind])) or "none"))
        self.kind = kind
        self.func = func or "*"
        self.count = None if count is None else _number(count, "count", int)
        if self.count is not None and self.count < 1:
            raise ValueError("fault count must be at least 1, or null for a rule that never runs out")
        self.skip = _number(skip, "skip", int)
        self.options = dict(KINDS[kind])
        for name, value in options.items():
            self.options[name] = _number(value, name, float if name == "seconds" else int)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        return cls(data.pop("kind", None), **data)

    def to_dict(self):
        data = {"func": self.func, "kind": self.kind, "count": self.count, "skip": self.skip}
        data.update(self.options)
        return data

    @property
    def executes(self):
        return self.kind in EXECUTING_KINDS

    @property
    def shows_form(self):
        return self.kind in FORM_KINDS

    def matches(self, func):
        return self.func in ("*", func)


def take_fault(rules, func):
    """Return the rule that fires for this request (updating counters), or None."""
    for rule in list(rules):
        if not rule.matches(func):
            continue
        if rule.skip > 0:
            rule.skip -= 1
            return None
        if rule.count is not None:
            rule.count -= 1
            if rule.count <= 0:
                rules.remove(rule)
        return rule
    return None


def nginx_page(status, reason):
    """The page nginx sends with an error or a redirect status."""
    return NGINX_PAGE.format(status=status, reason=reason).encode("utf-8")
