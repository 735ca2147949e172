# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The AWX/AAP credential type (docs/awx/billmanager_credential_type.yml), used the way AWX uses it.

AWX renders each injector value of the credential type with Jinja (a sandboxed environment, the credential's
inputs as variables) and hands the result to ansible-runner as the job's environment. This test does the same:
it renders the injector of the shipped file with a credential's inputs, runs a playbook through
``ansible_runner.run`` against the emulator (TLS, another user than the other tests'), and checks in the
emulator's request log that the modules came as that user; the password shows nowhere in the job's output.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import ansible_runner
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from playbook_runner import require_collection

REPO_ROOT = Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE_FILE = REPO_ROOT / "docs" / "awx" / "billmanager_credential_type.yml"

# A user of the emulator's default seed that no other test logs in as.
AWX_USER = "other"
AWX_PASSWORD = "other-secret"

PLAYBOOK = """---
- name: A job template's playbook; no connection option anywhere
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Order
      ispsystem.billmanager.isp_license:
        product: vmmanager6
        comment: ordered-from-awx
        addons: {nodes: 1}
      register: ordered
    - name: List
      ispsystem.billmanager.isp_license_info:
        comment: ordered-from-awx
      register: listed
    - name: Show
      ansible.builtin.assert:
        that:
          - listed.licenses | map(attribute='id') | list == [ordered.license.id]
"""


def credential_type():
    return yaml.safe_load(CREDENTIAL_TYPE_FILE.read_text(encoding="utf-8"))["credential_types"][0]


def injected_environment(inputs):
    """The job environment AWX makes from the credential type's env injector and a credential's inputs."""
    sandbox = ImmutableSandboxedEnvironment()
    return {name: sandbox.from_string(template).render(**inputs)
            for name, template in credential_type()["injectors"]["env"].items()}


def test_both_forms_are_one_credential_type():
    data = yaml.safe_load(CREDENTIAL_TYPE_FILE.read_text(encoding="utf-8"))
    assert data["controller_credential_types"] == data["credential_types"]
    (kind,) = data["credential_types"]
    assert {"name", "description", "kind", "inputs", "injectors"} <= set(kind)
    assert kind["kind"] == "cloud"
    assert kind["natural_key"] == {"name": kind["name"], "kind": "cloud", "type": "credential_type"}
    fields = {field["id"]: field for field in kind["inputs"]["fields"]}
    assert fields["api_password"]["secret"] is True
    assert set(kind["inputs"]["required"]) == {"api_user", "api_password"}
    # every injected template names a defined field
    assert {template.strip("{} ") for template in kind["injectors"]["env"].values()} <= set(fields)


def test_injector_renders_like_awx_and_empty_fields_are_empty():
    env = injected_environment({"api_user": "u", "api_password": "p"})
    assert env == {"BILLMGR_API_USER": "u", "BILLMGR_API_PASSWORD": "p", "BILLMGR_API_URL": "", "BILLMGR_CA_PATH": ""}


def test_job_run_by_ansible_runner_gets_the_injected_credentials(emulator_factory, tmp_path, monkeypatch):
    emulator = emulator_factory(tls=True)
    inputs = {"api_user": AWX_USER, "api_password": AWX_PASSWORD, "api_url": emulator.url, "ca_path": emulator.ca_file}
    job_env = injected_environment(inputs)
    assert job_env["BILLMGR_API_PASSWORD"] == AWX_PASSWORD

    # Nothing but the injector may supply the connection: no BILLMGR_* from the test's own environment.
    for name in [name for name in os.environ if name.startswith("BILLMGR_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    job_env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(require_collection()),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
    })

    private_data_dir = tmp_path / "job"
    (private_data_dir / "project").mkdir(parents=True)
    (private_data_dir / "project" / "site.yml").write_text(PLAYBOOK, encoding="utf-8")
    (private_data_dir / "inventory").mkdir()
    (private_data_dir / "inventory" / "hosts").write_text(
        "localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable, encoding="utf-8")

    run = ansible_runner.run(private_data_dir=str(private_data_dir), playbook="site.yml", envvars=job_env,
                             quiet=True, timeout=300)
    stdout = run.stdout.read()
    assert (run.status, run.rc) == ("successful", 0), stdout

    ok_tasks = [event["event_data"]["task"] for event in run.events if event["event"] == "runner_on_ok"]
    assert ok_tasks == ["Order", "List", "Show"]
    api = [entry for entry in emulator.log_entries() if entry["path"] == "/manager/billmgr"]
    assert api and {entry["user"] for entry in api} == {AWX_USER}
    assert [entry["func"] for entry in api if entry["write"]] == ["platform.order.param"]
    with emulator.lock:
        ordered = [lic for lic in emulator.state.licenses.values() if lic.comment == "ordered-from-awx"]
    assert [lic.user for lic in ordered] == [AWX_USER]

    assert AWX_PASSWORD not in stdout
    for event in run.events:
        assert AWX_PASSWORD not in repr(event.get("event_data", {}).get("res", ""))


def test_the_awx_guide_shows_the_shipped_file():
    """docs/docsite/rst/guide_awx.rst shows the credential type inline: it must be the file's content."""
    guide = (REPO_ROOT / "docs" / "docsite" / "rst" / "guide_awx.rst").read_text(encoding="utf-8")
    block = guide.split("Its content (without the comment block):", 1)[1].split(".. code-block:: yaml", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line and not line.startswith("  "):
            break
        lines.append(line[2:])
    assert yaml.safe_load("\n".join(lines)) == yaml.safe_load(CREDENTIAL_TYPE_FILE.read_text(encoding="utf-8"))
