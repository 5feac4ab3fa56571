# the package lists refreshed, then every package of the target looked up in them before anything
# on this host changes: a source without one stops the upgrade here, with the host as it was
pkg_refresh
missing=""
for p in kubeadm kubelet kubectl; do
  pkg_available "$p" "$TO_BARE" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "the package source offers no$missing at $TO_BARE: nothing was changed on this host; add them to the source (or fix spec.packages) and the upgrade goes on" >&2
  exit 1
fi
