#!/usr/bin/env bash
# Builds the container images of the offline end-to-end cluster without a container engine: the
# binaries of scripts/build-cluster-binaries.sh, packed by testbed/oci-image.py into one OCI image
# layout that skopeo pushes to the testbed registry (testbed/registry.sh).
#
#   static images (empty base + /etc/passwd, /etc/group, /etc/nsswitch.conf, /tmp):
#     k8s/kube-apiserver, kube-controller-manager, kube-scheduler :$KUBE_VERSION   /usr/local/bin/NAME
#     k8s/etcd:3.6.5-0 (/usr/local/bin/etcd)   k8s/coredns:$COREDNS_VERSION (/coredns)
#     k8s/pause:$PAUSE_VERSION (/pause)        k8s/echo:test (/echo: the test workload)
#   on a Debian bookworm base (iptables, conntrack, ipset, iproute2 and a shell, made by debootstrap):
#     k8s/kube-proxy:$KUBE_VERSION (/usr/local/bin/kube-proxy, what kubeadm's DaemonSet runs)
#     k8s/flannel:$FLANNEL_VERSION (/opt/bin/flanneld)
#     k8s/flannel-cni-plugin:$FLANNEL_CNI_VERSION (/flannel, copied to /opt/cni/bin by an init container)
# Paths and entrypoints are the ones kubeadm's manifests (static pods, kube-proxy DaemonSet,
# CoreDNS Deployment) and testbed/flannel.yaml run.
#
# Output: ~/.cache/cairn/images/oci (OCI layout; index refs "k8s/NAME:TAG") and images.tsv (ref,
# manifest digest, compressed size). Layers are built once per content; the Debian base once per
# recipe. Needs root (debootstrap).
#   CAIRN_TESTBED_DIR (default ~/.cache/cairn/testbed): shares make-image.sh's .deb cache
#   MIRROR            Debian mirror for debootstrap (default: the host's own apt source)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/versions.env"
CACHE=${CAIRN_CACHE:-$HOME/.cache/cairn}
DIR=${CAIRN_TESTBED_DIR:-$CACHE/testbed}
IMG=$CACHE/images
BIN=$CACHE/bin
host_uris() { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | awk '/^URIs:/ {print $2} /^deb / {print $2}' || true; }
MIRROR=${MIRROR:-$(host_uris | awk '!/security/' | head -n1)}
mkdir -p "$IMG"
ONLY=${1:-}    # "base": only the Debian base layer

[[ $ONLY == base ]] || "$here/../scripts/build-cluster-binaries.sh"

# --- the Debian base layer, for the images that run iptables or a shell
BASE_PKGS=iptables,conntrack,ipset,iproute2
base_recipe=$(printf '%s\n' "bookworm minbase $BASE_PKGS v1" | sha256sum | cut -c1-12)
BASE=$IMG/debian-base-$base_recipe.tar
if [[ ! -f $BASE ]]; then
  [[ $(id -u) == 0 ]] || { echo "make-images.sh must run as root (debootstrap)" >&2; exit 1; }
  command -v debootstrap >/dev/null || "$here/host-deps.sh"
  t=$(date +%s)
  R=$IMG/base-rootfs
  rm -rf "$R"; mkdir -p "$DIR/cache"
  debootstrap --variant=minbase --cache-dir="$DIR/cache" --include="$BASE_PKGS" bookworm "$R" "$MIRROR" \
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
k=$BIN/kubernetes-$KUBE_VERSION
echo_dir=$("$here/../scripts/build-cluster-binaries.sh" --dir echo)
etcd_tag=${ETCD_IMAGE_VERSION#v}-0
spec=$IMG/spec.json
cat > "$spec" <<JSON
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
  {"ref": "k8s/kube-apiserver:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-apiserver", "usr/local/bin/kube-apiserver", "0755"]]}],
   "config": {"Entrypoint": ["/usr/local/bin/kube-apiserver"]}},
  {"ref": "k8s/kube-controller-manager:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-controller-manager", "usr/local/bin/kube-controller-manager", "0755"]]}],
   "config": {"Entrypoint": ["/usr/local/bin/kube-controller-manager"]}},
  {"ref": "k8s/kube-scheduler:$KUBE_VERSION", "layers": ["static-base", {"files": [["$k/kube-scheduler", "usr/local/bin/kube-scheduler", "0755"]]}],
   "config": {"Entrypoint": ["/usr/local/bin/kube-scheduler"]}},
  {"ref": "k8s/kube-proxy:$KUBE_VERSION", "layers": ["debian-base", {"files": [["$k/kube-proxy", "usr/local/bin/kube-proxy", "0755"]]}],
   "config": {"Entrypoint": ["/usr/local/bin/kube-proxy"]}},
  {"ref": "k8s/etcd:$etcd_tag", "layers": ["static-base", {"files": [["$BIN/etcd-$ETCD_IMAGE_VERSION/etcd", "usr/local/bin/etcd", "0755"]], "dirs": [["var/lib/etcd", "0700"]]}],
   "config": {"Entrypoint": ["/usr/local/bin/etcd"]}},
  {"ref": "k8s/coredns:$COREDNS_VERSION", "layers": ["static-base", {"files": [["$BIN/coredns-$COREDNS_VERSION/coredns", "coredns", "0755"]]}],
   "config": {"Entrypoint": ["/coredns"], "ExposedPorts": {"53/tcp": {}, "53/udp": {}}}},
  {"ref": "k8s/pause:$PAUSE_VERSION", "layers": ["static-base", {"files": [["$BIN/pause-$PAUSE_VERSION/pause", "pause", "0755"]]}],
   "config": {"Entrypoint": ["/pause"], "User": "65535:65535"}},
  {"ref": "k8s/flannel:$FLANNEL_VERSION", "layers": ["debian-base", {"files": [["$BIN/flannel-$FLANNEL_VERSION/flanneld", "opt/bin/flanneld", "0755"]]}],
   "config": {"Entrypoint": ["/opt/bin/flanneld"]}},
  {"ref": "k8s/flannel-cni-plugin:$FLANNEL_CNI_VERSION", "layers": ["debian-base", {"files": [["$BIN/flannel-cni-$FLANNEL_CNI_VERSION/flannel", "flannel", "0755"]]}],
   "config": {"Cmd": ["/bin/sh"]}},
  {"ref": "k8s/echo:test", "layers": ["static-base", {"files": [["$echo_dir/echo", "echo", "0755"]]}],
   "config": {"Entrypoint": ["/echo"], "Cmd": ["serve", ":8080"], "User": "65532:65532"}}
 ]
}
JSON
t=$(date +%s)
python3 "$here/oci-image.py" "$IMG/oci" "$spec" | tee "$IMG/images.tsv"
echo "images in $IMG/oci ($(du -sm "$IMG/oci" | cut -f1) MB) in $(( $(date +%s) - t )) s"
