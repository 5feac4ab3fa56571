#!/usr/bin/env bash
# What the integration tests need before the first of them starts, built side by side (Maven runs
# this in pre-integration-test): the management-cluster binaries (build-kube-binaries.sh: Go, all
# CPU) and the test guest's image (testbed/make-image.sh: debootstrap, mostly disk and network).
# On a fresh machine that overlaps about 2.5 min of the image with 5.5 min of Go. Each owner
# caches its own; with both built this is a no-op. The package mirror (testbed/make-repo.sh) is
# left to the VM suite, which builds it while the API-server suites run.
#
# A guest image that cannot be built (no root, no Debian mirror) does not stop the API-server
# suites: it is reported here, and HostPreparationVmIT fails with the same message.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$here/../testbed/make-image.sh" > "$log" 2>&1 & image=$!
"$here/build-kube-binaries.sh"
if wait "$image"; then
  tail -n 1 "$log"
else
  echo "testbed/make-image.sh failed (HostPreparationVmIT will too):" >&2
  tail -n 20 "$log" >&2
fi
