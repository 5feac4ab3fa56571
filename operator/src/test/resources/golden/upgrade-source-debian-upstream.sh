set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
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
# upstream: the target minor's repository is read beside the host's own (its lists, key and
# cache in a directory of their own), so the host's sources stay as they are until its turn
if [ "$SOURCE" = upstream ]; then
  look=$(mktemp -d)
  trap 'rm -rf "$look"' EXIT
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/deb/"
  curl -fsSL "${repo}Release.key" | gpg --dearmor --yes -o "$look/key.gpg"
  echo "deb [signed-by=$look/key.gpg] $repo /" > "$look/sources.list"
  install -d "$look/lists/partial"
  LOOK=(-o Dir::Etc::sourcelist="$look/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$look/lists"
        -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  pkg_refresh() { apt-get "${LOOK[@]}" update -qq; }
  pkg_available() { apt-cache "${LOOK[@]}" madison "$1" 2>/dev/null | awk -F'|' -v v="$2-" '{gsub(/ /, "", $2)} index($2, v) == 1 {f = 1} END {exit !f}'; }
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
