# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# The XML wire format: answer documents and API errors.

import xml.etree.ElementTree as ET

from .texts import error_text

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
CONTENT_TYPE = "text/xml; charset=UTF-8"


class ApiError(Exception):
    """An API error answered as <doc><error type object><param/>...<msg/></error></doc>."""

    def __init__(self, error_type, obj, msg, value=None, extra=(), http_status=None):
        super().__init__(msg)
        self.type = error_type
        self.object = obj
        self.msg = msg
        self.value = value
        self.extra = tuple(extra)
        # The HTTP status this error is always sent with; None: config error_http_status.
        self.http_status = http_status


# config not_found_error -> (type, object) of the error for an unknown elid
NOT_FOUND_ERRORS = {
    "missed_elid": ("missed", "elid"), "missed_item": ("missed", "item"), "missed_id": ("missed", "id"),
    "access_elid": ("access", "elid"),
}


def not_found(elid, form="missed_elid"):
    error_type, obj = NOT_FOUND_ERRORS[form]
    return ApiError(error_type, obj, "Object not found", value=elid)


def missed(name):
    return ApiError("missed", name, "Required parameter '%s' is missing" % name)


def bad_value(name, value, msg=None):
    return ApiError("value", name, msg or "Invalid value of parameter '%s'" % name, value=value)


def new_doc(func, lang="en"):
    root = ET.Element("doc")
    root.set("func", func or "")
    root.set("lang", lang)
    return root


def add(parent, tag, text=None, **attrs):
    """Append <tag>text</tag> to parent; None text gives an empty element."""
    element = ET.SubElement(parent, tag, dict((k, str(v)) for k, v in attrs.items()))
    if text is not None:
        element.text = str(text)
    return element


def error_doc(func, error, lang="en"):
    root = new_doc(func, lang)
    element = add(root, "error", type=error.type, object=error.object, lang=lang)
    add(element, "param", error.object, name="object", type="msg", msg=error.object)
    if error.value is not None:
        add(element, "param", error.value, name="value")
    for name, value in error.extra:
        add(element, "param", value, name=name)
    add(element, "msg", error_text(error, lang))
    return root


def to_bytes(root):
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode")).encode("utf-8")
