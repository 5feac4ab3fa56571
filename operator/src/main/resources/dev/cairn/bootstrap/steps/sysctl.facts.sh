# facts of the sysctl step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for s in net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward; do
  kv "sysctl.$s" "$(file_or missing "/proc/sys/${s//.//}")"
done
kv sysctl.persisted "$(grep -hE '^[a-z]' /etc/sysctl.d/k8s.conf 2>/dev/null | tr -d ' ')"
