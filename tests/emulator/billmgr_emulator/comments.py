# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# How a comment is stored: cleaned as a web form would (README "Comments"), then cut to config
# comment_max_length and kept in the form of config comment_storage (as_sent, html_escaped, folded).

import re

from .wire import ApiError

ASCII_WHITESPACE = " \t\n\r\x0b\x0c"
HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
WHITESPACE_RUN = re.compile(r"\s+")
STORAGE_FORMS = {
    "as_sent": lambda text: text,
    "html_escaped": lambda text: text.translate(HTML_ESCAPES),
    "folded": lambda text: WHITESPACE_RUN.sub(" ", text).lower(),
}


def clean_comment(text):
    """CRLF -> LF, ASCII whitespace trimmed; a control character left is refused."""
    comment = text.replace("\r\n", "\n").strip(ASCII_WHITESPACE)
    for char in comment:
        if (char < " " and char != "\n") or char == "\x7f":
            raise ApiError("value", "comment", "The comment contains the control character U+%04X" % ord(char),
                           value="U+%04X" % ord(char))
    return comment


def parse_comment(params, config, default=""):
    """The comment to store from params (default when none is sent)."""
    if "comment" not in params:
        return default
    comment = clean_comment(params["comment"])
    limit = config["comment_max_length"]
    if limit is not None:
        comment = comment[:limit]
    return STORAGE_FORMS[config["comment_storage"]](comment)
