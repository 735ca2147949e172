# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# /// script
# dependencies = ["nox>=2025.02.09", "antsibull-nox>=1.10.0,<2.0.0"]
# ///

"""nox sessions of ispsystem.billmanager (`nox -l` lists them).

antsibull-nox.toml adds the sessions every community collection has: lint, docs-check, license-check, extra-checks,
build-import-check, ansible-lint, and for hosted CI ansible-test-sanity-*, ansible-test-units-* and ee-check, which
need a container runtime or ansible-core from GitHub. This file adds what runs on a machine without either:
`sanity` and `units` (ansible-test --venv, ansible-core from PyPI), `docs` (the docsite, offline) and `ee` (the
execution environment's build context from a fresh tarball, and tests/ee/all.yml against the emulator).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nox

try:
    import antsibull_nox
    import antsibull_nox.sessions
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox (make nox-venv does).")
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"

# ansible-core release -> the controller Python its local sanity and unit tests run with; together they cover
# Python 3.10 to 3.13. The README's table names the releases `sanity` tests; `units` tests them all.
CORE_PYTHON = {"2.16": "3.10", "2.17": "3.11", "2.18": "3.13", "2.19": "3.11", "2.20": "3.13", "2.21": "3.12"}
SANITY_CORES = ["2.16", "2.19", "2.21"]
# The EE's ansible-core (ee/execution-environment.yml allows every supported release; its image gets the newest).
EE_CORE = "2.21"
EE_PYTHON = CORE_PYTHON[EE_CORE]

# ansible-test bootstraps pip in its venvs with ~/.ansible/test/cache/get_pip_<pip version>.py, which it downloads
# from a host that only PyPI-reaching machines cannot reach; shared/tools/get_pip_offline.py is the stand-in.
GET_PIP_SOURCE = Path(os.environ.get("BILLMGR_GET_PIP_SOURCE", ROOT.parent / "shared" / "tools" / "get_pip_offline.py"))
GET_PIP_CACHE = Path.home() / ".ansible" / "test" / "cache"


def install_get_pip_stand_in(session: nox.Session) -> None:
    """Put the stand-in where this session's ansible-test looks for its pip bootstrap script, unless one is there."""
    requirements = session.run(
        "python", "-c",
        "import ansible_test, os; print(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', "
        "'python_requirements.py'))",
        silent=True,
    )
    if requirements is None:  # nox --install-only
        return
    match = re.search(r"^\s*pip='([0-9.]+)',$", Path(requirements.strip()).read_text(encoding="utf-8"), re.M)
    if not match:
        session.error("cannot tell which pip version this ansible-test bootstraps")
    cached = GET_PIP_CACHE / ("get_pip_%s.py" % match.group(1).replace(".", "_"))
    if cached.is_file():
        return
    if not GET_PIP_SOURCE.is_file():
        session.warn("%s is missing: ansible-test will try to download %s" % (GET_PIP_SOURCE, cached.name))
        return
    GET_PIP_CACHE.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(GET_PIP_SOURCE, cached)
    session.log("installed %s as %s" % (GET_PIP_SOURCE, cached))


def run_ansible_test(session: nox.Session, core: str, *args: str) -> None:
    """`ansible-test ARGS --venv --python X` in an ansible_collections tree of this collection."""
    session.install("ansible-core==%s.*" % core)
    install_get_pip_stand_in(session)
    prepared = antsibull_nox.sessions.prepare_collections(
        session, ansible_core_version=core, install_in_site_packages=False, install_out_of_tree=True)
    if not prepared:
        return
    with session.chdir(prepared.current_path):
        session.run("ansible-test", *args, "--venv", "--python", CORE_PYTHON[core], "--color", "no",
                    *session.posargs)


def add_ansible_test_sessions(command: str, cores: list[str], description: str) -> None:
    for core in CORE_PYTHON:

        def session_func(session: nox.Session, core: str = core) -> None:
            run_ansible_test(session, core, command)

        session_func.__doc__ = "%s, ansible-core %s from PyPI, Python %s (--venv)" % (
            description, core, CORE_PYTHON[core])
        nox.session(name="%s-%s" % (command, core), python=CORE_PYTHON[core], default=False)(session_func)

    def meta_session(session: nox.Session) -> None:  # pylint: disable=unused-argument
        pass  # runs the sessions it requires

    meta_session.__doc__ = "%s on ansible-core %s (the %s-X.Y sessions)" % (description, ", ".join(cores), command)
    nox.session(name=command, python=False, default=False,
                requires=["%s-%s" % (command, core) for core in cores])(meta_session)


add_ansible_test_sessions("sanity", SANITY_CORES, "ansible-test sanity")
add_ansible_test_sessions("units", list(CORE_PYTHON), "ansible-test units")


@nox.session(name="docs", python=EE_PYTHON, default=False)
def docs(session: nox.Session) -> None:
    """The docsite in build/docs: antsibull-docs and Sphinx, offline; fails on a warning about the collection."""
    session.install("ansible-core==%s.*" % EE_CORE, "antsibull-docs", "sphinx-ansible-theme")
    prepared = antsibull_nox.sessions.prepare_collections(
        session, ansible_core_version=EE_CORE, install_in_site_packages=False, install_out_of_tree=True)
    if not prepared:
        return
    source, output = BUILD / "docs-src", BUILD / "docs"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(output, ignore_errors=True)
    (source / "rst").mkdir(parents=True, mode=0o700)
    env = {"ANSIBLE_COLLECTIONS_PATH": str(prepared.current_place)}
    session.run("antsibull-docs", "sphinx-init", "--use-current", "--fail-on-error", "--dest-dir", str(source),
                "--project", "ispsystem.billmanager", "--title", "ispsystem.billmanager",
                "--copyright", "ispsystem.billmanager contributors", "ispsystem.billmanager", env=env, silent=True)
    with open(source / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("intersphinx_mapping = {}  # offline: nox -s docs\n")
    with session.chdir(source):
        session.run("antsibull-docs", "--config-file", "antsibull-docs.cfg", "collection", "--cleanup", "everything",
                    "--fail-on-error", "--use-current", "--dest-dir", "rst", "ispsystem.billmanager", env=env)
    # Without intersphinx the labels of docs.ansible.com stay unresolved: sphinx_warnings.py lets only those through.
    session.run("sphinx-build", "-b", "html", "-q", "--keep-going", "-c", str(source), "-w",
                str(source / "warnings.txt"), str(source / "rst"), str(output), silent=True)
    session.run("python", str(ROOT / "tests" / "release" / "sphinx_warnings.py"), str(source / "warnings.txt"))
    session.log("docsite: %s" % (output / "index.html"))


def git_files() -> list[str]:
    """The files git knows (tracked, or untracked and not ignored) that exist: what `make collection` lays out."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and os.path.lexists(ROOT / name)]


def build_tarball(session: nox.Session) -> Path:
    """build/release/ispsystem-billmanager-VERSION.tar.gz from the files git knows (less galaxy.yml's build_ignore)."""
    release = BUILD / "release"
    shutil.rmtree(release, ignore_errors=True)
    release.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="billmgr-ee-") as tmp:
        collection = Path(tmp) / "ansible_collections" / "ispsystem" / "billmanager"
        for name in git_files():
            (collection / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, collection / name, follow_symlinks=False)
        session.run("ansible-galaxy", "collection", "build", "--output-path", str(release), str(collection))
    tarballs = sorted(release.glob("ispsystem-billmanager-*.tar.gz"))
    if len(tarballs) != 1:
        session.error("expected one tarball in %s, found %s" % (release, [path.name for path in tarballs]))
    return tarballs[0]


@nox.session(name="ee", python=EE_PYTHON, default=False)
def ee(session: nox.Session) -> None:
    """The EE: a fresh tarball, its ansible-builder context (build/ee), and tests/ee/all.yml against the emulator
    with the collection installed from the tarball and the Python packages the EE would get (the image is built in
    hosted CI: ee-check)."""
    session.install("ansible-core==%s.*" % EE_CORE, "ansible-builder")
    tarball = build_tarball(session)

    context = BUILD / "ee"
    shutil.rmtree(context, ignore_errors=True)
    session.run("ansible-builder", "create", "--file", str(ROOT / "ee" / "execution-environment.yml"),
                "--context", str(context), "--output-filename", "Containerfile")
    # ansible-builder create exits 0 when additional_build_files matches nothing: check the context has the tarball.
    shipped = context / "_build" / "collections" / tarball.name
    if not shipped.is_file() or shipped.read_bytes() != tarball.read_bytes():
        session.error("the EE context %s lacks %s: the image would not have the collection" % (context, tarball.name))
    requirements_yml = (context / "_build" / "requirements.yml").read_text(encoding="utf-8")
    if "collections/%s" % tarball.name not in requirements_yml:
        session.error("ee/requirements.yml does not name %s (update its version)" % tarball.name)

    with tempfile.TemporaryDirectory(prefix="billmgr-ee-run-") as tmp:
        collections = Path(tmp) / "collections"
        session.run("ansible-galaxy", "collection", "install", "--offline", "-p", str(collections), str(shipped))
        # What the image's builder stage installs: the Python requirements the installed collection declares.
        python_requirements = Path(tmp) / "requirements.txt"
        session.run("ansible-builder", "introspect", "--sanitize", "--write-pip", str(python_requirements),
                    str(collections), silent=True)
        session.install("-r", str(python_requirements))
        session.run("bash", str(ROOT / "tests" / "emulator" / "run-demo.sh"), external=True, env={
            "DEMO_PLAYBOOK": "tests/ee/all.yml",
            "ANSIBLE_COLLECTIONS_PATH": str(collections),
        })


# Allow to run the noxfile with `python noxfile.py`, `pipx run noxfile.py`, or similar.
if __name__ == "__main__":
    nox.main()
