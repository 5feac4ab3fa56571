#!/usr/bin/env bash
# Builds a flat apt repository ("deb [trusted=yes] URL ./") that test guests install from, as an
# air-gapped site's mirror: containerd and runc downloaded from Debian on the host, and the
# kubeadm/kubelet/kubectl, cri-tools and kubernetes-cni .debs built from Go modules by
# scripts/build-node-packages.sh (kubeadm Depends on the other four, as on pkgs.k8s.io).
#
# Usage: make-repo.sh          builds what is missing; does nothing when the repository is complete
#        make-repo.sh --dir    prints the repository's directory, builds nothing
#        make-repo.sh --check  builds nothing: exit 0 when it is complete, else say so (exit 1)
#   REPO      output (default $CAIRN_CACHE/apt-repo/<kube version>, scripts/lib-cache.sh)
#   KUBE_VERSION (default v1.34.4)
# The .debs are build-node-packages.sh's (build-node-packages.sh --dir).
set -euo pipefail
KUBE_VERSION=${KUBE_VERSION:-v1.34.4}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/lib-cache.sh"
REPO=${REPO:-$CAIRN_CACHE/apt-repo/$KUBE_VERSION}
case ${1:-} in
  --dir) echo "$REPO"; exit 0 ;;
  --check|"") ;;
  *) echo "usage: make-repo.sh [--dir | --check]" >&2; exit 2 ;;
esac
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
export KUBE_VERSION
"$here/../scripts/build-node-packages.sh"
PKGS=$("$here/../scripts/build-node-packages.sh" --dir)
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
