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
