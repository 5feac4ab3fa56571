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
put '/etc/kubernetes/pki/ca.crt' 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSWNlcnQKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo='
put '/etc/kubernetes/pki/ca.key' 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUVzZWNyZXRDQWtleQotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg=='
put '/etc/kubernetes/pki/etcd/ca.crt' 'ZXRjZCBjZXJ0'
put '/etc/kubernetes/pki/etcd/ca.key' 'ZXRjZCBrZXk='
put '/etc/kubernetes/pki/front-proxy-ca.crt' 'cHJveHkgY2VydA=='
put '/etc/kubernetes/pki/front-proxy-ca.key' 'cHJveHkga2V5'
put '/etc/kubernetes/pki/sa.pub' 'c2EgcHVi'
put '/etc/kubernetes/pki/sa.key' 'c2Ega2V5'
rm -rf '/etc/cairn/patches'
put '/etc/cairn/kubeadm-join.yaml' 'a2luZDogSk9JTl9DT05UUk9MX1BMQU5FCmFkdmVydGlzZTogMTkyLjE2OC41Ni4zMAo='
kubeadm join --config /etc/cairn/kubeadm-join.yaml
install -d -m 0755 /etc/cairn
printf '%s\n' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' > /etc/cairn/member
