# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""First contact: what the reads of ``isp_license_info`` showed about the server, and what it means.

Built only from the answers already read (no extra request): the paging the server used, which cells its rows
carry, how it writes statuses, its date and language. The user guide's "first contact" section explains each
field; the ``notes`` say, in words, what the other modules will do with such a server.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.ispsystem.billmanager.plugins.module_utils.client import LANGUAGE
from ansible_collections.ispsystem.billmanager.plugins.module_utils.catalogue import addon_id_of_field
from ansible_collections.ispsystem.billmanager.plugins.module_utils.license import ORIG_CODE, parse_int, parse_pricelist

STATUS_FORMS = ('status_code', 'item_status_code', 'orig', 'text', 'none')


def status_form(row):
    """How a row shows its status: a numeric status cell, a numeric item_status, an orig attribute, a text, or none."""
    status = row.find('status')
    item = row.find('item_status')
    if status is not None and parse_int(status.text) is not None:
        return 'status_code'
    if item is not None and parse_int(item.text) is not None:
        return 'item_status_code'
    if any(element is not None and ORIG_CODE.match(element.get('orig') or '') for element in (status, item)):
        return 'orig'
    if any(element is not None and (element.text or '').strip() for element in (status, item)):
        return 'text'
    return 'none'


def describe_rows(rows):
    """Counts of what list rows (or one read-one answer) carry."""
    forms = dict((form, 0) for form in STATUS_FORMS)
    cells = set()
    with_comment = with_addons = product_ids = product_names = 0
    for row in rows:
        names = set(child.tag for child in row if isinstance(child.tag, str))
        cells.update(names)
        forms[status_form(row)] += 1
        with_comment += 'comment' in names
        with_addons += any(addon_id_of_field(name) is not None for name in names)
        pricelist = row.find('pricelist')
        if pricelist is not None and parse_int(pricelist.text) is not None:
            product_ids += 1
        elif pricelist is not None and parse_pricelist(pricelist.text) is not None:
            product_names += 1
    return {
        'count': len(rows),
        'with_comment': with_comment,
        'with_addon_values': with_addons,
        'status_forms': dict((form, count) for form, count in forms.items() if count),
        'product_as_id': product_ids,
        'product_as_name': product_names,
        'cells': sorted(cells),
    }


def server_report(client, listing=None, one=None, licenses=(), saved_filter=None):
    """The ``api`` block: what was read, and notes on what it means for the other modules.

    ``licenses``: the license dicts read (for the changes in progress and the suspension reasons they show);
    ``saved_filter``: the filter a list answer showed (the list read stopped there).
    """
    report = {
        'api_url': client.shown_url,
        'redirected_to': client.redirect,
        'server_date': client.server_date.isoformat() if client.server_date else None,
        'language_asked': LANGUAGE,
        'language_answered': client.answer_lang,
        'requests': client.request_count,
    }
    notes = []
    if listing is not None:
        report['list'] = dict(listing.describe(), saved_filter=saved_filter)
        report['rows'] = describe_rows(listing.rows)
        notes.extend(_list_notes(listing, report['rows']))
    if saved_filter is not None:
        notes.append('the list answers show a filter saved on the server for this API user (p_filter: %r): the list may '
                     'hide licenses, so no module decides anything from it; reset the filter of the license list in the '
                     'BILLmanager web interface' % saved_filter)
    report['in_progress'] = _counts(lic.get('in_progress') for lic in licenses)
    report['suspend_reasons'] = _counts(lic.get('suspend_reason') for lic in licenses)
    notes.extend(_license_notes(licenses, report))
    if one is not None:
        report['read_one'] = describe_rows([one])
        if not report['read_one']['with_addon_values']:
            notes.append('reading one license (platform.edit) shows no addon values: addons cannot be compared, so '
                         'isp_license refuses to change them')
    if client.server_date is None:
        notes.append('the answers carry no Date header: "today" (days_left, renewals) is the date of this machine in UTC')
    if client.answer_lang and client.answer_lang != LANGUAGE:
        notes.append('lang=%s was sent but the answers say lang=%r: status texts may be localised; statuses are read '
                     'from codes first' % (LANGUAGE, client.answer_lang))
    report['notes'] = notes
    return report


def _counts(values):
    counts = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    return counts


def _license_notes(licenses, report):
    notes = []
    if report['in_progress']:
        notes.append('%d license(s) show a change in progress (%s): the writing modules never write to such a license; '
                     'they wait for it to settle (wait, wait_timeout) before planning' % (
                         sum(report['in_progress'].values()),
                         ', '.join('%s: %d' % item for item in sorted(report['in_progress'].items()))))
    if report['suspend_reasons']:
        notes.append('the server names why licenses are suspended (%s): staff and abuse suspensions are never resumed or '
                     'renewed by this collection' % ', '.join('%s: %d' % item for item in sorted(report['suspend_reasons'].items())))
    unreadable = [lic for lic in licenses if lic.get('expiry_seen') is not None]
    if unreadable:
        notes.append('%d license(s) show an expiry that is not a date (e.g. %r): their expiry is unknown, so they are never '
                     'renewed' % (len(unreadable), unreadable[0]['expiry_seen']))
    if report['redirected_to']:
        notes.append('the API address answered with a redirect to %s, which is never followed' % report['redirected_to'])
    return notes


def _list_notes(listing, rows):
    notes = []
    if listing.total is None:
        notes.append('list answers carry no total (p_elems): lists are read until an empty page, one request more')
    if listing.page_size_served and listing.page_size_served != listing.page_size_asked:
        notes.append('asked for %s rows a page, the server served %s: pages go on with %s'
                     % (listing.page_size_asked, listing.page_size_served, listing.page_size_served))
    elif not listing.page_size_served and rows['count'] > 0:
        notes.append('list answers do not say which page size the server used (no p_cnt): a short page followed by '
                     'more rows stops every decision')
    if rows['count'] and rows['with_comment'] < rows['count']:
        notes.append('%d of %d rows carry no comment cell: when a license is looked up by comment, each live license of '
                     'the product without that cell is read on its own (one request each); with many of them, prefer id '
                     'or the bulk module isp_licenses' % (rows['count'] - rows['with_comment'], rows['count']))
    if rows['count'] and rows['with_addon_values'] < rows['count']:
        notes.append('%d of %d rows show no addon values: a license whose addons are managed is read on its own '
                     '(one request each)' % (rows['count'] - rows['with_addon_values'], rows['count']))
    if rows['status_forms'].get('none') or rows['status_forms'].get('text'):
        notes.append('%d row(s) show no status code (only a text or nothing): texts are understood in English and '
                     'Russian only; a license whose status is not understood is never written to'
                     % (rows['status_forms'].get('none', 0) + rows['status_forms'].get('text', 0)))
    return notes
