# Sourced (not run) by the scripts that fetch from Debian (debootstrap, a .deb): the host's own apt
# sources, so a site's own mirror is used where it has one.
# host_uris [FILE...]: every URI of the apt sources (default: the host's): deb822 "URIs:" lines
# (each URI of them) and one-line "deb" entries, whose options ("deb [arch=amd64 signed-by=...] URI
# suite ...") are skipped.
host_uris() {
  if (($#)); then cat "$@"; else cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list; fi 2>/dev/null | awk '
    /^URIs:/ { for (i = 2; i <= NF; i++) print $i; next }
    /^deb[ \t]/ {
      i = 2
      if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if (i <= NF) print $i
    }' || true
}
# host_mirror: the host's Debian mirror, its first source that is not the security archive (empty
# when it has none; each caller says what then)
host_mirror() { host_uris "$@" | awk '!/security/' | head -n1 || true; }
