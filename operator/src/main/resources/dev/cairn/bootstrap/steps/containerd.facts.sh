# facts of the containerd step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv containerd.version "$(containerd --version 2>/dev/null | awk '{print $3}')"
kv containerd.systemd_cgroup "$(sed -n 's/^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*\([a-z]*\).*/\1/p' /etc/containerd/config.toml 2>/dev/null | sort -u)"
kv containerd.sandbox "$(sed -n "s/^[[:space:]]*\(sandbox_image\|sandbox\)[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\2/p" /etc/containerd/config.toml 2>/dev/null)"
kv containerd.config_path "$(sed -n "s/^[[:space:]]*config_path[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\1/p" /etc/containerd/config.toml 2>/dev/null | head -1)"
kv containerd.registries "$(for f in /etc/containerd/certs.d/*/hosts.toml; do
  if [ -f "$f" ] && grep -q '^# managed by cairn' "$f"; then printf '%s=%s\n' "$(basename "$(dirname "$f")")" "$(sha256sum <"$f" | cut -d' ' -f1)"; fi
done)"
