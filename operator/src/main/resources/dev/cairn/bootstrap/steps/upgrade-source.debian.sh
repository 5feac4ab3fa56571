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
