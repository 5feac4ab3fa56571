set -euo pipefail
SANDBOX='registry.example/k8s/pause:3.10.1'
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
if ! command -v containerd >/dev/null; then
  pkg_refresh
  pkg_install containerd
fi
CONFIG_PATH=''
KEEP=''
install -d -m 0755 /etc/containerd
before=$(sha256sum /etc/containerd/config.toml 2>/dev/null || true)
if ! grep -qs 'SystemdCgroup' /etc/containerd/config.toml; then
  containerd config default > /etc/containerd/config.toml.cairn-new
  mv /etc/containerd/config.toml.cairn-new /etc/containerd/config.toml
fi
sandbox_sed=$(printf '%s' "$SANDBOX" | sed 's/[#&\\]/\\&/g')
sed -i -E \
  -e 's/^([[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*).*/\1true/' \
  -e "s#^([[:space:]]*sandbox_image[[:space:]]*=[[:space:]]*).*#\1\"$sandbox_sed\"#" \
  -e "s#^([[:space:]]*sandbox[[:space:]]*=[[:space:]]*).*#\1'$sandbox_sed'#" \
  /etc/containerd/config.toml
if [ -n "$CONFIG_PATH" ]; then
  sed -i -E "s#^([[:space:]]*config_path[[:space:]]*=[[:space:]]*).*#\1\"$CONFIG_PATH\"#" /etc/containerd/config.toml
fi
after=$(sha256sum /etc/containerd/config.toml)
systemctl enable containerd >/dev/null 2>&1
if [ "$before" != "$after" ] || ! systemctl is-active --quiet containerd; then
  systemctl restart containerd
fi
systemctl is-active --quiet containerd
# registries Cairn configured before that $KEEP (space-separated hosts) no longer names
for f in /etc/containerd/certs.d/*/hosts.toml; do
  [ -f "$f" ] && grep -q '^# managed by cairn' "$f" || continue
  h=$(basename "$(dirname "$f")")
  case " $KEEP " in *" $h "*) ;; *) rm -f "$f"; rmdir "$(dirname "$f")" 2>/dev/null || true ;; esac
done
