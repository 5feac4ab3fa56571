# facts of the kubernetes-packages step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# the binaries themselves say which version they are; ask all three at once. A Go binary takes
# seconds to start on a slow host, so each answer is kept in /run (gone at reboot), keyed by the
# binary's path, inode, size, mtime and ctime: an upgrade replaces the file and changes the key.
t=$(mktemp -d)
vcache=${CAIRN_VERSION_CACHE:-/run/cairn/versions}
mkdir -p "$vcache" 2>/dev/null || true
# Only a binary that is itself the file (no launcher such as snap's, no wrapper of another name)
# is kept: its key then changes with what runs.
ask_version() {
  name=$1; shift
  bin=$(command -v "$name" 2>/dev/null) || return 0
  real=$(readlink -f "$bin" 2>/dev/null) && st=$(stat -c '%i:%s:%Y:%Z' "$real" 2>/dev/null) &&
    [ "${real##*/}" = "$name" ] || { "$@" >"$t/$name" 2>/dev/null; return 0; }
  key="$real $st"
  if [ "$(head -n 1 "$vcache/$name" 2>/dev/null)" = "$key" ]; then
    tail -n +2 "$vcache/$name" >"$t/$name"
  elif "$@" >"$t/$name" 2>/dev/null; then
    { printf '%s\n' "$key"; cat "$t/$name"; } 2>/dev/null >"$vcache/$name.$$" && mv -f "$vcache/$name.$$" "$vcache/$name" 2>/dev/null
  fi
  return 0
}
ask_version kubeadm kubeadm version -o short &
ask_version kubelet kubelet --version &
ask_version kubectl kubectl version --client &
wait
kv kubeadm.version "$(cat "$t/kubeadm" 2>/dev/null)"
kv kubelet.version "$(awk '{print $2}' "$t/kubelet" 2>/dev/null)"
kv kubectl.version "$(awk '/^Client Version/ {print $3}' "$t/kubectl" 2>/dev/null)"
rm -rf "$t"
if have apt-mark; then kv held "$(apt-mark showhold 2>/dev/null)";
elif have dnf; then kv held "$(dnf versionlock list 2>/dev/null | sed -n 's/^\(kube[a-z]*\)-[0-9].*/\1/p')"; fi
