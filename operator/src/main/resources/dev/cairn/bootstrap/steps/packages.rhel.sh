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
