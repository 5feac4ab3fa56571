# facts of the upgrade-source step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# The version whose kubeadm, kubelet and kubectl the host's package source was last seen to offer
# (kept in /run: after a reboot the source is asked again).
kv upgrade.source "$(file_or "" /run/cairn/upgrade-source)"
