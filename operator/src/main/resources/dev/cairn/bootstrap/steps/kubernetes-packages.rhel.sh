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
