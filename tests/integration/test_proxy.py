# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Proxies, as ansible.builtin.uri honours them: HTTPS_PROXY/HTTP_PROXY, NO_PROXY, use_proxy (default true).

Real ansible-playbook runs against the emulator, with a local forwarding proxy (http_proxy.py) in front of it:
plain HTTP is forwarded, HTTPS goes through a CONNECT tunnel. The proxy's log says whether it was used; the
emulator's log says that the requests arrived.
"""

from __future__ import annotations

import base64

import pytest

from http_proxy import ForwardingProxy
from playbook_runner import run_playbook

PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                   "no_proxy", "NO_PROXY")

LIST = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: list
      ispsystem.billmanager.isp_license_info:
        use_proxy: {use_proxy}
      register: info
"""

ORDER = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: behind-a-proxy
        addons: {nodes: 2}
      register: ordered
    - name: rerun
      ispsystem.billmanager.isp_license:
        id: "{{ ordered.license.id }}"
        addons: {nodes: 2}
"""


@pytest.fixture
def proxy(monkeypatch):
    """A started proxy that reaches only the loopback address; the environment starts without proxy settings."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with ForwardingProxy(allowed_hosts={"127.0.0.1"}) as started:
        yield started


def api_requests(emulator):
    return [entry for entry in emulator.log_entries() if entry["path"] == "/manager/billmgr"]


def test_http_api_through_the_proxy(emulator, proxy, tmp_path):
    result = run_playbook(LIST.format(use_proxy="true"), emulator, tmp_path=tmp_path, env={"HTTP_PROXY": proxy.url})
    assert result.rc == 0, result.describe()
    assert result.task_results("list")[0]["licenses"]
    forwarded = proxy.entries()
    assert forwarded and all(entry["method"] == "POST" and entry["target"] == emulator.url for entry in forwarded)
    assert len(forwarded) == len(api_requests(emulator))


def test_https_api_through_a_connect_tunnel_writes_once(emulator_factory, proxy, tmp_path):
    emulator = emulator_factory(tls=True)
    result = run_playbook(ORDER, emulator, tmp_path=tmp_path, env={"HTTPS_PROXY": proxy.url})
    assert result.rc == 0, result.describe()
    assert result.task_results("order")[0]["changed"] is True
    assert result.task_results("rerun")[0]["changed"] is False
    tunnels = proxy.entries()
    port = emulator.url.split("//", 1)[1].split("/", 1)[0]
    assert tunnels and {(entry["method"], entry["target"], entry["status"]) for entry in tunnels} == {("CONNECT", port, 200)}
    writes = [entry["func"] for entry in api_requests(emulator) if entry["write"]]
    assert writes == ["platform.order.param"]


def test_proxy_credentials_in_the_proxy_url_go_to_the_proxy_only(emulator_factory, proxy, tmp_path):
    """http://user:password@proxy: the CONNECT carries them as basic authentication; the API never sees them."""
    emulator = emulator_factory(tls=True)
    url = proxy.url.replace("://", "://proxy%40user:pr%3Axy@")
    result = run_playbook(LIST.format(use_proxy="true"), emulator, tmp_path=tmp_path, env={"HTTPS_PROXY": url})
    assert result.rc == 0, result.describe()
    expected = "Basic " + base64.b64encode(b"proxy@user:pr:xy").decode("ascii")
    assert [entry["proxy_authorization"] for entry in proxy.entries()] == [expected] * len(proxy.entries())
    assert proxy.entries() and "pr:xy" not in result.describe() and "pr%3Axy" not in result.describe()


def test_no_proxy_hosts_are_reached_directly(emulator, proxy, tmp_path):
    env = {"HTTP_PROXY": proxy.url, "HTTPS_PROXY": proxy.url, "NO_PROXY": "localhost,127.0.0.1"}
    result = run_playbook(LIST.format(use_proxy="true"), emulator, tmp_path=tmp_path, env=env)
    assert result.rc == 0, result.describe()
    assert proxy.entries() == []
    assert api_requests(emulator)


def test_use_proxy_false_goes_direct(emulator, proxy, tmp_path):
    """Both ways to switch it off: the option, and BILLMGR_USE_PROXY for a task without the option."""
    playbook = LIST.format(use_proxy="false") + """    - name: list, use_proxy from the environment
      ispsystem.billmanager.isp_license_info:
"""
    env = {"HTTP_PROXY": proxy.url, "HTTPS_PROXY": proxy.url, "BILLMGR_USE_PROXY": "false"}
    result = run_playbook(playbook, emulator, tmp_path=tmp_path, env=env)
    assert result.rc == 0, result.describe()
    assert [record["status"] for record in result.tasks] == ["ok", "ok"]
    assert proxy.entries() == []
    assert len(api_requests(emulator)) == 2


def test_empty_api_url_falls_back_to_the_default_url(emulator_factory, proxy, tmp_path):
    """BILLMGR_API_URL='' (an AWX credential with the URL field left empty): the default URL is used.

    The proxy shows where the module went: a CONNECT to the vendor's API host, which the test proxy routes to
    the (TLS) emulator, so nothing leaves the machine. The emulator's certificate is not the vendor's, hence
    validate_certs false for this one test.
    """
    emulator = emulator_factory(tls=True)
    port = emulator.url.split("//", 1)[1].split("/", 1)[0].rpartition(":")[2]
    proxy.routes["api.ispsystem.com:443"] = "127.0.0.1:%s" % port
    env = {"BILLMGR_API_URL": "", "HTTPS_PROXY": proxy.url, "BILLMGR_VALIDATE_CERTS": "false"}
    result = run_playbook(LIST.format(use_proxy="true"), emulator, tmp_path=tmp_path, env=env)
    assert result.rc == 0, result.describe()
    assert result.task_results("list")[0]["invocation"]["module_args"]["api_url"] == ""
    assert {(entry["method"], entry["target"]) for entry in proxy.entries()} == {("CONNECT", "api.ispsystem.com:443")}
    assert [entry["user"] for entry in api_requests(emulator)] == ["demo"]
