# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

# HTTPS for the emulator: a throw-away test CA (trustme, imported only when TLS is wanted).

import os
import ssl

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("", "0.0.0.0", "::")


def make_server_context(host, ca_file):
    """Issue a server certificate for the loopback names (and host), write the CA PEM to ca_file.

    Returns the server-side SSLContext.
    """
    import trustme

    names = list(LOOPBACK_NAMES)
    if host not in names and host not in WILDCARD_HOSTS:
        names.append(host)
    authority = trustme.CA()
    certificate = authority.issue_cert(*names)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(context)
    directory = os.path.dirname(os.path.abspath(ca_file))
    os.makedirs(directory, exist_ok=True)
    authority.cert_pem.write_to_path(ca_file)
    return context
