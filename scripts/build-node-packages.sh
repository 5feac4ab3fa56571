#!/usr/bin/env bash
# Builds kubeadm, kubelet and kubectl from Kubernetes' Go module (version-stamped like a release),
# and crictl (cri-tools) and the CNI reference plugins (kubernetes-cni) that kubeadm's preflight
# and the kubelet need, and packages them as .deb files for a local apt mirror shaped like
# pkgs.k8s.io's (kubeadm Depends on kubelet, kubectl, kubernetes-cni and cri-tools, with pkgs.k8s.io's floors), so test
# guests install Kubernetes through spec.packages exactly as an air-gapped site would. Nothing is
# downloaded but Go modules (scripts/build-cluster-binaries.sh builds the binaries).
#
# Usage: build-node-packages.sh          builds what is missing
#        build-node-packages.sh --dir    prints where the .debs are (OUT_DIR), builds nothing
# Environment:
#   KUBE_VERSION  (default v1.34.4); CRI_TOOLS_VERSION, CNI_PLUGINS_VERSION: scripts/versions.env
#   CAIRN_CACHE   the cache the defaults below are in (scripts/lib-cache.sh)
#   OUT_DIR       where the .debs go (default $CAIRN_CACHE/packages/<version>-r<NODE_PACKAGES_REV>)
#   WORK_DIR      the throwaway Go modules (default $CAIRN_CACHE/kube-build)
# Does nothing when the five .debs for these versions are already there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib-cache.sh"
WORK_DIR="${WORK_DIR:-$CAIRN_CACHE/kube-build}"
OUT_DIR="${OUT_DIR:-$CAIRN_CACHE/packages/$KUBE_VERSION-r$NODE_PACKAGES_REV}"
[[ "$KUBE_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "KUBE_VERSION must look like v1.34.4" >&2; exit 2; }
case ${1:-} in
  --dir) echo "$OUT_DIR"; exit 0 ;;
  "") ;;
  *) echo "usage: build-node-packages.sh [--dir]" >&2; exit 2 ;;
esac
debver="${KUBE_VERSION#v}-1.1"
critools_debver="${CRI_TOOLS_VERSION#v}-1.1"
cni_debver="${CNI_PLUGINS_VERSION#v}-1.1"
debs=("kubeadm_${debver}_amd64.deb" "kubelet_${debver}_amd64.deb" "kubectl_${debver}_amd64.deb"
      "cri-tools_${critools_debver}_amd64.deb" "kubernetes-cni_${cni_debver}_amd64.deb")

have=1
for d in "${debs[@]}"; do [[ -f "$OUT_DIR/$d" ]] || have=0; done
if (( have )); then
  echo "node packages $KUBE_VERSION already in $OUT_DIR"
  exit 0
fi
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed (apt-get install dpkg)" >&2; exit 1; }

start=$(date +%s)
export KUBE_VERSION WORK_DIR
"$here/build-cluster-binaries.sh" kubernetes:kubeadm,kubelet,kubectl cri-tools cni-plugins
bin=$("$here/build-cluster-binaries.sh" --dir kubernetes)
crictl_dir=$("$here/build-cluster-binaries.sh" --dir cri-tools)
cni_dir=$("$here/build-cluster-binaries.sh" --dir cni-plugins)

pkgroot=$(mktemp -d)
trap 'rm -rf "$pkgroot"' EXIT
mkdir -p "$OUT_DIR.partial"
package() { # name, description, depends [version, origin (then the caller installs the files)]
  local name=$1 desc=$2 depends=$3 version=${4:-$debver} root="$pkgroot/$1"
  mkdir -p "$root/DEBIAN"
  if [[ -z ${5:-} ]]; then
    mkdir -p "$root/usr/bin"
    install -m 0755 "$bin/$name" "$root/usr/bin/$name"
  fi
  {
    echo "Package: $name"
    echo "Version: $version"
    echo "Architecture: amd64"
    echo "Maintainer: Cairn test packages <cairn@localhost>"
    [[ -n "$depends" ]] && echo "Depends: $depends"
    echo "Section: admin"
    echo "Priority: optional"
    echo "Description: $desc"
    echo " ${5:-Built from the k8s.io/kubernetes Go module} for Cairn's offline tests."
  } > "$root/DEBIAN/control"
}
package kubectl "Kubernetes command-line tool" ""
# kubelet and kubectl at a fixed old floor, as pkgs.k8s.io's kubeadm declares them (1.19.0), not at
# kubeadm's own version: kubeadm's upgrade installs the new kubeadm beside the held, older kubelet
# and kubectl ("apt-get install kubeadm=1.37.x-*"), which a ">= own version" would refuse
package kubeadm "Kubernetes cluster bootstrapping tool" \
  "kubelet (>= 1.19.0), kubectl (>= 1.19.0), kubernetes-cni (>= ${CNI_PLUGINS_VERSION#v}), cri-tools (>= ${CRI_TOOLS_VERSION#v})"
package kubelet "Kubernetes node agent" "iptables, iproute2, socat, ethtool, mount, conntrack"
package cri-tools "Command-line utility for interacting with a container runtime" "" "$critools_debver" \
  "Built from the sigs.k8s.io/cri-tools Go module"
install -D -m 0755 "$crictl_dir/crictl" "$pkgroot/cri-tools/usr/bin/crictl"
package kubernetes-cni "Binaries required to provision kubernetes container networking" "" "$cni_debver" \
  "Built from the github.com/containernetworking/plugins Go module"
mkdir -p "$pkgroot/kubernetes-cni/opt/cni/bin"
install -m 0755 "$cni_dir"/* "$pkgroot/kubernetes-cni/opt/cni/bin/"
# the unit files the upstream packages ship
mkdir -p "$pkgroot/kubelet/usr/lib/systemd/system/kubelet.service.d"
cat > "$pkgroot/kubelet/usr/lib/systemd/system/kubelet.service" <<'UNIT'
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$pkgroot/kubeadm/usr/lib/systemd/system/kubelet.service.d"
cat > "$pkgroot/kubeadm/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf" <<'UNIT'
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
UNIT
# zstd, not dpkg's default xz: xz took ~50 s a binary here and is slow to unpack in a TCG guest too;
# zstd builds in under a second and Debian's dpkg (>= 1.21.18) reads it
for deb in "${debs[@]}"; do
  dpkg-deb --root-owner-group -Zzstd --build "$pkgroot/${deb%%_*}" "$OUT_DIR.partial/$deb" >/dev/null
done
rm -rf "$OUT_DIR"
mv "$OUT_DIR.partial" "$OUT_DIR"
echo "built node packages into $OUT_DIR in $(( $(date +%s) - start )) s"
