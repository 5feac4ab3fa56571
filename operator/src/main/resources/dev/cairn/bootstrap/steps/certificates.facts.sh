# facts of the certificates step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for f in ca.crt ca.key front-proxy-ca.crt front-proxy-ca.key etcd/ca.crt etcd/ca.key sa.key sa.pub; do
  p=/etc/kubernetes/pki/$f
  if [ -f "$p" ]; then kv "pki.$f" "$(sha256sum <"$p" | cut -d' ' -f1):$(stat -c %a "$p")"; else kv "pki.$f" absent; fi
done
