# facts of the kernel-modules step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for m in overlay br_netfilter; do
  if [ -d "/sys/module/$m" ] || grep -qw "^$m" /proc/modules; then kv "module.$m" loaded; else kv "module.$m" missing; fi
done
kv modules.persisted "$(cat /etc/modules-load.d/k8s.conf 2>/dev/null)"
