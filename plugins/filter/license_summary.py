# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: license_summary
short_description: One readable line for a license dict
version_added: 1.0.0
description:
  - Turns a license dict, as returned by the modules of this collection, into one line
    with its id, product, status, comment, addons and expiry.
author:
  - ispsystem.billmanager maintainers (@ispsystem-community)
options:
  _input:
    description: A license dict (RV(ispsystem.billmanager.isp_license#module:license)).
    type: dict
    required: true
'''

EXAMPLES = r'''
- name: One line per license
  ansible.builtin.debug:
    msg: "{{ result.licenses | map('ispsystem.billmanager.license_summary') | list }}"
'''

RETURN = r'''
_value:
  description: The summary line, for example C(license 1000 vmmanager6 active "web" nodes=3, vms=50 expires 2026-12-27 (30 days)).
  type: str
'''

from ansible.errors import AnsibleFilterError


def license_summary(lic):
    """``license ID PRODUCT STATUS "COMMENT" addons expires DATE (N days)``."""
    if lic is None:
        return 'no license'
    if not isinstance(lic, dict):
        raise AnsibleFilterError('license_summary expects a license dict, got %s' % type(lic).__name__)
    addons = lic.get('addons') or {}
    addon_text = ', '.join('%s=%s' % (name, addons[name]) for name in sorted(addons)) or 'no addons shown'
    expiry = 'expires %s' % lic['expiredate'] if lic.get('expiredate') else 'no expiry yet'
    if lic.get('days_left') is not None:
        expiry += ' (%s days)' % lic['days_left']
    product = lic.get('product') or 'pricelist %s' % lic.get('pricelist')
    return 'license %s %s %s "%s" %s %s' % (lic.get('id'), product, lic.get('status'), lic.get('comment') or '', addon_text, expiry)


class FilterModule:
    def filters(self):
        return {'license_summary': license_summary}
