set -euo pipefail
KUBE_VERSION='1.34.4'
KUBE_MINOR='1.34'
SOURCE='upstream'
MIRROR='http://mirror.example/apt$(reboot)`id`'\''"'
export DEBIAN_FRONTEND=noninteractive
if [ "$SOURCE" = mirror ]; then
  install -d -m 0755 /etc/apt/sources.list.d
  printf 'deb [trusted=yes] %s ./\n' "$MIRROR" > /etc/apt/sources.list.d/cairn-mirror.list
  ONLY_MIRROR=(-o Dir::Etc::sourcelist=/etc/apt/sources.list.d/cairn-mirror.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0)
  pkg_refresh() { apt-get "${ONLY_MIRROR[@]}" update -qq; }
  pkg_install() { apt-get "${ONLY_MIRROR[@]}" install -y -qq -o Dpkg::Options::=--force-confold --allow-downgrades --allow-change-held-packages "$@"; }
else
  pkg_refresh() { apt-get update -qq; }
  pkg_install() { apt-get install -y -qq -o Dpkg::Options::=--force-confold --allow-downgrades --allow-change-held-packages "$@"; }
fi
pkg_hold() { apt-mark hold "$@" >/dev/null; }
# pkg_available NAME VERSION: the refreshed package lists offer NAME at VERSION (a Debian revision after it)
pkg_available() { apt-cache madison "$1" 2>/dev/null | awk -F'|' -v v="$2-" '{gsub(/ /, "", $2)} index($2, v) == 1 {f = 1} END {exit !f}'; }
# the upstream repository of Kubernetes $KUBE_MINOR (pkgs.k8s.io has one per minor), for packages.source upstream
if [ "$SOURCE" = upstream ]; then
  install -d -m 0755 /etc/apt/keyrings
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/deb/"
  if ! grep -qsF "$repo" /etc/apt/sources.list.d/kubernetes.list; then
    curl -fsSL "${repo}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] $repo /" > /etc/apt/sources.list.d/kubernetes.list
  fi
fi
pkg_refresh
pkg_install "kubelet=$KUBE_VERSION-*" "kubeadm=$KUBE_VERSION-*" "kubectl=$KUBE_VERSION-*"
pkg_hold kubelet kubeadm kubectl
systemctl enable kubelet >/dev/null 2>&1
