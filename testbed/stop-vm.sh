#!/usr/bin/env bash
# Stops guests started by boot-vm.sh (by their pidfile) and removes their state (boot-vm.sh --dir
# NAME) and tap devices.
# Usage: stop-vm.sh NAME...
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for NAME in "$@"; do
  D=$("$here/boot-vm.sh" --dir "$NAME") || continue
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
