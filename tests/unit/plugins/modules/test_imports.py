# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a module run imports (issue 17): measured in a fresh interpreter, as AnsiballZ starts one for every run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ansible_collections.ispsystem.billmanager.plugins.module_utils import client as client_module

MODULES = ['isp_license', 'isp_licenses', 'isp_license_info', 'isp_license_prolong']
# requests (with urllib3) cost a tenth of a second of every run: HTTP goes through Python's http.client.
# concurrent.futures is imported only where reads go ahead (license_reads.prefetch), which a one-license run never does.
NOT_IMPORTED = ['requests', 'urllib3', 'concurrent.futures']


def test_importing_the_modules_imports_neither_requests_nor_the_thread_pool():
    collections_dir = os.path.abspath(os.path.join(os.path.dirname(client_module.__file__), *[os.pardir] * 5))
    code = ('import json, sys\n'
            'sys.path.insert(0, %r)\n'
            'for name in %r:\n'
            '    __import__("ansible_collections.ispsystem.billmanager.plugins.modules." + name)\n'
            'print(json.dumps(sorted(name for name in sys.modules if name.startswith(("ansible_collections.ispsystem", '
            '"requests", "urllib3", "concurrent.futures")))))\n' % (collections_dir, MODULES))
    answer = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    imported = json.loads(answer.stdout)
    assert sorted('ansible_collections.ispsystem.billmanager.plugins.modules.%s' % name for name in MODULES) \
        == [name for name in imported if '.plugins.modules.' in name]
    assert [name for name in NOT_IMPORTED if name in imported] == []
