#!/usr/bin/env bash
# Builds every binary the offline end-to-end cluster runs, from Go modules, Calico's and BIRD's
# source tarballs and one small C file, static (CGO_ENABLED=0; flanneld, mountns: cgo linked static;
# pause, BIRD: C linked static) and version-stamped like the releases; runit's few binaries are
# Debian's own:
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
#   calico-node  calico-node (CGO_ENABLED=0: felix's libbpf stub, no eBPF mode), mountns (cgo, static),
#                node-fs/ (a directory: what calico/node's image holds beside its binaries, staged from
#                the source tree: node/filesystem, confd's conf.d and templates, licences)
#   calico-cni   calico (also calico-ipam, by argv[0]), install; licenses/
#   calico-kube-controllers  kube-controllers, check-status, wrapper; licenses/
#                (the three Calico components: from the pinned source tarball, see below)
#   bird         bird bird6 birdcl birdcl6 (Calico's BIRD fork, C, static: autoconf, flex, bison);
#                included-source/ (its source tarball, shipped with the binaries as upstream does)
#   runit        runsvdir runsv sv svlogd chpst, licenses/runit: taken from Debian bookworm's runit
#                $RUNIT_DEB_VERSION package (fetched from the Debian mirror, checked against its sum)
#
# Calico's go.mod replaces three modules with paths inside its own tree, and the Go module proxy
# does not serve github.com/projectcalico/calico: its commands are built inside the unpacked
# `git archive` of the release (cairn_sources in scripts/versions.env, checked against
# CALICO_SOURCE_SHA256; unpacked once into WORK_DIR), BIRD likewise from its tarball. A component's
# outputs are binaries or directories; each appears only when complete.
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
# WORK_DIR for the throwaway Go modules and the unpacked sources (default $CAIRN_CACHE/kube-build);
# MIRROR, the Debian mirror runit's package comes from (default: the host's own apt source).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib-gobuild.sh"
. "$here/lib-cache.sh"
. "$here/lib-debian.sh"
WORK_DIR=${WORK_DIR:-$CAIRN_CACHE/kube-build}
BIN=$CAIRN_CACHE/bin
export CGO_ENABLED=0 GOFLAGS=-mod=mod

KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubeadm kubelet kubectl)
CNI_PLUGINS=(bridge host-local loopback portmap bandwidth firewall ptp tuning)
RUNIT_CMDS=(runsvdir runsv sv svlogd chpst)
CALICO_TREE=$WORK_DIR/calico-$CALICO_VERSION

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
    calico-node|calico-cni|calico-kube-controllers) echo "$BIN/$1-$CALICO_VERSION" ;;
    bird) echo "$BIN/bird-$BIRD_COMMIT" ;;
    runit) echo "$BIN/runit-$RUNIT_DEB_VERSION" ;;
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
    calico-node) echo calico-node mountns node-fs ;;
    calico-cni) echo calico install licenses ;;
    calico-kube-controllers) echo kube-controllers check-status wrapper licenses ;;
    bird) echo bird bird6 birdcl birdcl6 included-source ;;
    runit) echo "${RUNIT_CMDS[@]}" licenses ;;
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

# needs OUTDIR NAME...: true when one of the binaries (or output directories) is missing
needs() { local d=$1; shift; for n; do [[ -x $d/$n ]] || return 0; done; return 1; }

# sha_ok FILE SHA256: the file is there and has that sum, else say which and fail
sha_ok() {
  [[ -f $1 ]] || { echo "$1: missing" >&2; return 1; }
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [[ $got == "$2" ]] || { echo "$1: sha256 $got, scripts/versions.env pins $2" >&2; return 1; }
}

# calico_tree: the release's source tree in CALICO_TREE, unpacked once from the checked tarball
# (the marker holds the sum it was unpacked from, so a new pin unpacks again)
calico_tree() {
  [[ "$(cat "$CALICO_TREE/.cairn-unpacked" 2>/dev/null)" == "$CALICO_SOURCE_SHA256" ]] && return 0
  local src; src=$(cairn_sources)/calico-$CALICO_VERSION.tar.gz
  sha_ok "$src" "$CALICO_SOURCE_SHA256"
  rm -rf "$CALICO_TREE" "$CALICO_TREE.tmp"; mkdir -p "$CALICO_TREE.tmp"
  tar -xzf "$src" -C "$CALICO_TREE.tmp" --strip-components=1 --no-same-owner
  echo "$CALICO_SOURCE_SHA256" > "$CALICO_TREE.tmp/.cairn-unpacked"
  mv "$CALICO_TREE.tmp" "$CALICO_TREE"
}

# stage_dir OUT: runs the rest of the arguments as a command that fills OUT.tmp, then moves it to
# OUT (files 0644, or 0755 when executable; directories 0755), so OUT appears only when complete
stage_dir() {
  local out=$1; shift
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  "$@" "$out.tmp"
  find "$out.tmp" -type d -exec chmod 0755 {} + -o -type f -perm /111 -exec chmod 0755 {} + \
    -o -type f -exec chmod 0644 {} +
  rm -rf "$out"; mv "$out.tmp" "$out"
}

# node_fs DIR: what calico/node's image takes from the source tree besides binaries, laid out as in
# upstream's node/Dockerfile.amd64 (filesystem/sbin goes to usr/sbin; confd's conf.d and templates
# into etc/calico/confd as node/Makefile copies them). Upstream's etc/nsswitch.conf (it names
# mdns) and calico-bgp-daemon (an alternative BGP daemon) are left out.
node_fs() {
  local t=$CALICO_TREE f=$CALICO_TREE/node/filesystem o=$1
  mkdir -p "$o/etc/calico/confd/config" "$o/etc/service/available" "$o/usr/sbin" "$o/licenses"
  cp "$f/etc/rc.local" "$o/etc/rc.local"
  cp "$f/etc/calico/felix.cfg" "$o/etc/calico/felix.cfg"
  local s
  for s in "$f"/etc/service/available/*/; do
    s=$(basename "$s"); [[ $s == calico-bgp-daemon ]] && continue
    cp -r "$f/etc/service/available/$s" "$o/etc/service/available/$s"
  done
  cp "$f"/sbin/{start_runit,restart-calico-confd,versions} "$o/usr/sbin/"
  cp -r "$t/confd/etc/calico/confd/conf.d" "$t/confd/etc/calico/confd/templates" "$o/etc/calico/confd/"
  rm -f "$o/etc/calico/confd/templates/README.md"
  cp "$t/node/LICENSE" "$o/licenses/LICENSE"
  # BIRD, which the image runs, is GPL v2 or later (the BIRD tarball carries no licence text)
  cp "$t/licenses/GPLv2" "$o/licenses/GPLv2"
}

# bird_build OUT: Calico's BIRD as its create_binaries.sh builds it (IPv4 and IPv6 daemons and
# clients, client without readline), linked static so it does not depend on the host's glibc.
# getpwnam/getgrnam (bird -u/-g) make the static link warn; Calico runs BIRD as root. The build
# directory is mapped out of the debug info, so the stripped binaries (their build ID) do not
# depend on WORK_DIR.
bird_build() {
  local out=$1 src tool w=$WORK_DIR/bird-$BIRD_COMMIT
  src=$(cairn_sources)/bird-$BIRD_COMMIT.tar.gz
  sha_ok "$src" "$BIRD_SOURCE_SHA256"
  for tool in autoreconf flex bison m4 gcc make; do
    command -v "$tool" >/dev/null || { echo "bird needs $tool (testbed/host-deps.sh installs it)" >&2; return 1; }
  done
  rm -rf "$w"; mkdir -p "$w"
  tar -xzf "$src" -C "$w" --strip-components=1 --no-same-owner
  ( cd "$w"
    autoreconf > autoreconf.log 2>&1 || { cat autoreconf.log >&2; exit 1; }
    local p=(--with-protocols="bfd bgp pipe static" --enable-client=no --enable-pthreads=yes --runstatedir=/var/run/calico)
    local v sfx cc="gcc -ffile-prefix-map=$w=/usr/src/bird"
    for v in 6 4; do
      if [[ $v == 6 ]]; then sfx=6; else sfx=""; fi
      mkdir -p "obj$v"
      ( cd "obj$v"
        if [[ $v == 6 ]]; then CC=$cc ../configure "${p[@]}" --enable-ipv6=yes --with-sysconfig=linux-v6
        else CC=$cc ../configure "${p[@]}" --with-sysconfig=linux; fi > configure.log 2>&1 || { cat configure.log >&2; exit 1; }
        make > make.log 2>&1 || { tail -40 make.log >&2; exit 1; }
        rm -f bird birdcl
        make CC="$cc -static" bird birdcl > make-static.log 2>&1 || { tail -40 make-static.log >&2; exit 1; }
        cp bird "$out/bird$sfx"; cp birdcl "$out/birdcl$sfx" )
    done )
  strip "$out"/bird*
}

# runit_deb: Debian's runit package, fetched once from the mirror, checked against its pinned sum
runit_deb() {
  local deb=$WORK_DIR/runit_${RUNIT_DEB_VERSION}_amd64.deb mirror=${MIRROR:-}
  if ! sha_ok "$deb" "$RUNIT_DEB_SHA256" 2>/dev/null; then
    [[ -n $mirror ]] || mirror=$(host_mirror)
    mirror=${mirror:-http://deb.debian.org/debian}
    mkdir -p "$WORK_DIR"
    curl -fsSL -o "$deb.tmp" "${mirror%/}/pool/main/r/runit/runit_${RUNIT_DEB_VERSION}_amd64.deb"
    sha_ok "$deb.tmp" "$RUNIT_DEB_SHA256" || { rm -f "$deb.tmp"; return 1; }
    mv "$deb.tmp" "$deb"
  fi
  echo "$deb"
}

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
    calico-node)
      needs "$d" calico-node mountns node-fs || return 0
      calico_tree
      local n=github.com/projectcalico/calico/node
      # the stamps of node/Makefile's LDFLAGS; calico-node -v prints the first
      [[ -x $d/calico-node ]] || go_build "$CALICO_TREE" "$d/calico-node" ./node/cmd/calico-node \
        "-X $n/pkg/lifecycle/startup.VERSION=$CALICO_VERSION -X $n/buildinfo.GitVersion=$CALICO_VERSION -X $n/buildinfo.GitRevision=$CALICO_COMMIT -X $n/buildinfo.BuildDate=1970-01-01T00:00:00Z"
      # mountns is cgo only (a C constructor calls setns before the Go runtime starts)
      [[ -x $d/mountns ]] || CGO=1 go_build "$CALICO_TREE" "$d/mountns" ./node/cmd/mountns
      [[ -x $d/node-fs ]] || stage_dir "$d/node-fs" node_fs ;;
    calico-cni)
      needs "$d" calico install licenses || return 0
      calico_tree
      local cmd
      for cmd in calico install; do
        [[ -x $d/$cmd ]] || go_build "$CALICO_TREE" "$d/$cmd" "./cni-plugin/cmd/$cmd" "-X main.VERSION=$CALICO_VERSION"
      done
      [[ -x $d/licenses ]] || stage_dir "$d/licenses" cp "$CALICO_TREE/cni-plugin/LICENSE" ;;
    calico-kube-controllers)
      needs "$d" kube-controllers check-status wrapper licenses || return 0
      calico_tree
      local cmd
      for cmd in kube-controllers check-status wrapper; do
        [[ -x $d/$cmd ]] || go_build "$CALICO_TREE" "$d/$cmd" "./kube-controllers/cmd/$cmd" "-X main.VERSION=$CALICO_VERSION"
      done
      [[ -x $d/licenses ]] || stage_dir "$d/licenses" cp "$CALICO_TREE/kube-controllers/LICENSE" ;;
    bird)
      needs "$d" bird bird6 birdcl birdcl6 included-source || return 0
      # the binaries as one step (both configure runs share the tree), then the source beside them
      needs "$d" bird bird6 birdcl birdcl6 && { stage_dir "$d/.bird" bird_build; mv "$d"/.bird/* "$d/"; rm -rf "$d/.bird"; }
      [[ -x $d/included-source ]] || stage_dir "$d/included-source" cp "$(cairn_sources)/bird-$BIRD_COMMIT.tar.gz" ;;
    runit)
      needs "$d" "${RUNIT_CMDS[@]}" licenses || return 0
      local deb cmd x=$WORK_DIR/runit-$RUNIT_DEB_VERSION
      deb=$(runit_deb)
      rm -rf "$x"; dpkg-deb -x "$deb" "$x"
      mkdir -p "$d"
      for cmd in "${RUNIT_CMDS[@]}"; do
        cp "$x/usr/bin/$cmd" "$d/$cmd.tmp"; mv "$d/$cmd.tmp" "$d/$cmd"
      done
      rm -rf "$d/licenses"; mkdir -p "$d/licenses.tmp"
      cp "$x/usr/share/doc/runit/copyright" "$d/licenses.tmp/runit"; mv "$d/licenses.tmp" "$d/licenses"
      rm -rf "$x" ;;
  esac
  built=1
}

cni_kind() { case $1 in bridge|loopback|ptp|host-device|macvlan|ipvlan|vlan|dummy|tap) echo main ;;
                        host-local|static|dhcp) echo ipam ;; *) echo meta ;; esac; }

if [[ ${1:-} == --dir ]]; then   # --dir COMPONENT: where its binaries are
  (($# == 2)) || { echo "usage: build-cluster-binaries.sh --dir COMPONENT" >&2; exit 2; }
  bins "$2" >/dev/null && dir "$2"; exit
fi
all=(kubernetes etcd coredns flannel flannel-cni cni-plugins cri-tools pause echo
     calico-node calico-cni calico-kube-controllers bird runit)
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
command -v go >/dev/null || { echo "the Go toolchain is needed (Go >= 1.24; Calico's go.mod says 1.24.6)" >&2; exit 1; }
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
