pkg_refresh
pkg_install "kubelet-$TO_BARE" "kubectl-$TO_BARE"
pkg_hold kubelet kubectl
systemctl daemon-reload
systemctl restart kubelet
