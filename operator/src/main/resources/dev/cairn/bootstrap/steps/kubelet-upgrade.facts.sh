# facts of the kubelet-upgrade step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# whether the running kubelet started before its binary was last replaced (installed, not restarted);
# the binary's ctime, not its mtime: dpkg keeps the package's mtime
stale=no
started=$(systemctl show kubelet.service -p ExecMainStartTimestamp --value 2>/dev/null)
bin=$(command -v kubelet 2>/dev/null)
if [ -n "$started" ] && [ -n "$bin" ]; then
  s=$(date -d "$started" +%s 2>/dev/null || echo 0)
  c=$(stat -Lc %Z "$bin" 2>/dev/null || echo 0)
  if [ "$c" -gt "$s" ]; then stale=yes; fi
fi
kv kubelet.stale "$stale"
