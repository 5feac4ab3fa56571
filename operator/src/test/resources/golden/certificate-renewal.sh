set -euo pipefail
HEALTH_WAIT='600'
# kubeadm renews every certificate it issued (the CAs are Cairn's and stay), keeping each key, with
# the cluster's own configuration (its certificateValidityPeriod): read from the cluster first, so
# an API server that does not answer stops the renewal here rather than kubeadm falling back to
# its defaults (a year)
install -d -m 0755 /etc/cairn
kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout 60s -n kube-system get configmap kubeadm-config \
  -o jsonpath='{.data.ClusterConfiguration}' > /etc/cairn/cluster-configuration.yaml.new
if ! grep -q '^kind: ClusterConfiguration' /etc/cairn/cluster-configuration.yaml.new; then
  echo "the cluster's kubeadm-config has no ClusterConfiguration: nothing was renewed" >&2
  exit 1
fi
mv -f /etc/cairn/cluster-configuration.yaml.new /etc/cairn/cluster-configuration.yaml
kubeadm certs renew all --config /etc/cairn/cluster-configuration.yaml
# the control plane's static Pods read their certificates when they start: each is restarted and
# waited for in turn (etcd first, then the API server that talks to it), so one component at a time
# is away; crictl's own deadline (2 s) is far too short for a busy host
crictl() { command crictl --runtime-endpoint unix:///run/containerd/containerd.sock --timeout "${HEALTH_WAIT}s" "$@"; }
for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do
  old=$(crictl ps --name "^$c\$" --state running -q)
  if [ -z "$old" ]; then continue; fi
  crictl stop --timeout 30 $old >/dev/null
  deadline=$((SECONDS + HEALTH_WAIT))
  while :; do
    new=$(crictl ps --name "^$c\$" --state running -q)
    if [ -n "$new" ] && [ "$new" != "$old" ]; then break; fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$c did not run again within ${HEALTH_WAIT}s of its restart on the renewed certificates" >&2
      exit 1
    fi
    sleep 2
  done
done
# and the API server answers again, on its new certificate
deadline=$((SECONDS + HEALTH_WAIT))
until kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout 30s get --raw /readyz >/dev/null 2>&1; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "the API server was not ready within ${HEALTH_WAIT}s of its restart on the renewed certificates" >&2
    exit 1
  fi
  sleep 2
done
rm -f /run/cairn/certs
