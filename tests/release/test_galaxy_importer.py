# -*- coding: utf-8 -*-
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""galaxy-importer, as Galaxy and Automation Hub run it on an upload, with the certification settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from release_files import galaxy_version

CONFIG = Path(__file__).resolve().parent / "galaxy-importer.cfg"


def test_galaxy_importer_certification_settings_accepts_the_tarball_without_warnings(tarball, tmp_path):
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=str(CONFIG))
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    proc = subprocess.run([sys.executable, "-m", "galaxy_importer.main", str(tarball)], cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    output = proc.stdout + proc.stderr
    sys.stdout.write(output)  # shown with -rA or on failure: the importer's own summary
    assert proc.returncode == 0, output
    flagged = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert flagged == [], output
    result = json.loads((tmp_path / "importer_result.json").read_text(encoding="utf-8"))
    assert result["metadata"]["version"] == galaxy_version()
    assert result["metadata"]["version"].split(".")[0] >= "1"
    listed = [(item["content_type"], item["name"]) for item in result["contents"]]
    assert sorted(listed) == sorted(set(listed)), "each plugin once"
    contents = set(listed)
    assert ("filter", "panel_license_sizing") in contents
    assert ("role", "panel_license") in contents
    assert ("module", "isp_license_info") in contents
    assert result["docs_blob"]["collection_readme"]["name"] == "README.md"
    assert result["requires_ansible"] == ">=2.16.0"
    docs = {item["content_name"]: item for item in result["docs_blob"]["contents"]}
    assert all(item["doc_strings"] is not None for item in docs.values() if item["content_type"] in ("module", "filter"))
