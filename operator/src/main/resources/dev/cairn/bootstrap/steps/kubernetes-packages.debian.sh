pkg_refresh
pkg_install "kubelet=$KUBE_VERSION-*" "kubeadm=$KUBE_VERSION-*" "kubectl=$KUBE_VERSION-*"
pkg_hold kubelet kubeadm kubectl
systemctl enable kubelet >/dev/null 2>&1
