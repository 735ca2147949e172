# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading licenses: one by id (``platform.edit`` without ``sok``) or the whole paged list (``func=platform``).

Reads fail closed. A list that cannot be proven complete is an error, never "not found"; a license whose
product, status or comment the rows do not show is read on its own, and one that stays unclear makes
every decision that depends on it refuse. That is what keeps an order from going out twice.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import KNOWN_STATUSES, LIVE_STATUSES, product_label
from ansible_collections.ispsystem.billmanager.plugins.module_utils.errors import ApiError, BillmgrError, says_not_found
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import (
    COMMENT_LENGTH_LIMITS, comment_alteration, license_from_row, normalise_comment, parse_int, utc_today,
)
from ansible_collections.ispsystem.billmanager.plugins.module_utils.xml_answer import text_of

PAGE_SIZE = 500
MAX_PAGES = 10000
# Cells without which an answer of platform.edit (read one) is not a license.
LICENSE_CELLS = ('pricelist', 'status', 'item_status', 'expiredate')


class IncompleteListError(BillmgrError):
    """The list could not be read whole; deciding on a part of it could order a duplicate."""


class FilteredListError(IncompleteListError):
    """The list answer shows a filter saved on the server: it is not the whole account."""

    def __init__(self, shown, listing=None):
        self.shown = shown
        self.listing = listing  # what was read up to the page that showed the filter
        super(FilteredListError, self).__init__(
            'the license list answer shows a filter saved for this API user on the server (p_filter: %r): the list may '
            'hide licenses, so nothing is decided from it (a license hidden by the filter could be ordered again). '
            'Clear the filter: log in to the BILLmanager web interface as this user, open the list of licenses, '
            'and reset its filter; then rerun' % shown)


class NotUnderstoodError(BillmgrError):
    """A license that a decision depends on is shown in a way this collection does not understand."""


class IdentityError(BillmgrError):
    """The options do not designate exactly one license."""


def api_today(client):
    """Today as the API server sees it (its HTTP Date header), else today in UTC."""
    return client.server_date or utc_today()


def get_license(client, license_id):
    """The license with this id, or None when BILLmanager says that it does not exist (or is not ours)."""
    return read_one(client, license_id)[0]


def read_one(client, license_id):
    """(license, the ``platform.edit`` answer) for this id, or (None, None) when BILLmanager says it does not exist.

    A read made ahead (``prefetch``) is used once, in place of a request.
    """
    if license_id in client.prefetched:
        ahead = client.prefetched.pop(license_id)
        if isinstance(ahead, Exception):
            raise ahead
        return ahead
    try:
        doc = client.read('platform.edit', elid=license_id)
    except ApiError as exc:
        if says_not_found(exc, license_id):
            return None, None
        raise
    if not any(doc.find(name) is not None for name in LICENSE_CELLS):
        raise NotUnderstoodError('the answer to platform.edit elid=%s shows none of %s: it is not understood as a license'
                                 % (license_id, ', '.join(LICENSE_CELLS)))
    found = license_from_row(doc, api_today(client))
    if found['id'] is None:
        found['id'] = license_id
    elif found['id'] != license_id:
        raise NotUnderstoodError('asked platform.edit for license %s and the answer shows license %s' % (license_id, found['id']))
    return found, doc


def prefetch(client, license_ids, concurrency):
    """Read these licenses on their own, ``concurrency`` at a time, ahead of the decisions that need them (each is
    used once by ``read_one``). Reads only: writes are never concurrent. A read that fails keeps its error for the
    decision that needs it; the client's retries honour 429 and Retry-After in each thread."""
    ids = [license_id for license_id in license_ids if license_id not in client.prefetched]
    if len(ids) < 2 or concurrency < 2:
        return  # read in turn, when needed
    from concurrent.futures import ThreadPoolExecutor  # here: a run that reads no license on its own never needs it

    def read(license_id):
        try:
            return license_id, read_one(client, license_id)
        except BillmgrError as exc:
            return license_id, exc

    pool = ThreadPoolExecutor(max_workers=concurrency)
    try:
        for license_id, outcome in pool.map(read, ids):
            client.prefetched[license_id] = outcome
    finally:
        pool.shutdown(wait=True)


# What a decision may need to see of a license, and whether the row it was read from shows it. The comment is shown
# only where the row has a comment cell: the vendor's list docs show no comment column, and "no cell" never means
# "no comment".
SHOWN = {
    'addons': lambda lic, row: lic['addons'] is not None,
    'product': lambda lic, row: lic['pricelist'] is not None,
    'status': lambda lic, row: lic['status'] in KNOWN_STATUSES,
    'comment': lambda lic, row: row is None or row.find('comment') is not None,
}


def complete(client, lic, needs, row=None):
    """``lic`` when the ``row`` it was read from (None: a read of its own) shows each of ``needs``; otherwise the
    license read on its own (``platform.edit``), or None when BILLmanager says it no longer exists.

    The one place where a license is read again because a list row does not show what a decision needs.
    """
    if all(SHOWN[need](lic, row) for need in needs):
        return lic
    return get_license(client, lic['id'])


def with_addons(client, lic):
    """``lic`` with its addon values (read on its own when its row shows none; as it is when it is gone)."""
    return complete(client, lic, ['addons']) or lic


class AccountList:
    """Every ``<elem>`` row of ``func=platform`` and what reading them showed about the server's paging."""

    def __init__(self, page_size_asked):
        self.rows = []
        self.page_size_asked = page_size_asked
        self.page_size_served = None  # the <p_cnt> of the first answer, when it carries one
        self.total = None  # <p_elems>, when the answers carry it
        self.requests = 0
        self.filter_element = False  # the answers carry <p_filter> (an empty one: no filter)

    def describe(self):
        return {
            'page_size_asked': self.page_size_asked,
            'page_size_served': self.page_size_served,
            'total_rows': self.total,
            'rows_read': len(self.rows),
            'list_requests': self.requests,
            'filter_element': self.filter_element,
        }


def _number(doc, name):
    return parse_int(text_of(doc, name) or doc.get(name))


def read_account(client, page_size=PAGE_SIZE):
    """Read every row of the license list, or raise IncompleteListError.

    Pages go on with the page size the server says it used (its ``<p_cnt>``). ``<p_elems>``, when given, is the
    truth: as many distinct rows as it says must be read, no fewer. Without it, pages are read until an empty
    one, and a short page followed by more rows is an error when the server did not say which page size it
    used (rows may have been skipped). A row seen twice (the list moved while it was read, or the server
    ignores ``p_num``) is an error.
    """
    listing = AccountList(page_size)
    size = page_size
    seen = set()
    short_page = None
    for page in range(1, MAX_PAGES + 1):
        doc = client.read('platform', p_cnt=size, p_num=page)
        listing.requests += 1
        rows = doc.findall('elem')
        _check_page_number(doc, page)
        _note_total(listing, _number(doc, 'p_elems'))
        _check_filter(listing, doc)
        served = _number(doc, 'p_cnt')
        if page == 1:
            listing.page_size_served = served
        if not rows:
            break
        if short_page is not None:
            raise IncompleteListError(
                'page %d of the license list held %d rows, fewer than the %d asked, and the server did not say which page '
                'size it used, yet page %d holds more rows: rows may have been skipped; refusing to decide on this list'
                % (short_page[0], short_page[1], short_page[2], page))
        _add_rows(listing, rows, seen, page)
        if listing.total is not None and len(listing.rows) >= listing.total:
            break
        if served:
            size = served
        elif len(rows) < size and listing.total is None:
            short_page = (page, len(rows), size)
    else:
        raise IncompleteListError('the license list has more than %d pages; stopped reading' % MAX_PAGES)
    if listing.total is not None and len(listing.rows) != listing.total:
        raise IncompleteListError('the license list is incomplete: read %d of %s rows (the API did not page as asked); '
                                  'refusing to decide on a partial list' % (len(listing.rows), listing.total))
    return listing


def saved_filter(doc):
    """The filter a list answer says is saved on the server (its ``<p_filter>`` text), or None when there is none.

    An empty ``<p_filter/>`` means no filter; one with text, child elements or attributes is a filter.
    """
    element = doc.find('p_filter')
    if element is None:
        return None
    text = ' '.join(part.strip() for part in element.itertext() if part.strip())
    if text:
        return text
    if len(element) or element.attrib:
        attributes = ['%s=%s' % item for item in sorted(element.attrib.items())]
        return ', '.join(attributes + [child.tag for child in element if isinstance(child.tag, str)])
    return None


def _check_filter(listing, doc):
    if doc.find('p_filter') is not None:
        listing.filter_element = True
    shown = saved_filter(doc)
    if shown is not None:
        raise FilteredListError(shown, listing)


def _check_page_number(doc, page):
    answered = _number(doc, 'p_num')
    if answered is not None and answered != page:
        raise IncompleteListError('asked for page %d of the license list and the server answered page %d' % (page, answered))


def _note_total(listing, total):
    if total is None:
        return
    if listing.total is not None and total != listing.total:
        raise IncompleteListError('the license list changed while it was read (%d rows, then %d): rerun' % (listing.total, total))
    listing.total = total


def _add_rows(listing, rows, seen, page):
    for row in rows:
        row_id = parse_int(text_of(row, 'id') or text_of(row, 'elid'))
        if row_id is None:
            raise NotUnderstoodError('page %d of the license list has a row without an id' % page)
        if row_id in seen:
            raise IncompleteListError('license %s came twice while reading the list (page %d): the list moved while it was '
                                      'read, or the server ignores p_num; refusing to decide on it' % (row_id, page))
        seen.add(row_id)
        listing.rows.append(row)


class Selection:
    """Licenses a list read selected, and the ones it could not decide about (``unclear``: (license, reason))."""

    def __init__(self):
        self.licenses = []
        self.unclear = []

    def refuse_unclear(self, what):
        """Raise NotUnderstoodError when a decision about ``what`` depends on a license that is not understood."""
        if self.unclear:
            raise NotUnderstoodError('%s: %s; refusing to decide before they are understood' % (
                what, '; '.join('license %s %s' % (lic['id'], reason) for lic, reason in self.unclear)))


def select_licenses(client, listing, pricelist=None, comment=None, live_only=True):
    """The licenses of ``listing`` of ``pricelist`` with ``comment`` (None: any), deleted ones left out when ``live_only``.

    A row that hides what the selection needs is read on its own (``platform.edit``): a product shown by a name
    this collection does not know, or no comment cell when a comment is asked (the vendor's list docs show no
    comment column: "no cell" never means "no match"). What stays unclear goes to ``unclear``.
    """
    selection = Selection()
    today = api_today(client)
    for row in listing.rows:
        cell = row.find('comment')
        if comment is not None and cell is not None and normalise_comment(cell.text or '') != comment:
            continue
        lic = license_from_row(row, today)
        if _ruled_out(lic, pricelist, live_only):
            continue
        needs = (['product'] if pricelist is not None else []) + (['comment'] if comment is not None else [])
        lic = complete(client, lic, needs, row)
        if lic is None or _ruled_out(lic, pricelist, live_only):
            continue
        select_into(selection, lic, pricelist, comment, live_only)
    return selection


def _ruled_out(lic, pricelist, live_only):
    """True when what the row shows already rules the license out (another known product, or deleted)."""
    if pricelist is not None and lic['pricelist'] is not None and lic['pricelist'] != pricelist:
        return True
    return live_only and lic['status'] == 'deleted'


def select_into(selection, lic, pricelist, comment=None, live_only=True):
    """Add ``lic`` to ``selection`` when it is of ``pricelist`` and carries ``comment`` (unclear when unsure)."""
    if _ruled_out(lic, pricelist, live_only):
        return
    if comment is not None and lic['comment'] != comment:
        return
    if pricelist is not None and lic['pricelist'] is None:
        selection.unclear.append((lic, 'shows no product this collection knows'))
    elif live_only and lic['status'] not in LIVE_STATUSES:
        selection.unclear.append((lic, 'has a status that is not understood (%s)' % describe_status_cells(lic)))
    else:
        selection.licenses.append(lic)


def describe_status_cells(lic):
    """The raw status cells of a license whose status is not understood, for messages."""
    seen = lic.get('status_seen') or {}
    if not seen:
        return 'no status cell'
    return ', '.join('%s=%r' % (name, seen[name]) for name in sorted(seen))


class Account:
    """The reads of one run. Licenses by id are read one by one, unless the whole list was read (``read_list``).

    Looking a license up by comment reads the whole list (once per run, then indexed); that read is the order gate's
    fresh, complete and understood read.
    """

    def __init__(self, client, comment_limits=COMMENT_LENGTH_LIMITS):
        self.client = client
        self.comment_limits = tuple(comment_limits)
        self.listing = None
        self._rows_by_id = None
        self._by_comment = None
        self._resolved = set()  # pricelists whose rows without a comment cell were read on their own

    def read_list(self):
        self.listing = read_account(self.client)
        self._rows_by_id = None
        self._by_comment = None
        self._resolved = set()
        return self.listing

    def today(self):
        return api_today(self.client)

    def find(self, license_id=None, comment=None, pricelist=None, need_addons=False):
        """The license designated by ``license_id``, or by ``comment`` within ``pricelist``.

        Returns None when a comment matches nothing (the caller may then order). Raises IdentityError when an id does
        not exist (never order instead), is of another product, or a comment matches more than one license.
        Deleted licenses never match a comment; a deleted license found by id is returned as such.
        """
        if license_id is not None:
            found = self._by_id(license_id, need_addons)
            if found is None:
                raise IdentityError('license id %s was not found in the account of this api_user; a license given by id '
                                    'is never ordered: remove id and set comment to order a new one' % license_id)
            check_product(found, pricelist)
            return found
        matches = self.with_comment(comment, pricelist)
        if len(matches) > 1:
            raise IdentityError('comment %r matches %d licenses (ids %s); refusing to guess: use id to choose one'
                                % (comment, len(matches), ', '.join('%s' % lic['id'] for lic in matches)))
        if not matches:
            return None
        return complete(self.client, matches[0], ['addons'] if need_addons else []) or matches[0]

    def _by_id(self, license_id, need_addons):
        if self.listing is None:
            return get_license(self.client, license_id)
        rows = self._rows_of_ids()
        if license_id not in rows:
            return get_license(self.client, license_id)
        found, row = rows[license_id]
        return complete(self.client, found, _needs_by_id(need_addons), row)

    def _rows_of_ids(self):
        if self._rows_by_id is None:
            today = self.today()
            self._rows_by_id = dict((lic['id'], (lic, row)) for lic, row in
                                    ((license_from_row(row, today), row) for row in self.listing.rows))
        return self._rows_by_id

    def reads_ahead(self, wanted_list):
        """The ids of the licenses that finding ``wanted_list`` (after ``read_list``) will read on their own, because
        their rows do not show what the decisions need: rows without a comment cell of a product looked up by comment,
        the one carrier of a comment whose addons are wanted, a license by id whose row lacks something. A fleet reads
        them ahead, concurrently (``prefetch``); what this misses is read in turn when needed."""
        if self.listing is None:
            return []
        if self._by_comment is None and self.listing.rows:
            self._index()
        ids = []
        by_comment = set(wanted.pricelist for wanted in wanted_list if wanted.id is None)
        ids.extend(lic['id'] for lic, _row in getattr(self, '_unresolved', [])
                   if by_comment and (lic['pricelist'] is None or lic['pricelist'] in by_comment))
        rows = self._rows_of_ids() if any(wanted.id is not None for wanted in wanted_list) else {}
        for wanted in wanted_list:
            if wanted.id is not None:
                found = rows.get(wanted.id)
                if found is None or not all(SHOWN[need](found[0], found[1]) for need in _needs_by_id(bool(wanted.addons))):
                    ids.append(wanted.id)
            elif wanted.addons:
                carriers = [lic for lic in (self._by_comment or {}).get(wanted.comment, [])
                            if lic['pricelist'] == wanted.pricelist and lic['status'] in LIVE_STATUSES]
                if len(carriers) == 1 and carriers[0]['addons'] is None:
                    ids.append(carriers[0]['id'])
        return list(dict.fromkeys(ids))

    def with_comment(self, comment, pricelist):
        """The live licenses of ``pricelist`` carrying ``comment`` (the order gate's question); refuses when unsure."""
        if self.listing is None:
            self.read_list()
        if self._by_comment is None and len(self.listing.rows) > 0:
            self._index()
        selection = Selection()
        if self._by_comment is not None:
            self._resolve(pricelist)
            if pricelist is not None:
                self._learn_products(comment)
            for lic in self._by_comment.get(comment, []):
                select_into(selection, lic, pricelist)
        selection.refuse_unclear('comment %r of %s may be carried by licenses that are not understood'
                                 % (comment, product_label(pricelist)))
        return selection.licenses

    def _index(self):
        today = self.today()
        self._by_comment = {}
        self._unresolved = []
        for row in self.listing.rows:
            lic = license_from_row(row, today)
            if lic['status'] == 'deleted':
                continue
            if SHOWN['comment'](lic, row):
                self._by_comment.setdefault(lic['comment'], []).append(lic)
            else:
                self._unresolved.append((lic, row))

    def _resolve(self, pricelist):
        """Read on its own each live row of ``pricelist`` (or of an unknown product) that shows no comment cell."""
        if pricelist in self._resolved:
            return
        remaining = []
        for lic, row in self._unresolved:
            if lic['pricelist'] is not None and lic['pricelist'] != pricelist:
                remaining.append((lic, row))
                continue
            found = complete(self.client, lic, ['comment'], row)
            if found is not None and found['status'] != 'deleted':
                self._by_comment.setdefault(found['comment'], []).append(found)
        self._unresolved = remaining
        self._resolved.add(pricelist)

    def _learn_products(self, comment):
        """Read on its own each license with ``comment`` whose row shows its product by a name this collection does not
        know (a pricelist outside the catalogue): the license read by id gives the pricelist as a number."""
        carriers = self._by_comment.get(comment, [])
        if all(lic['pricelist'] is not None for lic in carriers):
            return
        learned = []
        for lic in carriers:
            lic = complete(self.client, lic, ['product'])
            if lic is not None and lic['status'] != 'deleted' and lic['comment'] == comment:
                learned.append(lic)
        self._by_comment[comment] = learned

    def near_matches(self, comment, pricelist):
        """The live licenses of ``pricelist`` (or of a product not understood) whose comment is not ``comment`` but may be
        what the server made of it (``comment_alteration``): the order gate refuses to order past them."""
        self.with_comment(comment, pricelist)  # the complete, understood read, and the comments of rows without one
        found = []
        for stored, carriers in (self._by_comment or {}).items():
            if comment_alteration(stored, comment, self.comment_limits) is None:
                continue
            found.extend(lic for lic in carriers if lic['pricelist'] in (pricelist, None) and lic['status'] != 'deleted')
        return sorted(found, key=lambda lic: lic['id'])

    def fresh_with_comment(self, comment, pricelist):
        """``with_comment`` on a new read of the whole list (after an order)."""
        self.read_list()
        return self.with_comment(comment, pricelist)


def _needs_by_id(need_addons):
    return ['status', 'product'] + (['addons'] if need_addons else [])


def check_product(lic, pricelist):
    """Refuse a license found by id that is of another product than the one the options name."""
    if pricelist is None:
        return
    if lic['pricelist'] is None:
        raise NotUnderstoodError('license %s shows no product this collection knows; it cannot be checked against %s'
                                 % (lic['id'], product_label(pricelist)))
    if lic['pricelist'] != pricelist:
        raise IdentityError('license %s is a %s license, not %s: a license never changes product; fix product (or '
                            'pricelist), or the id' % (lic['id'], product_label(lic['pricelist']), product_label(pricelist)))
