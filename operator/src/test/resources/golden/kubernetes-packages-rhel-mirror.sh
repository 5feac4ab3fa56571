set -euo pipefail
KUBE_VERSION='1.34.4'
KUBE_MINOR='1.34'
MIRROR='http://mirror.example/apt$(reboot)`id`'\''"'
cat > /etc/yum.repos.d/cairn-mirror.repo <<REPO
[cairn-mirror]
name=Cairn package mirror
baseurl=$MIRROR
enabled=1
gpgcheck=0
REPO
pkg_refresh() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror makecache; }
pkg_install() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror --disableexcludes=all install "$@"; }
pkg_hold() { dnf -q -y install 'dnf-command(versionlock)' >/dev/null 2>&1 || true; dnf -q versionlock add "$@"; }
pkg_refresh
pkg_install "kubelet-$KUBE_VERSION" "kubeadm-$KUBE_VERSION" "kubectl-$KUBE_VERSION"
pkg_hold kubelet kubeadm kubectl
systemctl enable kubelet >/dev/null 2>&1
