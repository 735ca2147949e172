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
      - A user and password written into the URL (V(https://user:password@host/manager/billmgr)) are sent as HTTP basic
        authentication, for a gateway in front of the API. That password is masked in the task's result and left out
        of messages, as O(api_password) is. The BILLmanager account itself goes in O(api_user) and O(api_password).
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
      - PEM file of the CA certificates used to verify O(api_url), or a directory of them (as C(c_rehash) lays it
        out), instead of the system's.
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
      - Only C(http://) proxies are supported; an C(https://) O(api_url) is reached through their C(CONNECT) tunnel.
        A user and password in the proxy URL are sent to the proxy (basic authentication).
      - Other settings of the environment (C(~/.netrc) credentials, E(REQUESTS_CA_BUNDLE)) are never used; set
        O(ca_path) for the CA of a TLS-inspecting proxy.
      - If V(false), the API is always reached directly.
      - If not set, the value of the E(BILLMGR_USE_PROXY) environment variable is used.
    type: bool
    default: true
requirements:
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
  wait:
    description:
      - Wait for the server, which applies some writes later than it answers them (a renewal, suspend, resume or delete
        may pass through a processing state such as C(5_prolong) first). With V(true), the items below apply.
      - Before planning, a license that shows a change in progress (status processing, a C(5_*) sub-state in C(orig),
        or C(special_status) 1) is read again until it settles. A license in progress is never written to, so a
        renewal still being processed is never bought again.
      - After each write, the license is read again until the write's effect shows and nothing is in progress; the
        next write to that license waits for it.
      - After an order (and, for M(ispsystem.billmanager.isp_license) and M(ispsystem.billmanager.isp_licenses), after
        a resume or any change that wants the license active), the license is read again until it is active.
      - With V(false), a plan that would write to a license in progress fails the task before any write (one that
        needs nothing only warns), each write's effect is read back once, and a write the license shows in progress
        is reported as done with a warning (its effect is still pending).
      - Either way, a later call of the same license's plan is never sent before the effect of the call before it shows.
        When it does not show, the task fails and says which calls were not sent; a rerun plans only what is left.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds each wait of O(wait) lasts at most. For M(ispsystem.billmanager.isp_licenses), the wait for
        licenses in progress before planning is one wait for all of them.
      - A license that is still in progress when the wait before planning ends fails the task before any write.
        A write whose effect still shows in progress after the wait fails the task with C(changed=true); the write is
        not sent again, and a rerun waits for it to settle before it decides anything.
      - What no wait can cover - an effect the server applies later than this wait without showing anything in progress
        meanwhile. The task then fails (the license does not read back as predicted); before rerunning, check the
        license (M(ispsystem.billmanager.isp_license_info)) until it shows the change, or a rerun may repeat it.
    type: int
    default: 300
  comment_length_limits:
    description:
      - Lengths at which the server may cut a comment it stores. Before an order, when no live license of the product
        carries the comment exactly, a license whose comment equals the wanted comment cut at one of these lengths (or
        equals it after HTML unescaping and case and whitespace folding) may be the license ordered before, stored
        otherwise than it was sent; the order is refused and names it.
      - A bare prefix never counts - C(web-1) is not a near match of C(web-10).
    type: list
    elements: int
    default: [32, 64, 128, 255]
    version_added: 2.0.0
'''

    # The money limit of the modules that spend (isp_license, isp_license_prolong, isp_licenses).
    MONEY = r'''
options:
  max_spend:
    description:
      - The most this run may spend, written as an amount and its currency code - V(50 EUR), V(120.50 RUB).
      - Every call that spends money (an order, a renewal, a resize that raises an addon) is priced before any write, as
        the server states it - the prolong form read without C(sok) for a renewal, else the list row's cost for a
        renewal by the license's own period; the order form for an order, where it shows a total. A resize, and a call
        whose price the server does not state, has an V(unknown) amount (never computed from a price list).
      - With this option set, a plan fails before any write, and lists each call with its amount, when its known total
        is above the limit, when it spends in another currency, or when one of its amounts is V(unknown). So a resize
        is always refused under a limit.
      - Not set, nothing is refused for its price; the amounts are still returned (C(spend), C(spend_total); in
        M(ispsystem.billmanager.isp_licenses), C(results[].spend) and C(summary.spend_total)).
      - The limit holds for one task. A fleet split over several tasks or jobs (AWX job slicing) has one limit per
        task.
    type: str
    version_added: 2.0.0
'''
