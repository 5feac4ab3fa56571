if ! command -v containerd >/dev/null; then
  if [ "$SOURCE" = upstream ]; then
    dnf -q -y install dnf-plugins-core
    dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo
  fi
  pkg_refresh
  pkg_install containerd.io
fi
