# kubeadm at the target version first: kubeadm upgrades to its own version
pkg_install "kubeadm-$TO_BARE"
pkg_hold kubeadm
