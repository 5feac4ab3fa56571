#!/usr/bin/env bash
# The management cluster's binaries (kube-apiserver, kube-controller-manager, kubectl, etcd), laid
# out where fabric8 kube-api-test looks for them: $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/.
# The tests' API server (kube-api-test) uses kube-apiserver, etcd and kubectl; Cairn's embedded
# management cluster (dev.cairn.runtime.EmbeddedManagementCluster) adds kube-controller-manager.
# The Kubernetes commands are build-cluster-binaries.sh's (kubernetes:kube-apiserver,...),
# hard-linked (else copied) into the layout; etcd is built here, at its own version.
#
# Usage: build-kube-binaries.sh          builds what is missing; does nothing when all three
#                                        binaries are present and report the wanted versions
#        build-kube-binaries.sh --dir    prints the binaries' directory, builds nothing
#
# Nothing is downloaded except Go modules through the Go module proxy.
# Environment:
#   KUBE_VERSION       Kubernetes release (scripts/versions.env; CEL CIDR library needs >= 1.31)
#   ETCD_VERSION       etcd release to build (default v3.6.4, the one Kubernetes 1.34 ships)
#   KUBE_API_TEST_DIR  root of kube-api-test's binaries (kube-api-test's own variable;
#                      default $CAIRN_CACHE/kubeapitest, scripts/lib-cache.sh)
#   WORK_DIR           where the throwaway Go modules live (default $CAIRN_CACHE/kube-build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib-cache.sh"
ETCD_VERSION="${ETCD_VERSION:-v3.6.4}"
KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$CAIRN_CACHE/kubeapitest}"
WORK_DIR="${WORK_DIR:-$CAIRN_CACHE/kube-build}"

[[ "$KUBE_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "KUBE_VERSION must look like v1.34.4" >&2; exit 2; }
out="$KUBE_API_TEST_DIR/k8s/${KUBE_VERSION#v}-linux-amd64"
KUBE_CMDS=(kube-apiserver kube-controller-manager kubectl)
case ${1:-} in
  --dir) echo "$out"; exit 0 ;;
  "") ;;
  *) echo "usage: build-kube-binaries.sh [--dir]" >&2; exit 2 ;;
esac

have_all() {
  local b
  for b in "${KUBE_CMDS[@]}" etcd; do [[ -x "$out/$b" ]] || return 1; done
  # the answers captured first: grep -q stops reading at its match, and a binary still writing
  # then dies of SIGPIPE, which pipefail would count as a wrong version
  local api etcd
  api=$("$out/kube-apiserver" --version 2>/dev/null) || return 1
  etcd=$("$out/etcd" --version 2>/dev/null) || return 1
  grep -qx "Kubernetes $KUBE_VERSION" <<< "$api" || return 1
  grep -q "etcd Version: ${ETCD_VERSION#v}" <<< "$etcd" || return 1
}

# one at a time: test runs side by side (a worktree's beside the main checkout's) share this layout
mkdir -p "$KUBE_API_TEST_DIR"
exec 9> "$KUBE_API_TEST_DIR/.build.lock"
flock 9
if have_all; then
  echo "kube binaries ($(IFS=,; echo "${KUBE_CMDS[*]}")) $KUBE_VERSION / etcd $ETCD_VERSION already in $out"
  exit 0
fi

command -v go >/dev/null || { echo "the Go toolchain is needed to build the test binaries (apt-get install golang-go, or see README)" >&2; exit 1; }

start=$(date +%s)
. "$here/lib-gobuild.sh"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
export KUBE_VERSION WORK_DIR
mkdir -p "$out.partial"

# the Kubernetes commands: the e2e cluster's own build (same module, same version stamping)
"$here/build-cluster-binaries.sh" "kubernetes:$(IFS=,; echo "${KUBE_CMDS[*]}")"
kbin=$("$here/build-cluster-binaries.sh" --dir kubernetes)
for b in "${KUBE_CMDS[@]}"; do
  ln -f "$kbin/$b" "$out.partial/$b" 2>/dev/null || cp "$kbin/$b" "$out.partial/$b"
done

# etcd, from etcd's server module (not the e2e image's etcd: ETCD_VERSION is its own choice)
emod="$WORK_DIR/etcd-$ETCD_VERSION"
go_module "$emod" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
echo "building etcd $ETCD_VERSION"
go_build "$emod" "$out.partial/etcd" go.etcd.io/etcd/server/v3

rm -rf "$out"
mv "$out.partial" "$out"
have_all || { echo "built binaries do not report $KUBE_VERSION / $ETCD_VERSION" >&2; "$out/kube-apiserver" --version >&2; "$out/etcd" --version >&2; exit 1; }
echo "built kube binaries into $out in $(( $(date +%s) - start )) s"
