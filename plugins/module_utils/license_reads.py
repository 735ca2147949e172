# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading licenses: one by id (``platform.edit`` without ``sok``) or a paged list (``func=platform``)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import AccessDeniedError, BillmgrError, NotFoundError
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import license_from_row, parse_int, utc_today
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of

PAGE_SIZE = 500
MAX_PAGES = 10000


def api_today(client):
    """Today as the API server sees it (its HTTP Date header), else today in UTC."""
    return client.server_date or utc_today()


def get_license(client, license_id):
    """The license with this id, or None when BILLmanager says it does not exist or is not ours."""
    try:
        doc = client.read('platform.edit', elid=license_id)
    except (NotFoundError, AccessDeniedError):
        return None
    found = license_from_row(doc, api_today(client))
    if found['id'] is None:
        found['id'] = license_id
    return found


class IncompleteListError(BillmgrError):
    """The list could not be read whole; deciding on a part of it could order a duplicate."""


def iter_rows(client, page_size=PAGE_SIZE):
    """Every ``<elem>`` of ``func=platform``, page by page.

    Raises IncompleteListError when the server ignores ``p_num`` while more rows exist: a
    partial list must never look like "not found" (which could lead to a second order).
    """
    seen_first_ids = set()
    fetched = 0
    for page in range(1, MAX_PAGES + 1):
        doc = client.read('platform', p_cnt=page_size, p_num=page)
        rows = doc.findall('elem')
        total = parse_int(text_of(doc, 'p_elems') or doc.get('p_elems'))
        if not rows:
            _check_complete(fetched, total)
            return
        first_id = text_of(rows[0], 'id')
        if first_id in seen_first_ids:
            # The server ignored p_num and sent a page we already have.
            _check_complete(fetched, total if total is not None else fetched + 1)
            return
        seen_first_ids.add(first_id)
        yield from rows
        fetched += len(rows)
        if len(rows) != page_size or (total is not None and fetched >= total):
            return
    raise IncompleteListError('the license list has more than %d pages; stopped reading' % MAX_PAGES)


def _check_complete(fetched, total):
    if total is not None and fetched < total:
        raise IncompleteListError('the license list is incomplete: read %d of %s rows (the API did not page as asked); '
                                  'refusing to decide on a partial list' % (fetched, total))


def list_licenses(client, comment=None, pricelist=None, include_deleted=True, page_size=PAGE_SIZE):
    """License dicts of the account, filtered early on the raw cells (cheap for big accounts).

    A row whose product cell is a name this collection does not know is read on its own when
    filtering by pricelist, to learn its pricelist id.
    """
    found = []
    today = None
    for row in iter_rows(client, page_size):
        if comment is not None and text_of(row, 'comment') != comment:
            continue
        if today is None:
            today = api_today(client)
        item = license_from_row(row, today)
        if pricelist is not None and item['pricelist'] != pricelist:
            if item['pricelist'] is not None or item['id'] is None or not text_of(row, 'pricelist'):
                continue
            item = get_license(client, item['id'])
            if item is None or item['pricelist'] != pricelist:
                continue
        if not include_deleted and item['status'] == 'deleted':
            continue
        found.append(item)
    return found


class IdentityError(BillmgrError):
    """The options do not designate exactly one license."""


def find_license(client, license_id=None, comment=None, pricelist=None, need_addons=False):
    """The license designated by ``license_id``, or by ``comment`` within ``pricelist``.

    Returns None when a comment matches nothing (the caller may then order). Raises IdentityError
    when an id does not exist (never order instead) or a comment matches more than one license.
    Deleted licenses never match a comment; a deleted license found by id is returned as such.
    """
    if license_id is not None:
        found = get_license(client, license_id)
        if found is None:
            raise IdentityError('license id %s was not found in the account of this api_user; a license given by id '
                                'is never ordered: remove id and set comment to order a new one' % license_id)
        return found
    matches = list_licenses(client, comment=comment, pricelist=pricelist, include_deleted=False)
    if len(matches) > 1:
        raise IdentityError('comment %r matches %d licenses (ids %s); refusing to guess: use id to choose one'
                            % (comment, len(matches), ', '.join('%s' % item['id'] for item in matches)))
    if not matches:
        return None
    found = matches[0]
    if need_addons and found['addons'] is None:
        found = get_license(client, found['id']) or found
    return found
