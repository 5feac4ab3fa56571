# facts of the swap-off step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv swap.active "$(awk 'NR > 1 {print $1}' /proc/swaps)"
kv swap.fstab "$(awk '$1 !~ /^#/ && $3 == "swap" {print $1}' /etc/fstab 2>/dev/null)"
kv swap.units "$(systemctl list-units --type swap --all --plain --no-legend 2>/dev/null | awk '$2 != "masked" && $2 != "not-found" {print $1}')"
