set -euo pipefail
setenforce 0 || true
sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
if systemctl is-active --quiet firewalld; then
  firewall-cmd -q --permanent --add-port=6443/tcp
  firewall-cmd -q --permanent --add-port=2379-2380/tcp
  firewall-cmd -q --permanent --add-port=10250/tcp
  firewall-cmd -q --permanent --add-port=10257/tcp
  firewall-cmd -q --permanent --add-port=10259/tcp
  firewall-cmd -q --reload
fi
