set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
MODE='apply'
PATCHES_DIR='/etc/cairn/patches'
KUBE_MINOR='1.35'
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
# the upstream repository of Kubernetes $KUBE_MINOR (pkgs.k8s.io has one per minor), for packages.source upstream
if [ "$SOURCE" = upstream ]; then
  install -d -m 0755 /etc/apt/keyrings
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/deb/"
  if ! grep -qsF "$repo" /etc/apt/sources.list.d/kubernetes.list; then
    curl -fsSL "${repo}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] $repo /" > /etc/apt/sources.list.d/kubernetes.list
  fi
fi
# kubeadm at the target version first: kubeadm upgrades to its own version
pkg_refresh
pkg_install "kubeadm=$TO_BARE-*"
pkg_hold kubeadm
# the patches the node was initialised or joined with apply to the upgraded static Pods too
patches=()
if [ -n "$(ls -A "$PATCHES_DIR" 2>/dev/null)" ]; then patches=(--patches "$PATCHES_DIR"); fi
if [ "$MODE" = apply ]; then
  # the cluster's own record says whether apply ran already for this version (on another control
  # plane, or here before the operator stopped): then this host needs only its own part
  current=$(kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get configmap kubeadm-config \
    -o jsonpath='{.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion:[[:space:]]*//p')
  if [ "$current" = "$TO" ]; then
    kubeadm upgrade node "${patches[@]}"
  else
    kubeadm upgrade apply "$TO" --yes "${patches[@]}"
  fi
else
  kubeadm upgrade node "${patches[@]}"
fi
install -d -m 0755 /etc/cairn
printf '%s\n' "$TO" > /etc/cairn/upgraded.cairn-new
mv -f /etc/cairn/upgraded.cairn-new /etc/cairn/upgraded
