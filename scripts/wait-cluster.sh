#!/usr/bin/env bash
# Waits until a Cairn Cluster is Ready, and stops at once when it is Stalled (something needs a
# person: a refused SSH key, a missing Secret, a failed preflight), instead of running into the
# timeout as `kubectl wait --for=condition=Ready` alone would.
#
#   scripts/wait-cluster.sh NAME [TIMEOUT] [KUBECTL-FLAGS...]
#
# TIMEOUT is kubectl's (default 30m). Further arguments go to every kubectl call (-n NAMESPACE,
# --kubeconfig FILE, --context NAME). KUBECTL names the kubectl to run (default: kubectl on PATH).
# Exit status: 0 Ready; 1 Stalled (its reason and message printed); 2 anything else (timed out,
# no such Cluster), with the Ready condition's reason and message when there is one.
set -euo pipefail

if [[ $# -lt 1 || $1 == -* ]]; then
  echo "usage: $0 NAME [TIMEOUT] [KUBECTL-FLAGS...]" >&2
  exit 2
fi
name=$1
timeout=${2:-30m}
flags=("${@:3}")
kubectl=${KUBECTL:-kubectl}

k() { "$kubectl" "${flags[@]}" "$@"; }

condition() { # TYPE FIELD: one field of one condition of the Cluster, empty when there is none
  k get "cluster.cairn.dev/$name" -o "jsonpath={.status.conditions[?(@.type==\"$1\")].$2}" 2>/dev/null || true
}

# two waits side by side, the first to end decides; kubectl itself in the background (not a
# function, whose subshell would leave it running when killed), stopped on the way out
"$kubectl" "${flags[@]}" wait --for=condition=Ready "cluster.cairn.dev/$name" --timeout="$timeout" >/dev/null &
ready=$!
"$kubectl" "${flags[@]}" wait --for=condition=Stalled "cluster.cairn.dev/$name" --timeout="$timeout" >/dev/null &
stalled=$!
trap 'kill "$ready" "$stalled" 2>/dev/null || true' EXIT
wait -n || true

# what the Cluster says now, not which wait happened to return first
if [[ $(condition Ready status) == True ]]; then
  echo "cluster/$name is Ready"
  exit 0
fi
if [[ $(condition Stalled status) == True ]]; then
  echo "cluster/$name is Stalled: $(condition Stalled reason): $(condition Stalled message)" >&2
  exit 1
fi
reason=$(condition Ready reason)
if [[ -z $reason ]]; then
  echo "cluster/$name: not Ready, and no Ready condition to say why (does it exist? is Cairn running?)" >&2
else
  echo "cluster/$name is not Ready after $timeout: $reason: $(condition Ready message)" >&2
fi
exit 2
