#!/usr/bin/env bash
# Copyright (c) 2026, ispsystem.billmanager contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `make demo`: start the BILLmanager emulator on a free loopback port, run docs/demo/demo.yml (a license's
# whole life) and then docs/panel_license/demo.yml (the role) against it, and always stop the emulator. Exits with the playbook's exit code.
# Expects python3 and ansible-playbook of the project venv first on PATH and
# ANSIBLE_COLLECTIONS_PATH pointing at the laid-out collection (the Makefile sets both).
# DEMO_PLAYBOOK overrides the playbook; arguments are passed on to ansible-playbook.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
playbook=${DEMO_PLAYBOOK:-docs/demo/demo.yml}
if [ ! -f "$playbook" ]; then
    echo "The demo playbook $playbook is missing." >&2
    exit 1
fi

workdir=$(mktemp -d "${TMPDIR:-/tmp}/billmgr-demo.XXXXXX")
port_file="$workdir/port"
emulator_pid=""

# shellcheck disable=SC2329  # invoked by the EXIT trap
stop_emulator() {
    if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap stop_emulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PYTHONPATH="$repo/tests/emulator${PYTHONPATH:+:$PYTHONPATH}" python3 -m billmgr_emulator \
    --host 127.0.0.1 --port 0 --port-file "$port_file" \
    --seed tests/emulator/billmgr_emulator/default_seed.json \
    >"$workdir/emulator.log" 2>&1 &
emulator_pid=$!

for _ in $(seq 1 100); do
    [ -s "$port_file" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        echo "The emulator exited before it was ready:" >&2
        cat "$workdir/emulator.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ ! -s "$port_file" ]; then
    echo "The emulator did not write its port to $port_file within 10 s:" >&2
    cat "$workdir/emulator.log" >&2
    exit 1
fi
port=$(cat "$port_file")
echo "BILLmanager emulator listening on http://127.0.0.1:$port/manager/billmgr (pid $emulator_pid)"

export BILLMGR_API_URL="http://127.0.0.1:$port/manager/billmgr"
export BILLMGR_API_USER=demo
export BILLMGR_API_PASSWORD=demo-secret

status=0
# The demo plays on the implicit localhost (the venv's Python); its "no inventory" warnings are noise here.
ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ansible-playbook "$playbook" "$@" || status=$?
if [ "$status" -eq 0 ] && [ -z "${DEMO_PLAYBOOK:-}" ]; then
    echo
    echo "=== The panel_license role: license a VMmanager 6 cluster and a DCImanager 6 location from the inventory ==="
    ansible-playbook -i docs/panel_license/inventory.yml docs/panel_license/demo.yml "$@" || status=$?
fi
exit "$status"
