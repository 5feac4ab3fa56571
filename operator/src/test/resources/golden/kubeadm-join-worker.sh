set -euo pipefail
umask 077
export PATH="$PATH:/usr/sbin:/sbin"
put() {
  install -d -m 0755 "$(dirname "$1")"
  printf '%s' "$2" | base64 -d > "$1.cairn-new"
  chmod 0600 "$1.cairn-new"
  mv -f "$1.cairn-new" "$1"
}
if [ -n "$(ls -d /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf \
    /etc/kubernetes/manifests/*.yaml /var/lib/etcd/member 2>/dev/null)" ]; then
  echo "cairn: resetting what an unfinished kubeadm run left behind"
  kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock
  rm -rf /etc/cni/net.d/* /var/lib/etcd
fi
put '/etc/cairn/kubeadm-join.yaml' 'a2luZDogSk9JTl9XT1JLRVIKYWR2ZXJ0aXNlOiAxOTIuMTY4LjU2LjMwCg=='
kubeadm join --config /etc/cairn/kubeadm-join.yaml
install -d -m 0755 /etc/cairn
printf '%s\n' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' > /etc/cairn/member
