# facts of the selinux-firewall step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv selinux "$(getenforce 2>/dev/null || echo absent)"
kv firewall.ports "$(firewall-cmd --list-ports 2>/dev/null | tr " " "\n")"
