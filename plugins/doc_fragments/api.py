# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment:

    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - URL of the BILLmanager API endpoint.
      - If not set, the value of the E(BILLMGR_API_URL) environment variable is used.
      - An empty value (such as an empty E(BILLMGR_API_URL)) means the default URL.
    type: str
    default: https://api.ispsystem.com/manager/billmgr
  api_user:
    description:
      - BILLmanager user name (the account at the license vendor's billing).
      - If not set, the value of the E(BILLMGR_API_USER) environment variable is used.
    type: str
    required: true
  api_password:
    description:
      - Password of O(api_user).
      - Sent in the POST body (C(authinfo)), never in a URL; never shown in results or messages.
      - If not set, the value of the E(BILLMGR_API_PASSWORD) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the TLS certificate of O(api_url). Only disable for testing.
      - If not set, the value of the E(BILLMGR_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificates used to verify O(api_url), instead of the system's.
      - If not set, the value of the E(BILLMGR_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Timeout in seconds of each HTTP request.
      - Reads that fail for a transient reason (connection error, HTTP 429 or 5xx) are retried with backoff
        for at most O(timeout) seconds or 30 seconds, whichever is longer. Writes are never re-sent once they may
        have reached the server.
      - If not set, the value of the E(BILLMGR_TIMEOUT) environment variable is used.
    type: int
    default: 30
  use_proxy:
    description:
      - Use the proxy that the environment names for O(api_url), as M(ansible.builtin.uri) does.
      - The proxy is taken from E(https_proxy) or E(HTTPS_PROXY) (E(http_proxy) for an C(http://) URL, else
        E(all_proxy)); hosts listed in E(no_proxy) or E(NO_PROXY) are reached directly.
      - Other settings of the environment (C(~/.netrc) credentials, E(REQUESTS_CA_BUNDLE)) are never used; set
        O(ca_path) for the CA of a TLS-inspecting proxy.
      - If V(false), the API is always reached directly.
      - If not set, the value of the E(BILLMGR_USE_PROXY) environment variable is used.
    type: bool
    default: true
requirements:
  - requests
  - lxml
notes:
  - All modules of this collection are in the action group C(ispsystem.billmanager.billmanager), so the
    connection options can be set once with C(module_defaults).
'''

    ACTIONGROUP = r'''
attributes:
  action_group:
    description: Use C(group/ispsystem.billmanager.billmanager) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - ispsystem.billmanager.billmanager
'''

    WRITES = r'''
options:
  confirm_timeout:
    description:
      - After a write that spends money (an order, a renewal, a raised addon) lost its answer (timeout, connection
        reset, HTTP 5xx, a broken or unacknowledged answer), the module reads the account again for up to this many
        seconds, with growing pauses, until the write shows. A slow server may complete a write after the client gave
        up waiting for its answer; a rerun started too early would then buy again.
      - When the write still does not show, the task fails, with C(changed=true), and says what to check. Such a write
        is never sent twice in one run.
      - A rerun is safe once the server has finished the request. The account is the only record of a write the server
        has not finished yet, so no run, on this controller or another (an AWX job starts on a fresh one), can see it.
        Before rerunning after such a failure, check the account, and wait at least as long as the server may hold a
        request (the read timeout of its web server or proxy), or set this option above that time.
      - If not set, the value of the E(BILLMGR_CONFIRM_TIMEOUT) environment variable is used.
    type: int
    default: 60
'''
