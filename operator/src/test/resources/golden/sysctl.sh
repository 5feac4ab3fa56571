set -euo pipefail
install -d -m 0755 /etc/sysctl.d
cat > /etc/sysctl.d/k8s.conf <<'CONF'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
CONF
modprobe br_netfilter
sysctl -q -p /etc/sysctl.d/k8s.conf
