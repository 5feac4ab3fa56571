#!/usr/bin/env bash
# Stops guests started by boot-vm.sh (by their pidfile) and removes their state and tap devices.
set -uo pipefail
DIR=${CAIRN_TESTBED_DIR:-$HOME/.cache/cairn/testbed}
for NAME in "$@"; do
  D=$DIR/vms/$NAME
  if [[ -f $D/pid ]]; then
    pid=$(cat "$D/pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  [[ -f $D/tap ]] && ip link del "$(cat "$D/tap")" 2>/dev/null
  rm -rf "$D"
done
