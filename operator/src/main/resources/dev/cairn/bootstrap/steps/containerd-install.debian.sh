if ! command -v containerd >/dev/null; then
  pkg_refresh
  pkg_install containerd
fi
