set -euo pipefail
SANDBOX='registry.example/k8s/pause:3.10.1'
MIRROR='http://mirror.example/apt$(reboot)`id`'\''"'
cat > /etc/yum.repos.d/cairn-mirror.repo <<REPO
[cairn-mirror]
name=Cairn package mirror
baseurl=$MIRROR
enabled=1
gpgcheck=0
REPO
pkg_refresh() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror makecache; }
pkg_install() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror --disableexcludes=all install "$@"; }
pkg_hold() { dnf -q -y install 'dnf-command(versionlock)' >/dev/null 2>&1 || true; dnf -q versionlock add "$@"; }
if ! command -v containerd >/dev/null; then
  pkg_refresh
  pkg_install containerd.io
fi
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
after=$(sha256sum /etc/containerd/config.toml)
systemctl enable containerd >/dev/null 2>&1
if [ "$before" != "$after" ] || ! systemctl is-active --quiet containerd; then
  systemctl restart containerd
fi
systemctl is-active --quiet containerd
