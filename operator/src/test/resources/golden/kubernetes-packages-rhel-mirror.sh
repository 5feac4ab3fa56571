set -euo pipefail
KUBE_VERSION='1.34.4'
KUBE_MINOR='1.34'
SOURCE='mirror'
MIRROR='http://mirror.example/apt$(reboot)`id`'\''"'
if [ "$SOURCE" = mirror ]; then
  cat > /etc/yum.repos.d/cairn-mirror.repo <<REPO
[cairn-mirror]
name=Cairn package mirror
baseurl=$MIRROR
enabled=1
gpgcheck=0
REPO
  pkg_refresh() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror makecache; }
  pkg_install() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror --disableexcludes=all install "$@"; }
  pkg_hold() { dnf -q -y install 'dnf-command(versionlock)' >/dev/null 2>&1 || true; dnf -q versionlock delete "$@" >/dev/null 2>&1 || true; dnf -q versionlock add "$@"; }
  pkg_available() { dnf -q --disablerepo='*' --enablerepo=cairn-mirror --disableexcludes=all list --showduplicates "$1-$2" >/dev/null 2>&1; }
else
  pkg_refresh() { dnf -q -y makecache; }
  pkg_install() { dnf -q -y --disableexcludes=kubernetes install "$@"; }
  pkg_hold() { :; }  # the kubernetes repo excludes its packages from upgrades
  pkg_available() { dnf -q --disableexcludes=kubernetes list --showduplicates "$1-$2" >/dev/null 2>&1; }
fi
# the upstream repository of Kubernetes $KUBE_MINOR (pkgs.k8s.io has one per minor), for packages.source upstream
if [ "$SOURCE" = upstream ]; then
  cat > /etc/yum.repos.d/kubernetes.repo <<REPO
[kubernetes]
name=Kubernetes
baseurl=https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/
enabled=1
gpgcheck=1
gpgkey=https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/repodata/repomd.xml.key
exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
REPO
fi
pkg_refresh
pkg_install "kubelet-$KUBE_VERSION" "kubeadm-$KUBE_VERSION" "kubectl-$KUBE_VERSION"
pkg_hold kubelet kubeadm kubectl
systemctl enable kubelet >/dev/null 2>&1
