set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
MODE='apply'
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
pkg_install "kubeadm=$TO_BARE-*"
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
