set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
KUBE_MINOR='1.35'
SOURCE='upstream'
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
# upstream: the target minor's repository is read beside the host's own (a repository given on
# the command line only), so the host's repositories stay as they are until its turn
if [ "$SOURCE" = upstream ]; then
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/"
  LOOK=(--repofrompath="cairn-next,$repo" --repo=cairn-next --setopt=cairn-next.gpgcheck=1
        --setopt=cairn-next.gpgkey="${repo}repodata/repomd.xml.key")
  pkg_refresh() { dnf -q -y "${LOOK[@]}" makecache; }
  pkg_available() { dnf -q "${LOOK[@]}" list --showduplicates "$1-$2" >/dev/null 2>&1; }
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
install -d -m 0755 /run/cairn && printf '%s\n' "$TO" > /run/cairn/upgrade-source
