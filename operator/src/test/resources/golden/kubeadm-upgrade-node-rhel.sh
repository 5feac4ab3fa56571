set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
MODE='node'
PATCHES_DIR='/etc/cairn/patches'
UPGRADE_CONFIG='---
apiVersion: "kubeadm.k8s.io/v1beta4"
kind: "UpgradeConfiguration"
apply:
  kubernetesVersion: "v1.35.1"
  certificateRenewal: true
  ignorePreflightErrors:
  - "CreateJob"
  patches:
    directory: "/etc/cairn/patches"
node:
  certificateRenewal: true
  patches:
    directory: "/etc/cairn/patches"
timeouts:
  controlPlaneComponentHealthCheck: "10m0s"
  upgradeManifests: "10m0s"
'
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
# the package lists refreshed, then every package of the target looked up in them before anything
# on this host changes: a source without one stops the upgrade here, with the host as it was
pkg_refresh
missing=""
for p in kubeadm kubelet kubectl; do
  pkg_available "$p" "$TO_BARE" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "the package source offers no$missing at $TO_BARE: nothing was changed on this host; add them to the source (or fix spec.packages) and the upgrade goes on" >&2
  exit 1
fi
# kubeadm at the target version first: kubeadm upgrades to its own version
pkg_install "kubeadm-$TO_BARE"
pkg_hold kubeadm
# kubeadm's UpgradeConfiguration: the target, the patches the node was initialised or joined with
# (so the upgraded static Pods keep them; an empty directory is none) and the Cluster's timeouts
install -d -m 0755 /etc/cairn
install -d -m 0700 "$PATCHES_DIR"
printf '%s\n' "$UPGRADE_CONFIG" > /etc/cairn/kubeadm-upgrade.yaml
if [ "$MODE" = apply ]; then
  # the cluster's own record says whether apply ran already for this version (on another control
  # plane, or here before the operator stopped): then this host needs only its own part
  current=$(kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get configmap kubeadm-config \
    -o jsonpath='{.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion:[[:space:]]*//p')
  if [ "$current" = "$TO" ]; then
    kubeadm upgrade node --config /etc/cairn/kubeadm-upgrade.yaml
  else
    kubeadm upgrade apply --yes --config /etc/cairn/kubeadm-upgrade.yaml
  fi
else
  kubeadm upgrade node --config /etc/cairn/kubeadm-upgrade.yaml
fi
printf '%s\n' "$TO" > /etc/cairn/upgraded.cairn-new
mv -f /etc/cairn/upgraded.cairn-new /etc/cairn/upgraded
