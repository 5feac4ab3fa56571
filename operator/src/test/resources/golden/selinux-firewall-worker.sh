set -euo pipefail
setenforce 0 || true
sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
if systemctl is-active --quiet firewalld; then
  firewall-cmd -q --permanent --add-port=10250/tcp
  firewall-cmd -q --permanent --add-port=30000-32767/tcp
  firewall-cmd -q --reload
fi
