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
