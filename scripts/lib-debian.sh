# Sourced (not run) by the scripts that fetch from Debian (debootstrap, a .deb): the host's own apt
# sources, so a site's own mirror is used where it has one.
# host_uris: every URI of the host's apt sources (deb822 "URIs:" lines and one-line "deb" entries)
host_uris() { cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | awk '/^URIs:/ {print $2} /^deb / {print $2}' || true; }
# host_mirror: the host's Debian mirror, its first source that is not the security archive (empty
# when it has none; each caller says what then)
host_mirror() { host_uris | awk '!/security/' | head -n1 || true; }
