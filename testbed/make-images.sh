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
#   The two flannel names and tags are read from the image: lines of the manifest the operator
#   deploys (operator/src/main/resources/dev/cairn/cni/flannel/$FLANNEL_VERSION.yaml), less
#   their registry host, as the operator relocates them: <imageRepository>/flannel-io/flannel:TAG.
# Paths and entrypoints are the ones kubeadm's manifests (static pods, kube-proxy DaemonSet,
# CoreDNS Deployment) and flannel's manifest run.
#
# Usage: make-images.sh [base]        builds what is missing (base: only the Debian base layer)
#        make-images.sh --dir           prints the output directory, builds nothing
#        make-images.sh --check         builds nothing: exit 0 when all is made, else name what is not
#        make-images.sh --flannel-refs  the two flannel image refs it would make, builds nothing
# Output: $CAIRN_CACHE/images (scripts/lib-cache.sh): oci/ (OCI layout; index refs "k8s/NAME:TAG")
# and images.tsv (ref, manifest digest, compressed size). Layers are built once per content; the
# Debian base once per recipe. Needs root (debootstrap). The binaries are
# build-cluster-binaries.sh's; debootstrap shares make-image.sh's .deb cache (cache/ in its --dir).
#   MIRROR            Debian mirror for debootstrap (default: the host's own apt source)
#   FLANNEL_MANIFEST  the flannel manifest whose images to make (default: the operator's, above)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/versions.env"
. "$here/../scripts/lib-cache.sh"
IMG=$CAIRN_CACHE/images
ONLY=${1:-}    # "base": only the Debian base layer; --dir, --check, --flannel-refs: see above
case $ONLY in
  --dir) echo "$IMG"; exit 0 ;;
  ""|base|--check|--flannel-refs) ;;
  *) echo "usage: make-images.sh [base | --dir | --check | --flannel-refs]" >&2; exit 2 ;;
esac
bins=$here/../scripts/build-cluster-binaries.sh
host_uris() { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | awk '/^URIs:/ {print $2} /^deb / {print $2}' || true; }
MIRROR=${MIRROR:-$(host_uris | awk '!/security/' | head -n1)}
FLANNEL_MANIFEST=${FLANNEL_MANIFEST:-$here/../operator/src/main/resources/dev/cairn/cni/flannel/$FLANNEL_VERSION.yaml}
die() { echo "make-images.sh: $*" >&2; exit 1; }

# flannel_refs: "k8s/PATH:TAG" of flanneld's and of the CNI plugin's image, one a line in that
# order, from the manifest's image: lines with the registry host dropped (a first path component
# with a dot or a colon, or localhost: what the operator replaces with its imageRepository)
flannel_refs() {
  [[ -f $FLANNEL_MANIFEST ]] || die "no flannel manifest $FLANNEL_MANIFEST (FLANNEL_VERSION=$FLANNEL_VERSION)"
  local img path flannel="" cni=""
  while read -r img; do
    [[ $img == *@* ]] && die "$FLANNEL_MANIFEST: image by digest ($img) cannot be made here"
    path=$img
    [[ ${img%%/*} == *[.:]* || ${img%%/*} == localhost ]] && path=${img#*/}
    case ${path%:*} in
      */flannel) flannel=k8s/$path ;;
      */flannel-cni-plugin) cni=k8s/$path ;;
      *) die "$FLANNEL_MANIFEST: unknown image $img" ;;
    esac
  done < <(awk '$1 == "image:" || $1 == "-" && $2 == "image:" {print $NF}' "$FLANNEL_MANIFEST" | tr -d "\"'" | sort -u)
  [[ -n $flannel && -n $cni ]] || die "$FLANNEL_MANIFEST: no flannel and flannel-cni-plugin image: lines"
  [[ ${flannel##*:} == "$FLANNEL_VERSION" ]] \
    || die "$FLANNEL_MANIFEST runs flannel ${flannel##*:}, scripts/versions.env builds $FLANNEL_VERSION"
  printf '%s\n' "$flannel" "$cni"
}
if [[ $ONLY == --flannel-refs ]]; then flannel_refs; exit 0; fi   # what would be made, nothing built

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
    "$bins" flannel flannel-cni echo
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
{ read -r flannel_ref; read -r flannel_cni_ref; } < <(flannel_refs)
[[ -n ${flannel_cni_ref:-} ]] || exit 1
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
   "config": {"Entrypoint": ["/echo"], "Cmd": ["serve", ":8080"], "User": "65532:65532"}}
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
