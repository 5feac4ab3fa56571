set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
if command -v kubeadm >/dev/null 2>&1; then
  kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock
fi
rm -rf /etc/cni/net.d/*
rm -f /etc/cairn/member /etc/cairn/upgraded /etc/cairn/kubeadm*.yaml
if command -v iptables >/dev/null 2>&1; then
  iptables -F
  iptables -t nat -F
  iptables -t mangle -F
  iptables -X
fi
if command -v ip6tables >/dev/null 2>&1; then
  # a host without IPv6 tables has nothing there to flush
  ip6tables -F || true
  ip6tables -t nat -F || true
  ip6tables -t mangle -F || true
  ip6tables -X || true
fi
if command -v ipvsadm >/dev/null 2>&1; then
  ipvsadm --clear
fi
echo "cairn: host reset"
