#!/usr/bin/env bash
# Builds the management-cluster test binaries (kube-apiserver, kubectl, etcd) from
# Kubernetes' and etcd's own Go modules and lays them out where fabric8 kube-api-test
# looks for them: ~/.kubeapitest/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}.
#
# Nothing is downloaded except Go modules through the Go module proxy. Does nothing when
# all three binaries are already present and report the wanted versions.
#
# Environment:
#   KUBE_VERSION   Kubernetes release to build (default v1.34.4; CEL CIDR library needs >= 1.31)
#   ETCD_VERSION   etcd release to build (default v3.6.4, the one Kubernetes 1.34 ships)
#   KUBEAPITEST_DIR  root of kube-api-test's cache (default ~/.kubeapitest)
#   WORK_DIR       where the throwaway Go modules live (default ~/.cache/cairn/kube-build)
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.4}"
KUBEAPITEST_DIR="${KUBEAPITEST_DIR:-$HOME/.kubeapitest}"
WORK_DIR="${WORK_DIR:-$HOME/.cache/cairn/kube-build}"

[[ "$KUBE_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "KUBE_VERSION must look like v1.34.4" >&2; exit 2; }
out="$KUBEAPITEST_DIR/k8s/${KUBE_VERSION#v}-linux-amd64"

have_all() {
  [[ -x "$out/kube-apiserver" && -x "$out/kubectl" && -x "$out/etcd" ]] || return 1
  "$out/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes $KUBE_VERSION" || return 1
  "$out/etcd" --version 2>/dev/null | grep -q "etcd Version: ${ETCD_VERSION#v}" || return 1
}

if have_all; then
  echo "kube binaries $KUBE_VERSION / etcd $ETCD_VERSION already in $out"
  exit 0
fi

command -v go >/dev/null || { echo "the Go toolchain is needed to build the test binaries (apt-get install golang-go, or see README)" >&2; exit 1; }

start=$(date +%s)
. "$(dirname "$0")/lib-gobuild.sh"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
mkdir -p "$out.partial"

# the Kubernetes module (shared with build-cluster-binaries.sh) and etcd's server module
kmod="$WORK_DIR/kubernetes-$KUBE_VERSION"
kube_module "$kmod" "$KUBE_VERSION"
ldflags=$(kube_ldflags "$KUBE_VERSION")
echo "building kube-apiserver and kubectl $KUBE_VERSION (cold: several minutes on 2 cores)"
go_build "$kmod" "$out.partial/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver "$ldflags"
go_build "$kmod" "$out.partial/kubectl" k8s.io/kubernetes/cmd/kubectl "$ldflags"

emod="$WORK_DIR/etcd-$ETCD_VERSION"
go_module "$emod" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" go.etcd.io/etcd/server/v3
echo "building etcd $ETCD_VERSION"
go_build "$emod" "$out.partial/etcd" go.etcd.io/etcd/server/v3

rm -rf "$out"
mv "$out.partial" "$out"
have_all || { echo "built binaries do not report $KUBE_VERSION / $ETCD_VERSION" >&2; "$out/kube-apiserver" --version >&2; "$out/etcd" --version >&2; exit 1; }
echo "built kube binaries into $out in $(( $(date +%s) - start )) s"
