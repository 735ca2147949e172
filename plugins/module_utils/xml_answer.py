# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Parse BILLmanager XML answers safely and turn ``<error>`` into exceptions."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

try:
    from lxml import etree
    HAS_LXML = True
    LXML_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the import sanity test
    etree = None
    HAS_LXML = False
    LXML_IMPORT_ERROR = exc

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import TransportError, api_error

EXCERPT_LENGTH = 160


def _parser():
    # No entity expansion, no DTD loading, no network: an answer can never make us read a file or a URL.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def excerpt(body, length=EXCERPT_LENGTH):
    """A short single-line excerpt of a body for error messages."""
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    text = re.sub(r'\s+', ' ', body or '').strip()
    return text if len(text) <= length else text[:length] + '...'


def parse_answer(body, func, status=200, excerpt_of=excerpt):
    """Parse an answer body into the root ``<doc>`` element.

    Raises TransportError for anything that is not a well-formed ``<doc>`` document
    (proxy HTML, a truncated body, an empty body). ``excerpt_of`` makes the body excerpt
    for the message (the client passes one that redacts the password before cutting).
    """
    if not body or not body.strip():
        raise TransportError('BILLmanager %s: empty answer (HTTP %s)' % (func, status), func=func, status=status, excerpt='')
    try:
        root = etree.fromstring(body, parser=_parser())
    except etree.XMLSyntaxError as exc:
        shown = excerpt_of(body)
        raise TransportError('BILLmanager %s: the answer is not valid XML (HTTP %s: %s); body starts: %s'
                             % (func, status, exc, shown), func=func, status=status, excerpt=shown) from None
    if root.tag != 'doc':
        shown = excerpt_of(body)
        raise TransportError('BILLmanager %s: unexpected answer, root element <%s> instead of <doc> (HTTP %s); body starts: %s'
                             % (func, root.tag, status, shown), func=func, status=status, excerpt=shown)
    return root


def raise_for_error(root, func):
    """Raise the typed ApiError when ``root`` carries ``<error>``."""
    error = root.find('error')
    if error is None:
        return
    params = {}
    for param in error.findall('param'):
        name = param.get('name')
        if name and name != 'object':
            params[name] = (param.text or '').strip()
    message = text_of(error, 'msg')
    raise api_error(func, error.get('type') or '', error.get('object') or '', message, params)


def text_of(element, path, default=''):
    """Stripped text of the first match of ``path`` under ``element``, or ``default``."""
    if element is None:
        return default
    found = element.find(path)
    if found is None or found.text is None:
        return default
    return found.text.strip()
