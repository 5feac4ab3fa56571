# facts of the certificate-renewal step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# On a control plane: when each kubeadm certificate expires (cert.NAME=seconds since the epoch),
# and the host's own clock (certs.now), which is the one the certificates are checked against.
# openssl costs a process per file, so the answers are kept in /run/cairn/certs and read again
# while no file changed (the key is every file's name and mtime).
if [ -f /etc/kubernetes/pki/apiserver.crt ]; then
  kv certs.now "$(printf '%(%s)T' -1)"
  files=()
  for f in /etc/kubernetes/pki/{apiserver,apiserver-kubelet-client,front-proxy-client,apiserver-etcd-client}.crt \
           /etc/kubernetes/pki/etcd/{server,peer,healthcheck-client}.crt \
           /etc/kubernetes/{admin,super-admin,controller-manager,scheduler}.conf; do
    if [ -f "$f" ]; then files+=("$f"); fi
  done
  key=$(stat -c '%n:%Y' "${files[@]}" 2>/dev/null)
  key=${key//$'\n'/ }
  cached=""
  if [ -r /run/cairn/certs ]; then
    mapfile -t lines < /run/cairn/certs
    if [ "${lines[0]:-}" = "key=$key" ]; then printf -v cached '%s\n' "${lines[@]:1}"; cached=${cached%$'\n'}; fi
  fi
  if [ -z "$cached" ]; then
    if have openssl; then
      cached=$(for f in "${files[@]}"; do
        case $f in
          */etcd/*.crt) name=etcd-$(basename "$f" .crt) ;;
          *.crt) name=$(basename "$f" .crt) ;;
          *) name=$(basename "$f") ;;
        esac
        case $f in
          *.crt) end=$(openssl x509 -noout -enddate -in "$f" 2>/dev/null) ;;
          *) end=$(sed -n 's/^[[:space:]]*client-certificate-data:[[:space:]]*//p' "$f" | base64 -d 2>/dev/null |
                   openssl x509 -noout -enddate 2>/dev/null) ;;
        esac
        if [ -n "$end" ]; then kv "cert.$name" "$(date -d "${end#notAfter=}" +%s)"; else kv "cert.$name" unreadable; fi
      done)
      if install -d -m 0755 /run/cairn 2>/dev/null; then
        printf 'key=%s\n%s\n' "$key" "$cached" > /run/cairn/certs.new && mv -f /run/cairn/certs.new /run/cairn/certs
      fi
    else
      cached="certs.error=openssl is not installed: the certificates' expiry cannot be read"
    fi
  fi
  printf '%s\n' "$cached"
fi
