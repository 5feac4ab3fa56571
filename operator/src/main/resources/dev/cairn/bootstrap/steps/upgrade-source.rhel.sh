# upstream: the target minor's repository is read beside the host's own (a repository given on
# the command line only), so the host's repositories stay as they are until its turn
if [ "$SOURCE" = upstream ]; then
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/"
  LOOK=(--repofrompath="cairn-next,$repo" --repo=cairn-next --setopt=cairn-next.gpgcheck=1
        --setopt=cairn-next.gpgkey="${repo}repodata/repomd.xml.key")
  pkg_refresh() { dnf -q -y "${LOOK[@]}" makecache; }
  pkg_available() { dnf -q "${LOOK[@]}" list --showduplicates "$1-$2" >/dev/null 2>&1; }
fi
