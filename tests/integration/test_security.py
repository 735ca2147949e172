# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets and TLS, proven from real ansible-playbook runs and the emulator's request log."""

from __future__ import annotations

import socket

from playbook_runner import API_PASSWORD, run_playbook

LIFECYCLE = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: list
      ispsystem.billmanager.isp_license_info:
    - name: order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: sec-check
        addons: {nodes: 1}
      register: ordered
    - name: resize
      ispsystem.billmanager.isp_license:
        id: "{{ ordered.license.id }}"
        addons: {nodes: 2}
    - name: renew
      ispsystem.billmanager.isp_license_prolong:
        id: "{{ ordered.license.id }}"
        force: true
    - name: bad id fails
      ispsystem.billmanager.isp_license:
        id: 424242
      ignore_errors: true
    - name: delete
      ispsystem.billmanager.isp_license:
        id: "{{ ordered.license.id }}"
        state: absent
"""

INFO = """---
- hosts: localhost
  gather_facts: false
  tasks:
    - name: list
      ispsystem.billmanager.isp_license_info:
      register: info
    - name: show
      ansible.builtin.debug:
        var: info.licenses | length
"""


def test_password_travels_in_the_post_body_only_and_is_never_printed(emulator, tmp_path):
    result = run_playbook(LIFECYCLE, emulator, verbosity=4, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    entries = emulator.log_entries()
    api_entries = [entry for entry in entries if entry["path"] == "/manager/billmgr"]
    assert len(api_entries) >= 8
    for entry in api_entries:
        assert entry["method"] == "POST"
        assert entry["query"] == ""  # nothing at all in the URL, credentials least of all
        assert "authinfo" in entry["body_keys"]
        assert entry["user"] == "demo"
    writes = [entry["func"] for entry in api_entries if entry["write"]]
    assert writes == ["platform.order.param", "platform.edit", "service.prolong", "platform.delete"]
    assert API_PASSWORD not in result.stdout
    assert API_PASSWORD not in result.stderr
    for record in result.tasks:
        assert API_PASSWORD not in repr(record["result"])
        for call in record["result"].get("calls", []):
            assert "authinfo" not in call["params"]


def test_tls_without_the_ca_fails_clearly(emulator_factory, tmp_path):
    emulator = emulator_factory(tls=True)
    result = run_playbook(INFO, emulator, env={"BILLMGR_CA_PATH": ""}, tmp_path=tmp_path)
    assert result.rc != 0
    assert [record["status"] for record in result.tasks if record["task"] == "list"] == ["failed"]
    failure = result.task_results("list")[0]
    assert "certificate" in failure["msg"].lower()
    assert "ca_path" in failure["msg"]
    assert not [entry for entry in emulator.log_entries() if entry["path"] == "/manager/billmgr"]


def test_tls_with_ca_path_works(emulator_factory, tmp_path):
    emulator = emulator_factory(tls=True)
    result = run_playbook(INFO, emulator, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()
    assert len(result.task_results("list")[0]["licenses"]) == 3


def test_validate_certs_false_works_without_the_ca(emulator_factory, tmp_path):
    emulator = emulator_factory(tls=True)
    result = run_playbook(INFO, emulator, env={"BILLMGR_CA_PATH": "", "BILLMGR_VALIDATE_CERTS": "false"}, tmp_path=tmp_path)
    assert result.rc == 0, result.describe()


def test_bad_password_is_a_clear_auth_error_without_the_password(emulator, tmp_path):
    wrong = "Wr0ng-Secret&x=1"
    result = run_playbook(INFO, emulator, env={"BILLMGR_API_PASSWORD": wrong}, verbosity=3, tmp_path=tmp_path)
    assert result.rc != 0
    failure = result.task_results("list")[0]
    assert "auth error" in failure["msg"]
    assert wrong not in result.stdout and wrong not in result.stderr


def test_a_password_written_into_api_url_is_masked_like_api_password(emulator, tmp_path):
    """A gateway's user and password written into api_url (sent as basic authentication) never show: not in the
    echo of the options (invocation), not in a message naming the URL."""
    secret = "Gw-Secret-93"
    url = emulator.url.replace("://", "://gateway:%s@" % secret, 1)
    served = run_playbook(INFO, emulator, env={"BILLMGR_API_URL": url}, verbosity=4, tmp_path=tmp_path / "served")
    assert served.rc == 0, served.describe()
    assert "gateway:********@" in served.stdout  # the echo of api_url, masked as Ansible masks api_password

    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    closed_url = "http://gateway:%s@127.0.0.1:%d/manager/billmgr" % (secret, closed_port)
    refused = run_playbook(INFO, emulator, env={"BILLMGR_API_URL": closed_url}, verbosity=4, tmp_path=tmp_path / "refused")
    assert refused.rc != 0
    message = refused.task_results("list")[0]["msg"]
    assert "connection to http://127.0.0.1:%d/manager/billmgr failed" % closed_port in message

    for result in (served, refused):
        assert secret not in result.stdout and secret not in result.stderr
        for record in result.tasks:
            assert secret not in repr(record["result"])
