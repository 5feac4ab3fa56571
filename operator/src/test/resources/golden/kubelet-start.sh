set -euo pipefail
systemctl enable kubelet >/dev/null 2>&1
systemctl restart kubelet
systemctl is-active --quiet kubelet
