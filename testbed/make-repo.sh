#!/usr/bin/env bash
# Builds a flat apt repository ("deb [trusted=yes] URL ./") that test guests install from, as an
# air-gapped site's mirror: containerd and runc downloaded from Debian on the host, and the
# kubeadm/kubelet/kubectl, cri-tools and kubernetes-cni .debs built from Go modules by
# scripts/build-node-packages.sh (kubeadm Depends on the other four, as on pkgs.k8s.io).
#
#   REPO      output (default $CAIRN_CACHE/testbed/repo-<kube version>; CAIRN_CACHE defaults to
#             ~/.cache/cairn, where the built .debs also stay, in packages/<kube version>)
#   KUBE_VERSION (default v1.34.4)
# Does nothing when the repository is already complete; --check: builds nothing, exit 0 when it
# is complete, else say so (exit 1).
set -euo pipefail
KUBE_VERSION=${KUBE_VERSION:-v1.34.4}
CACHE=${CAIRN_CACHE:-$HOME/.cache/cairn}
DIR=${CAIRN_TESTBED_DIR:-$CACHE/testbed}
PKGS=$CACHE/packages/$KUBE_VERSION
REPO=${REPO:-$DIR/repo-$KUBE_VERSION}
here=$(cd "$(dirname "$0")" && pwd)
complete() {
  local p
  for p in containerd runc kubeadm kubelet kubectl cri-tools kubernetes-cni; do
    grep -q "^Package: $p\$" "$REPO/Packages" 2>/dev/null || return 1
  done
}
if complete; then
  echo "package repository already in $REPO"
  exit 0
fi
[[ ${1:-} != --check ]] || { echo "package repository $REPO missing or incomplete"; exit 1; }
"$here/host-deps.sh"
KUBE_VERSION=$KUBE_VERSION OUT_DIR=$PKGS "$here/../scripts/build-node-packages.sh"
mkdir -p "$REPO.partial"
cp "$PKGS"/*.deb "$REPO.partial/"
( cd "$REPO.partial"
  if ! apt-get download containerd runc >/dev/null 2>&1; then
    apt-get update -qq && apt-get download containerd runc >/dev/null
  fi
  dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages
  gzip -9kf Packages )
rm -rf "$REPO"
mv "$REPO.partial" "$REPO"
echo "package repository in $REPO:"
ls "$REPO"
