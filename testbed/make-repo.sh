#!/usr/bin/env bash
# Builds a flat apt repository ("deb [trusted=yes] URL ./") that test guests install from, as an
# air-gapped site's mirror: containerd and runc downloaded from Debian on the host, and the
# kubeadm/kubelet/kubectl, cri-tools and kubernetes-cni .debs built from Go modules by
# scripts/build-node-packages.sh (kubeadm Depends on the other four, as on pkgs.k8s.io).
#
# Usage: make-repo.sh          builds what is missing; does nothing when the repository is complete
#        make-repo.sh --dir    prints the repository's directory, builds nothing
#        make-repo.sh --check  builds nothing: exit 0 when it is complete, else say so (exit 1)
#   KUBE_VERSIONS  the Kubernetes releases it holds, side by side as on pkgs.k8s.io, so a host
#                  installs one pinned version and later upgrades to the next from the same
#                  mirror (default: the lab's two, KUBE_LAB_VERSIONS of scripts/versions.env;
#                  KUBE_VERSIONS=v1.37.2 for a repository of one)
#   REPO      output (default $CAIRN_CACHE/apt-repo/<versions joined by +>-r<NODE_PACKAGES_REV>,
#             scripts/lib-cache.sh)
# The .debs are build-node-packages.sh's (build-node-packages.sh --dir, per version).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/versions.env"
. "$here/../scripts/lib-cache.sh"
KUBE_VERSIONS=${KUBE_VERSIONS:-$KUBE_LAB_VERSIONS}
read -ra versions <<< "$KUBE_VERSIONS"
((${#versions[@]})) || { echo "make-repo.sh: KUBE_VERSIONS is empty" >&2; exit 2; }
joined=$(IFS=+; echo "${versions[*]}")
REPO=${REPO:-$CAIRN_CACHE/apt-repo/$joined-r$NODE_PACKAGES_REV}
case ${1:-} in
  --dir) echo "$REPO"; exit 0 ;;
  --check|"") ;;
  *) echo "usage: make-repo.sh [--dir | --check]" >&2; exit 2 ;;
esac
complete() {
  local p v
  for p in containerd runc cri-tools kubernetes-cni; do
    grep -q "^Package: $p\$" "$REPO/Packages" 2>/dev/null || return 1
  done
  for v in "${versions[@]}"; do
    for p in kubeadm kubelet kubectl; do
      grep -q "^Filename: ./${p}_${v#v}-" "$REPO/Packages" 2>/dev/null || return 1
    done
  done
}
if complete; then
  echo "package repository already in $REPO"
  exit 0
fi
[[ ${1:-} != --check ]] || { echo "package repository $REPO missing or incomplete"; exit 1; }
"$here/host-deps.sh"
rm -rf "$REPO.partial"; mkdir -p "$REPO.partial"
for v in "${versions[@]}"; do
  KUBE_VERSION=$v "$here/../scripts/build-node-packages.sh"
  cp "$(KUBE_VERSION=$v "$here/../scripts/build-node-packages.sh" --dir)"/*.deb "$REPO.partial/"
done
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
