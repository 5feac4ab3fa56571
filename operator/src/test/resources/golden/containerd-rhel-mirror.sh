set -euo pipefail
SANDBOX='registry.example/k8s/pause:3.10.1'
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
if ! command -v containerd >/dev/null; then
  if [ "$SOURCE" = upstream ]; then
    dnf -q -y install dnf-plugins-core
    dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo
  fi
  pkg_refresh
  pkg_install containerd.io
fi
CONFIG_PATH='/etc/containerd/certs.d'
KEEP='registry.example:5000 registry.example'
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
install -d -m 0755 '/etc/containerd/certs.d/registry.example:5000'
printf '%s' '# managed by cairn: spec.registries of the Cluster
server = "http://registry.example:5000"

[host."http://registry.example:5000"]
  capabilities = ["pull", "resolve"]
' > '/etc/containerd/certs.d/registry.example:5000/hosts.toml.cairn-new' && mv -f '/etc/containerd/certs.d/registry.example:5000/hosts.toml.cairn-new' '/etc/containerd/certs.d/registry.example:5000/hosts.toml'
install -d -m 0755 '/etc/containerd/certs.d/registry.example'
printf '%s' '# managed by cairn: spec.registries of the Cluster
server = "https://registry.example"

[host."https://registry.example"]
  capabilities = ["pull", "resolve"]
  skip_verify = true
' > '/etc/containerd/certs.d/registry.example/hosts.toml.cairn-new' && mv -f '/etc/containerd/certs.d/registry.example/hosts.toml.cairn-new' '/etc/containerd/certs.d/registry.example/hosts.toml'
