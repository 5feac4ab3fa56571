#!/usr/bin/env bash
# Builds kubeadm, kubelet and kubectl from Kubernetes' Go module (version-stamped like a release)
# and packages them as .deb files for a local apt mirror, so test guests install Kubernetes
# through spec.packages exactly as an air-gapped site would. Nothing is downloaded but Go modules.
#
# Environment:
#   KUBE_VERSION  (default v1.34.4)
#   OUT_DIR       where the .debs go (default ~/.cache/cairn/packages/<version>)
#   WORK_DIR      the throwaway Go module (shared with build-kube-binaries.sh)
# Does nothing when the three .debs for the version are already there.
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.34.4}"
WORK_DIR="${WORK_DIR:-$HOME/.cache/cairn/kube-build}"
OUT_DIR="${OUT_DIR:-$HOME/.cache/cairn/packages/$KUBE_VERSION}"
[[ "$KUBE_VERSION" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "KUBE_VERSION must look like v1.34.4" >&2; exit 2; }
minor="${BASH_REMATCH[1]}"
staging_version="v0.${minor}.${BASH_REMATCH[2]}"
debver="${KUBE_VERSION#v}-1.1"

if [[ -f "$OUT_DIR/kubeadm_${debver}_amd64.deb" && -f "$OUT_DIR/kubelet_${debver}_amd64.deb" && -f "$OUT_DIR/kubectl_${debver}_amd64.deb" ]]; then
  echo "node packages $KUBE_VERSION already in $OUT_DIR"
  exit 0
fi
command -v go >/dev/null || { echo "the Go toolchain is needed" >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is needed (apt-get install dpkg)" >&2; exit 1; }

start=$(date +%s)
export CGO_ENABLED=0 GOFLAGS=-mod=mod
kmod="$WORK_DIR/kubernetes-$KUBE_VERSION"
if [[ ! -f "$kmod/go.mod" ]]; then
  KUBE_VERSION="$KUBE_VERSION" WORK_DIR="$WORK_DIR" "$(dirname "$0")/build-kube-binaries.sh"
fi
cd "$kmod"
grep -q 'cmd/kubeadm' tools.go || sed -i 's#_ "k8s.io/kubernetes/cmd/kubectl"#_ "k8s.io/kubernetes/cmd/kubectl"\n\t_ "k8s.io/kubernetes/cmd/kubeadm"\n\t_ "k8s.io/kubernetes/cmd/kubelet"#' tools.go
go mod tidy -e >/dev/null 2>tidy-node.log || { cat tidy-node.log >&2; exit 1; }
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
bin="$WORK_DIR/bin-$KUBE_VERSION"
mkdir -p "$bin"
for cmd in kubeadm kubelet kubectl; do
  echo "building $cmd $KUBE_VERSION"
  go build -trimpath -ldflags "-s -w $ldflags" -o "$bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
done

pkgroot=$(mktemp -d)
trap 'rm -rf "$pkgroot"' EXIT
mkdir -p "$OUT_DIR.partial"
package() { # name, description, depends
  local name=$1 desc=$2 depends=$3 root="$pkgroot/$1"
  mkdir -p "$root/DEBIAN" "$root/usr/bin"
  install -m 0755 "$bin/$name" "$root/usr/bin/$name"
  {
    echo "Package: $name"
    echo "Version: $debver"
    echo "Architecture: amd64"
    echo "Maintainer: Cairn test packages <cairn@localhost>"
    [[ -n "$depends" ]] && echo "Depends: $depends"
    echo "Section: admin"
    echo "Priority: optional"
    echo "Description: $desc"
    echo " Built from the k8s.io/kubernetes Go module for Cairn's offline tests."
  } > "$root/DEBIAN/control"
}
package kubectl "Kubernetes command-line tool" ""
package kubeadm "Kubernetes cluster bootstrapping tool" "kubelet, kubectl"
package kubelet "Kubernetes node agent" "iptables, iproute2, socat, ethtool, mount, conntrack"
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
for name in kubectl kubeadm kubelet; do
  dpkg-deb --root-owner-group -Zxz --build "$pkgroot/$name" "$OUT_DIR.partial/${name}_${debver}_amd64.deb" >/dev/null
done
rm -rf "$OUT_DIR"
mv "$OUT_DIR.partial" "$OUT_DIR"
echo "built node packages into $OUT_DIR in $(( $(date +%s) - start )) s"
