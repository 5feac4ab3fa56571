set -euo pipefail
TO='v1.35.1'
TO_BARE='1.35.1'
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
pkg_refresh
pkg_install "kubelet=$TO_BARE-*" "kubectl=$TO_BARE-*"
pkg_hold kubelet kubectl
systemctl daemon-reload
systemctl restart kubelet
