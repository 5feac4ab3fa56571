set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
MODE='node'
PATCHES_DIR='/etc/cairn/patches'
KUBE_MINOR='1.35'
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
else
  pkg_refresh() { dnf -q -y makecache; }
  pkg_install() { dnf -q -y --disableexcludes=kubernetes install "$@"; }
  pkg_hold() { :; }  # the kubernetes repo excludes its packages from upgrades
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
# kubeadm at the target version first: kubeadm upgrades to its own version
pkg_refresh
pkg_install "kubeadm-$TO_BARE"
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
