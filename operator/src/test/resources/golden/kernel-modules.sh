set -euo pipefail
install -d -m 0755 /etc/modules-load.d
printf 'overlay\nbr_netfilter\n' > /etc/modules-load.d/k8s.conf
modprobe overlay
modprobe br_netfilter
