#!/usr/bin/env bash
# Builds the container images of the offline end-to-end cluster without a container engine: the
# binaries of scripts/build-cluster-binaries.sh, packed by testbed/oci-image.py into one OCI image
# layout that skopeo pushes to the testbed registry (testbed/registry.sh).
#
# Each Kubernetes release of the lab (KUBE_LAB_VERSIONS of scripts/versions.env: the e2e creates
# its cluster at the first and upgrades it to the second) has its own set, with the etcd, CoreDNS
# and pause tags that release's kubeadm names (release_images in scripts/versions.env):
#   static images (empty base + /etc/passwd, /etc/group, /etc/nsswitch.conf, /tmp):
#     k8s/kube-apiserver, kube-controller-manager, kube-scheduler :VERSION   /usr/local/bin/NAME
#     k8s/etcd:3.6.8-0 (/usr/local/bin/etcd)   k8s/coredns:COREDNS (/coredns)
#     k8s/pause:PAUSE (/pause)                 k8s/echo:test (/echo: the test workload, once)
#   on a Debian bookworm base (iptables, conntrack, ipset, iproute2 and a shell, made by debootstrap):
#     k8s/kube-proxy:VERSION (/usr/local/bin/kube-proxy, what kubeadm's DaemonSet runs)
#     k8s/flannel-io/flannel:$FLANNEL_VERSION (/opt/bin/flanneld, /opt/bin/install-conf)
#     k8s/flannel-io/flannel-cni-plugin:<the manifest's tag> (/flannel, which an init container
#       copies to /opt/cni/bin: containernetworking/plugins $FLANNEL_CNI_VERSION's flannel plugin,
#       a stand-in for flannel-io/cni-plugin, see scripts/versions.env)
#     k8s/calico/node:$CALICO_VERSION (calico-node, mountns, BIRD, runit's runsvdir/runsv/sv/svlogd/
#       chpst in /usr/bin; node/filesystem's rc.local, runit services and start_runit; confd's
#       templates; CMD start_runit, SVDIR=/etc/service/enabled, as upstream's node/Dockerfile.amd64)
#   static:
#     k8s/calico/cni:$CALICO_VERSION (/opt/cni/bin: calico, calico-ipam -> calico, install, and the
#       lab's host-local portmap loopback tuning; CMD /opt/cni/bin/install, as cni-plugin/Dockerfile)
#     k8s/calico/kube-controllers:$CALICO_VERSION (/usr/bin: kube-controllers check-status wrapper;
#       /status and /profiles files owned by 999; USER 999:999; as kube-controllers/Dockerfile)
#   The two flannel names and tags are read from the image: lines of the manifest the operator
#   deploys (operator/src/main/resources/dev/cairn/cni/flannel/$FLANNEL_VERSION.yaml), less
#   their registry host, as the operator relocates them: <imageRepository>/flannel-io/flannel:TAG;
#   the three Calico ones likewise from the operator's calico/$CALICO_VERSION.yaml.
# Paths and entrypoints are the ones kubeadm's manifests (static pods, kube-proxy DaemonSet,
# CoreDNS Deployment) and flannel's manifest run.
#
# Usage: make-images.sh [base]        builds what is missing (base: only the Debian base layer)
#        make-images.sh --dir           prints the output directory, builds nothing
#        make-images.sh --check         builds nothing: exit 0 when all is made, else name what is not
#        make-images.sh --flannel-refs  the two flannel image refs it would make, builds nothing
#        make-images.sh --calico-refs   the three Calico image refs (node, cni, kube-controllers)
# Output: $CAIRN_CACHE/images (scripts/lib-cache.sh): oci/ (OCI layout; index refs "k8s/NAME:TAG")
# and images.tsv (ref, manifest digest, compressed size). Layers are built once per content; the
# Debian base once per recipe. Needs root (debootstrap). The binaries are
# build-cluster-binaries.sh's; debootstrap shares make-image.sh's .deb cache (cache/ in its --dir).
#   MIRROR            Debian mirror for debootstrap (default: the host's own apt source)
#   FLANNEL_MANIFEST  the flannel manifest whose images to make (default: the operator's, above)
#   CALICO_MANIFEST   the Calico manifest whose images to make (default: the operator's, above)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/versions.env"
. "$here/../scripts/lib-cache.sh"
IMG=$CAIRN_CACHE/images
ONLY=${1:-}    # "base": only the Debian base layer; --dir, --check, --flannel-refs, --calico-refs: see above
case $ONLY in
  --dir) echo "$IMG"; exit 0 ;;
  ""|base|--check|--flannel-refs|--calico-refs) ;;
  *) echo "usage: make-images.sh [base | --dir | --check | --flannel-refs | --calico-refs]" >&2; exit 2 ;;
esac
bins=$here/../scripts/build-cluster-binaries.sh
. "$here/../scripts/lib-debian.sh"
MIRROR=${MIRROR:-$(host_mirror)}
FLANNEL_MANIFEST=${FLANNEL_MANIFEST:-$here/../operator/src/main/resources/dev/cairn/cni/flannel/$FLANNEL_VERSION.yaml}
CALICO_MANIFEST=${CALICO_MANIFEST:-$here/../operator/src/main/resources/dev/cairn/cni/calico/$CALICO_VERSION.yaml}
die() { echo "make-images.sh: $*" >&2; exit 1; }

# manifest_paths MANIFEST: "PATH:TAG" of each image its image: lines name, once each, with the
# registry host dropped (a first path component with a dot or a colon, or localhost: what the
# operator replaces with its imageRepository)
manifest_paths() {
  local img
  while read -r img; do
    [[ $img == *@* ]] && die "$1: image by digest ($img) cannot be made here"
    [[ ${img%%/*} == *[.:]* || ${img%%/*} == localhost ]] && img=${img#*/}
    printf '%s\n' "$img"
  done < <(awk '$1 == "image:" || $1 == "-" && $2 == "image:" {print $NF}' "$1" | tr -d "\"'" | sort -u)
}

# flannel_refs: "k8s/PATH:TAG" of flanneld's and of the CNI plugin's image, one a line in that
# order, from the flannel manifest's image: lines
flannel_refs() {
  [[ -f $FLANNEL_MANIFEST ]] || die "no flannel manifest $FLANNEL_MANIFEST (FLANNEL_VERSION=$FLANNEL_VERSION)"
  local path paths flannel="" cni=""
  paths=$(manifest_paths "$FLANNEL_MANIFEST")
  for path in $paths; do
    case ${path%:*} in
      */flannel) flannel=k8s/$path ;;
      */flannel-cni-plugin) cni=k8s/$path ;;
      *) die "$FLANNEL_MANIFEST: unknown image $path" ;;
    esac
  done
  [[ -n $flannel && -n $cni ]] || die "$FLANNEL_MANIFEST: no flannel and flannel-cni-plugin image: lines"
  [[ ${flannel##*:} == "$FLANNEL_VERSION" ]] \
    || die "$FLANNEL_MANIFEST runs flannel ${flannel##*:}, scripts/versions.env builds $FLANNEL_VERSION"
  printf '%s\n' "$flannel" "$cni"
}
# calico_refs: "k8s/PATH:TAG" of calico/node's, calico/cni's and calico/kube-controllers' image, one
# a line in that order, from the Calico manifest's image: lines; each must be at CALICO_VERSION
calico_refs() {
  [[ -f $CALICO_MANIFEST ]] || die "no Calico manifest $CALICO_MANIFEST (CALICO_VERSION=$CALICO_VERSION)"
  local path paths node="" cni="" kc=""
  paths=$(manifest_paths "$CALICO_MANIFEST")
  for path in $paths; do
    [[ ${path##*:} == "$CALICO_VERSION" ]] \
      || die "$CALICO_MANIFEST runs $path, scripts/versions.env builds Calico $CALICO_VERSION"
    case ${path%:*} in
      */node) node=k8s/$path ;;
      */cni) cni=k8s/$path ;;
      */kube-controllers) kc=k8s/$path ;;
      *) die "$CALICO_MANIFEST: unknown image $path" ;;
    esac
  done
  [[ -n $node && -n $cni && -n $kc ]] || die "$CALICO_MANIFEST: no node, cni and kube-controllers image: lines"
  printf '%s\n' "$node" "$cni" "$kc"
}
if [[ $ONLY == --flannel-refs ]]; then flannel_refs; exit 0; fi   # what would be made, nothing built
if [[ $ONLY == --calico-refs ]]; then calico_refs; exit 0; fi

# --- the Debian base layer, for the images that run iptables or a shell
BASE_PKGS=iptables,conntrack,ipset,iproute2
base_recipe=$(printf '%s\n' "bookworm minbase $BASE_PKGS v1" | sha256sum | cut -c1-12)
BASE=$IMG/debian-base-$base_recipe.tar

# --check: builds nothing; exit 0 when the binaries, the base layer and every image are already
# made as they would be now, else name what is missing (exit 1)
# bins_of VERSION ARGS...: build-cluster-binaries.sh for that Kubernetes release (its etcd, CoreDNS
# and pause too); the components without a Kubernetes version are the same for every release
bins_of() { local v=$1; shift; KUBE_VERSION=$v "$bins" "$@"; }
read -ra lab_versions <<< "$KUBE_LAB_VERSIONS"
if [[ $ONLY == --check ]]; then
  rc=0
  for v in "${lab_versions[@]}"; do bins_of "$v" --check || rc=1; done
  [[ -f $BASE ]] || { echo "debian base layer $BASE missing"; rc=1; }
else
  mkdir -p "$IMG"
  if [[ $ONLY != base ]]; then
    for v in "${lab_versions[@]}"; do bins_of "$v" kubernetes etcd coredns pause; done
    "$bins" flannel flannel-cni echo cni-plugins calico-node calico-cni calico-kube-controllers bird runit
  fi
fi

if [[ ! -f $BASE && $ONLY != --check ]]; then
  [[ $(id -u) == 0 ]] || { echo "make-images.sh must run as root (debootstrap)" >&2; exit 1; }
  command -v debootstrap >/dev/null || "$here/host-deps.sh"
  t=$(date +%s)
  R=$IMG/base-rootfs
  debs=$("$here/make-image.sh" --dir)/cache
  rm -rf "$R"; mkdir -p "$debs"
  debootstrap --variant=minbase --cache-dir="$debs" --include="$BASE_PKGS" bookworm "$R" "$MIRROR" \
    > "$IMG/debootstrap.log" 2>&1 || { tail -20 "$IMG/debootstrap.log" >&2; exit 1; }
  chroot "$R" apt-get clean
  rm -rf "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* \
         "$R"/usr/share/locale/* "$R"/var/log/* "$R"/var/cache/debconf/*-old "$R"/etc/machine-id
  # containers get /dev, /proc, /sys, /etc/hosts, /etc/resolv.conf and /etc/hostname from the runtime
  rm -rf "$R"/dev/* "$R"/proc/* "$R"/sys/* "$R"/etc/hostname "$R"/etc/resolv.conf
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 --xattrs -C "$R" -cf "$BASE.tmp" .
  mv "$BASE.tmp" "$BASE"
  rm -rf "$R"
  echo "debian base layer: $(du -m "$BASE" | cut -f1) MB uncompressed in $(( $(date +%s) - t )) s"
fi

[[ $ONLY != base ]] || exit 0
flannel_dir=$("$bins" --dir flannel)
flannel_cni_dir=$("$bins" --dir flannel-cni)
echo_dir=$("$bins" --dir echo)
cni_plugins_dir=$("$bins" --dir cni-plugins)
calico_node_dir=$("$bins" --dir calico-node)
calico_cni_dir=$("$bins" --dir calico-cni)
calico_kc_dir=$("$bins" --dir calico-kube-controllers)
bird_dir=$("$bins" --dir bird)
runit_dir=$("$bins" --dir runit)
{ read -r flannel_ref; read -r flannel_cni_ref; } < <(flannel_refs)
[[ -n ${flannel_cni_ref:-} ]] || exit 1
{ read -r calico_node_ref; read -r calico_cni_ref; read -r calico_kc_ref; } < <(calico_refs)
[[ -n ${calico_kc_ref:-} ]] || exit 1
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# files_json SRCDIR DSTDIR NAME...: oci-image.py "files" entries, each ending in ",": SRCDIR/NAME
# at DSTDIR/NAME, 0755 when executable, else 0644; a NAME of "-" is every file under SRCDIR.
# For --check a missing file is still named (oci-image.py --check then finds the image not made).
files_json() {
  local src=$1 dst=$2 n; shift 2
  if [[ $* == - ]]; then set -- $(cd "$src" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort); fi
  for n; do
    [[ -f $src/$n || $ONLY == --check ]] || die "$src/$n missing"
    printf '["%s", "%s", "%s"],' "$src/$n" "${dst:+$dst/}$n" "$([[ -x $src/$n ]] && echo 0755 || echo 0644)"
  done
}
# calico_node_files: calico/node's own layer (never under bin/: the Debian base's bin is a link to
# usr/bin); node-fs holds etc/, usr/sbin/ and licenses/
calico_node_files() {
  local f
  f=$(files_json "$calico_node_dir" usr/bin calico-node mountns
      files_json "$bird_dir" usr/bin bird bird6 birdcl birdcl6
      files_json "$runit_dir" usr/bin runsvdir runsv sv svlogd chpst
      files_json "$runit_dir/licenses" licenses runit
      files_json "$bird_dir/included-source" included-source -
      files_json "$calico_node_dir/node-fs" "" -)
  printf '%s' "${f%,}"
}
# release_images_json VERSION: the image entries of one Kubernetes release, one a line, each ending
# in ","; an image two releases share (same tag, same binary: pause) is the same line, made once
release_images_json() {
  local KUBE_VERSION=$1 ETCD_IMAGE_VERSION COREDNS_VERSION PAUSE_VERSION k etcd_dir coredns_dir pause_dir etcd_tag
  read -r ETCD_IMAGE_VERSION COREDNS_VERSION PAUSE_VERSION < <(release_images "$KUBE_VERSION")
  k=$(bins_of "$KUBE_VERSION" --dir kubernetes)
  etcd_dir=$(bins_of "$KUBE_VERSION" --dir etcd)
  coredns_dir=$(bins_of "$KUBE_VERSION" --dir coredns)
  pause_dir=$(bins_of "$KUBE_VERSION" --dir pause)
  etcd_tag=${ETCD_IMAGE_VERSION#v}-0
cat <<JSON
  {"ref": "k8s/kube-apiserver:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-apiserver", "usr/local/bin/kube-apiserver", "0755"]]}], "config": {"Entrypoint": ["/usr/local/bin/kube-apiserver"]}},
  {"ref": "k8s/kube-controller-manager:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-controller-manager", "usr/local/bin/kube-controller-manager", "0755"]]}], "config": {"Entrypoint": ["/usr/local/bin/kube-controller-manager"]}},
  {"ref": "k8s/kube-scheduler:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-scheduler", "usr/local/bin/kube-scheduler", "0755"]]}], "config": {"Entrypoint": ["/usr/local/bin/kube-scheduler"]}},
  {"ref": "k8s/kube-proxy:$KUBE_VERSION", "layers": ["debian-base", {"files": [["$k/kube-proxy", "usr/local/bin/kube-proxy", "0755"]]}], "config": {"Entrypoint": ["/usr/local/bin/kube-proxy"]}},
  {"ref": "k8s/etcd:$etcd_tag", "layers": ["static-base", {"files": [["$etcd_dir/etcd", "usr/local/bin/etcd", "0755"]], "dirs": [["var/lib/etcd", "0700"]]}], "config": {"Entrypoint": ["/usr/local/bin/etcd"]}},
  {"ref": "k8s/coredns:$COREDNS_VERSION", "layers": ["static-base", {"files": [["$coredns_dir/coredns", "coredns", "0755"]]}], "config": {"Entrypoint": ["/coredns"], "ExposedPorts": {"53/tcp": {}, "53/udp": {}}}},
  {"ref": "k8s/pause:$PAUSE_VERSION", "layers": ["static-base", {"files": [["$pause_dir/pause", "pause", "0755"]]}], "config": {"Entrypoint": ["/pause"], "User": "65535:65535"}},
JSON
}
# spec: what oci-image.py makes, as JSON
spec() {
cat <<JSON
{
 "layers": {
  "static-base": {
   "dirs": [["tmp", "1777"], ["etc", "0755"], ["var/run", "0755"], ["root", "0700"]],
   "text": [["etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", "0644"],
            ["etc/group", "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n", "0644"],
            ["etc/nsswitch.conf", "hosts: files dns\n", "0644"]]
  },
  "debian-base": {"tar": "$BASE"}
 },
 "images": [
$(for v in "${lab_versions[@]}"; do release_images_json "$v"; done | awk '!seen[$0]++')
  {"ref": "$flannel_ref", "layers": ["debian-base", {"files": [["$flannel_dir/flanneld", "opt/bin/flanneld", "0755"], ["$flannel_dir/install-conf", "opt/bin/install-conf", "0755"]]}],
   "config": {"Entrypoint": ["/opt/bin/flanneld"]}},
  {"ref": "$flannel_cni_ref", "layers": ["debian-base", {"files": [["$flannel_cni_dir/flannel", "flannel", "0755"]]}],
   "config": {"Cmd": ["/bin/sh"]}},
  {"ref": "k8s/echo:test", "layers": ["static-base", {"files": [["$echo_dir/echo", "echo", "0755"]]}],
   "config": {"Entrypoint": ["/echo"], "Cmd": ["serve", ":8080"], "User": "65532:65532"}},
  {"ref": "$calico_node_ref", "layers": ["debian-base", {"files": [$(calico_node_files)], "dirs": [["etc/calico/confd/config", "0755"]]}],
   "config": {"Cmd": ["start_runit"], "Env": ["PATH=$DEFAULT_PATH", "SVDIR=/etc/service/enabled"]}},
  {"ref": "$calico_cni_ref", "layers": ["static-base", {"files": [$(files_json "$calico_cni_dir" opt/cni/bin calico install
      files_json "$cni_plugins_dir" opt/cni/bin host-local portmap loopback tuning
      files_json "$calico_cni_dir/licenses" licenses LICENSE | sed 's/,$//')],
     "links": [["opt/cni/bin/calico-ipam", "calico"]]}],
   "config": {"Cmd": ["/opt/cni/bin/install"], "WorkingDir": "/opt/cni/bin", "Env": ["PATH=/opt/cni/bin:$DEFAULT_PATH"]}},
  {"ref": "$calico_kc_ref", "layers": ["static-base", {"files": [$(files_json "$calico_kc_dir" usr/bin kube-controllers check-status wrapper
      files_json "$calico_kc_dir/licenses" licenses LICENSE | sed 's/,$//')],
     "dirs": [["status", "0755"], ["profiles", "0755"]],
     "text": [["status/status.json", "", "0644", "999:999"], ["profiles/mem.pprof", "", "0644", "999:999"], ["profiles/cpu.pprof", "", "0644", "999:999"]]}],
   "config": {"Entrypoint": ["/usr/bin/wrapper", "/usr/bin/kube-controllers"], "User": "999:999"}}
 ]
}
JSON
}
if [[ $ONLY == --check ]]; then
  python3 "$here/oci-image.py" --check "$IMG/oci" <(spec) || rc=1
  exit "$rc"
fi
spec > "$IMG/spec.json"
t=$(date +%s)
python3 "$here/oci-image.py" "$IMG/oci" "$IMG/spec.json" | tee "$IMG/images.tsv"
echo "images in $IMG/oci ($(du -sm "$IMG/oci" | cut -f1) MB) in $(( $(date +%s) - t )) s"
