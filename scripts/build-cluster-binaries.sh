#!/usr/bin/env bash
# Builds every binary the offline end-to-end cluster runs, from Go modules (and one small C file),
# static (CGO_ENABLED=0, flanneld: cgo linked static) and version-stamped like the releases:
#
#   kubernetes   kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubeadm kubelet kubectl
#   etcd         etcd (the version kubeadm's image list names)
#   coredns      coredns
#   flannel      flanneld, install-conf (what flannel's manifest runs from its image)
#   flannel-cni  flannel (the CNI plugin flanneld's nodes use; containernetworking/plugins v0.9.1's,
#                linked against CNI library $FLANNEL_CNI_LIBCNI_VERSION: see scripts/versions.env)
#   cni-plugins  bridge host-local loopback portmap bandwidth firewall ptp tuning (kubernetes-cni)
#   cri-tools    crictl
#   pause        pause (testbed/images/pause.c)
#   echo         echo (testbed/images/echo: the test workload)
#
# Usage: build-cluster-binaries.sh [COMPONENT...]     (default: all of them)
#        build-cluster-binaries.sh --dir COMPONENT    prints the directory of its binaries
#        build-cluster-binaries.sh --check [COMPONENT...]   builds nothing: exit 0 when every binary
#                                  is there, else name the missing ones (a line a component), exit 1
# COMPONENT kubernetes:CMD,CMD... (e.g. kubernetes:kubeadm,kubelet,kubectl) is only those commands,
# in the same directory as kubernetes.
# Output: $CAIRN_CACHE/bin/<component>-<version>/; a binary already there is not rebuilt, so a
# changed version (scripts/versions.env) rebuilds only what it names. Prints each component's
# build time and appends it to $CAIRN_CACHE/bin/build-times.tsv.
#
# Environment: the versions of scripts/versions.env; CAIRN_CACHE (scripts/lib-cache.sh);
# WORK_DIR for the throwaway Go modules (default $CAIRN_CACHE/kube-build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib-gobuild.sh"
. "$here/lib-cache.sh"
WORK_DIR=${WORK_DIR:-$CAIRN_CACHE/kube-build}
BIN=$CAIRN_CACHE/bin
export CGO_ENABLED=0 GOFLAGS=-mod=mod

KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubeadm kubelet kubectl)
CNI_PLUGINS=(bridge host-local loopback portmap bandwidth firewall ptp tuning)

# dir COMPONENT: where its binaries go (kubernetes:CMD,... is kubernetes)
dir() {
  case $1 in
    kubernetes|kubernetes:*) echo "$BIN/kubernetes-$KUBE_VERSION" ;;
    etcd) echo "$BIN/etcd-$ETCD_IMAGE_VERSION" ;;
    coredns) echo "$BIN/coredns-$COREDNS_VERSION" ;;
    flannel) echo "$BIN/flannel-$FLANNEL_VERSION" ;;
    flannel-cni) echo "$BIN/flannel-cni-$FLANNEL_CNI_VERSION-libcni-$FLANNEL_CNI_LIBCNI_VERSION" ;;
    cni-plugins) echo "$BIN/cni-plugins-$CNI_PLUGINS_VERSION" ;;
    cri-tools) echo "$BIN/cri-tools-$CRI_TOOLS_VERSION" ;;
    pause) echo "$BIN/pause-$PAUSE_VERSION" ;;
    echo) echo "$BIN/echo-$(cat "$here/../testbed/images/echo/"*.go "$here/../testbed/images/echo/go.mod" | sha256sum | cut -c1-12)" ;;
    *) echo "unknown component $1" >&2; return 2 ;;
  esac
}

# bins COMPONENT: the names of its binaries
bins() {
  case $1 in
    kubernetes) echo "${KUBE_CMDS[@]}" ;;
    kubernetes:*) kube_cmds "$1" ;;
    flannel) echo flanneld install-conf ;;
    flannel-cni) echo flannel ;;
    cni-plugins) echo "${CNI_PLUGINS[@]}" ;;
    cri-tools) echo crictl ;;
    *) echo "$1" ;;
  esac
}

# kube_cmds kubernetes:CMD,CMD...: those commands, each one of KUBE_CMDS
kube_cmds() {
  local c list=${1#kubernetes:} out=()
  for c in ${list//,/ }; do
    [[ " ${KUBE_CMDS[*]} " == *" $c "* ]] || { echo "unknown kubernetes command $c (one of ${KUBE_CMDS[*]})" >&2; return 2; }
    out+=("$c")
  done
  ((${#out[@]})) || { echo "no kubernetes command in $1" >&2; return 2; }
  echo "${out[@]}"
}

# needs OUTDIR NAME...: true when one of the binaries is missing
needs() { local d=$1; shift; for n; do [[ -x $d/$n ]] || return 0; done; return 1; }

build() {
  local c=$1 d; d=$(dir "$c")
  case $c in
    kubernetes|kubernetes:*)
      local cmds; read -ra cmds <<< "$(bins "$c")"
      needs "$d" "${cmds[@]}" || return 0
      kube_module "$WORK_DIR/kubernetes-$KUBE_VERSION" "$KUBE_VERSION"
      local ld; ld=$(kube_ldflags "$KUBE_VERSION")
      for cmd in "${cmds[@]}"; do
        [[ -x $d/$cmd ]] && continue
        echo "  building $cmd $KUBE_VERSION"
        go_build "$WORK_DIR/kubernetes-$KUBE_VERSION" "$d/$cmd" "k8s.io/kubernetes/cmd/$cmd" "$ld"
      done ;;
    etcd)
      needs "$d" etcd || return 0
      go_module "$WORK_DIR/etcd-$ETCD_IMAGE_VERSION" go.etcd.io/etcd/server/v3 "$ETCD_IMAGE_VERSION" go.etcd.io/etcd/server/v3
      go_build "$WORK_DIR/etcd-$ETCD_IMAGE_VERSION" "$d/etcd" go.etcd.io/etcd/server/v3 ;;
    coredns)
      needs "$d" coredns || return 0
      go_module "$WORK_DIR/coredns-$COREDNS_VERSION" github.com/coredns/coredns "$COREDNS_VERSION" github.com/coredns/coredns
      go_build "$WORK_DIR/coredns-$COREDNS_VERSION" "$d/coredns" github.com/coredns/coredns \
        "-X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" ;;
    flannel)
      needs "$d" flanneld install-conf || return 0
      REPLACE=$FLANNEL_GO_REPLACE go_module "$WORK_DIR/flannel-$FLANNEL_VERSION" github.com/flannel-io/flannel "$FLANNEL_VERSION" \
        github.com/flannel-io/flannel github.com/flannel-io/flannel/cmd/install_conf
      # flanneld links its UDP backend's C proxy on amd64: cgo, linked statically like upstream's
      [[ -x $d/flanneld ]] || CGO=1 go_build "$WORK_DIR/flannel-$FLANNEL_VERSION" "$d/flanneld" github.com/flannel-io/flannel \
        "-X github.com/flannel-io/flannel/pkg/version.Version=$FLANNEL_VERSION"
      # the manifest's install-cni init container copies the conflist with it (upstream: CGO_ENABLED=0)
      [[ -x $d/install-conf ]] || go_build "$WORK_DIR/flannel-$FLANNEL_VERSION" "$d/install-conf" \
        github.com/flannel-io/flannel/cmd/install_conf ;;
    flannel-cni)
      needs "$d" flannel || return 0
      # v0.9.1's source as is; the newer CNI library is only a higher minimum version in go.mod
      # (the plugin uses invoke, skel, types and version, whose API it keeps)
      local w; w=$WORK_DIR/$(basename "$d")
      REQUIRE="github.com/containernetworking/cni@$FLANNEL_CNI_LIBCNI_VERSION" \
        go_module "$w" github.com/containernetworking/plugins "$FLANNEL_CNI_VERSION" \
        github.com/containernetworking/plugins/plugins/meta/flannel
      go_build "$w" "$d/flannel" github.com/containernetworking/plugins/plugins/meta/flannel \
        "-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$FLANNEL_CNI_VERSION+libcni.$FLANNEL_CNI_LIBCNI_VERSION" ;;
    cni-plugins)
      needs "$d" "${CNI_PLUGINS[@]}" || return 0
      local pkgs=() p
      for p in "${CNI_PLUGINS[@]}"; do pkgs+=("github.com/containernetworking/plugins/plugins/$(cni_kind "$p")/$p"); done
      go_module "$WORK_DIR/cni-plugins-$CNI_PLUGINS_VERSION" github.com/containernetworking/plugins "$CNI_PLUGINS_VERSION" "${pkgs[@]}"
      for p in "${CNI_PLUGINS[@]}"; do
        [[ -x $d/$p ]] || go_build "$WORK_DIR/cni-plugins-$CNI_PLUGINS_VERSION" "$d/$p" \
          "github.com/containernetworking/plugins/plugins/$(cni_kind "$p")/$p" \
          "-X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=$CNI_PLUGINS_VERSION"
      done ;;
    cri-tools)
      needs "$d" crictl || return 0
      go_module "$WORK_DIR/cri-tools-$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools "$CRI_TOOLS_VERSION" sigs.k8s.io/cri-tools/cmd/crictl
      go_build "$WORK_DIR/cri-tools-$CRI_TOOLS_VERSION" "$d/crictl" sigs.k8s.io/cri-tools/cmd/crictl \
        "-X sigs.k8s.io/cri-tools/pkg/version.Version=$CRI_TOOLS_VERSION" ;;
    pause)
      needs "$d" pause || return 0
      command -v gcc >/dev/null || { echo "gcc is needed for pause (apt-get install gcc libc6-dev)" >&2; return 1; }
      mkdir -p "$d"
      gcc -Os -static -Wall -Werror -o "$d/pause.tmp" "$here/../testbed/images/pause.c"
      strip "$d/pause.tmp"; mv "$d/pause.tmp" "$d/pause" ;;
    echo)
      needs "$d" echo || return 0
      go_build "$here/../testbed/images/echo" "$d/echo" . ;;
  esac
  built=1
}

cni_kind() { case $1 in bridge|loopback|ptp|host-device|macvlan|ipvlan|vlan|dummy|tap) echo main ;;
                        host-local|static|dhcp) echo ipam ;; *) echo meta ;; esac; }

if [[ ${1:-} == --dir ]]; then   # --dir COMPONENT: where its binaries are
  (($# == 2)) || { echo "usage: build-cluster-binaries.sh --dir COMPONENT" >&2; exit 2; }
  bins "$2" >/dev/null && dir "$2"; exit
fi
all=(kubernetes etcd coredns flannel flannel-cni cni-plugins cri-tools pause echo)
if [[ ${1:-} == --check ]]; then
  shift; (($#)) || set -- "${all[@]}"
  rc=0
  for c in "$@"; do
    d=$(dir "$c") && ns=$(bins "$c") || exit 2
    miss=(); for n in $ns; do [[ -x $d/$n ]] || miss+=("$n"); done
    ((${#miss[@]} == 0)) || { echo "binaries ${c%%:*}: ${miss[*]} missing in $d"; rc=1; }
  done
  exit "$rc"
fi
(($#)) || set -- "${all[@]}"
for c in "$@"; do dir "$c" >/dev/null && bins "$c" >/dev/null || exit 2; done
command -v go >/dev/null || { echo "the Go toolchain is needed (Go >= 1.24)" >&2; exit 1; }
mkdir -p "$BIN"
# one build at a time: test suites that run side by side may ask for the same binary (kubeadm for
# KubeadmConfigValidateIT and the node packages), and share the throwaway Go modules
exec 8> "$BIN/.build.lock"
flock 8
total=$(date +%s)
for c in "$@"; do
  t=$(date +%s)
  built=0
  trap 'echo "building $c failed" >&2' ERR
  build "$c"
  if (( built )); then
    s=$(( $(date +%s) - t ))
    echo "$c: built in ${s} s into $(dir "$c")"
    printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$c" "$(basename "$(dir "$c")")" "$s" >> "$BIN/build-times.tsv"
  else
    echo "$c: cached in $(dir "$c")"
  fi
done
echo "build-cluster-binaries: $(( $(date +%s) - total )) s"
