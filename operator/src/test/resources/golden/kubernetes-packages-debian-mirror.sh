set -euo pipefail
KUBE_VERSION='1.34.4'
KUBE_MINOR='1.34'
export DEBIAN_FRONTEND=noninteractive
MIRROR='http://mirror.example/apt$(reboot)`id`'\''"'
install -d -m 0755 /etc/apt/sources.list.d
printf 'deb [trusted=yes] %s ./\n' "$MIRROR" > /etc/apt/sources.list.d/cairn-mirror.list
ONLY_MIRROR=(-o Dir::Etc::sourcelist=/etc/apt/sources.list.d/cairn-mirror.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0)
pkg_refresh() { apt-get "${ONLY_MIRROR[@]}" update -qq; }
pkg_install() { apt-get "${ONLY_MIRROR[@]}" install -y -qq -o Dpkg::Options::=--force-confold --allow-downgrades --allow-change-held-packages "$@"; }
pkg_hold() { apt-mark hold "$@" >/dev/null; }
pkg_refresh
pkg_install "kubelet=$KUBE_VERSION-*" "kubeadm=$KUBE_VERSION-*" "kubectl=$KUBE_VERSION-*"
pkg_hold kubelet kubeadm kubectl
systemctl enable kubelet >/dev/null 2>&1
