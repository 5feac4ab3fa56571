# facts of the cluster-identity step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# the cluster a host belongs to: the CA inside its kubeconfigs, as SHA-256 of the certificate's DER
ca_of() {
  [ -f "$1" ] || { echo absent; return; }
  d=$(sed -n 's/^[[:space:]]*certificate-authority-data:[[:space:]]*//p' "$1" | head -n 1)
  [ -n "$d" ] || { echo unknown; return; }
  printf '%s' "$d" | base64 -d 2>/dev/null | sed '/^-----/d' | tr -d '\r\n ' | base64 -d 2>/dev/null | sha256sum | cut -d' ' -f1
}
kv kubernetes.admin_ca "$(ca_of /etc/kubernetes/admin.conf)"
kv kubernetes.kubelet_ca "$(ca_of /etc/kubernetes/kubelet.conf)"
kv cairn.member "$(cat /etc/cairn/member 2>/dev/null)"
