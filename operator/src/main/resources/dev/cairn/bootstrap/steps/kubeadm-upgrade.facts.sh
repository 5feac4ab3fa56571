# facts of the kubeadm-upgrade step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# the version kubeadm upgrade last finished at on this host, written by the step's script
kv cairn.upgraded "$(cat /etc/cairn/upgraded 2>/dev/null)"
