# The facts the steps share and the helpers every fact line uses. HostFacts.SCRIPT is this, then
# each step's own fragment (steps/<step>.facts.sh, in plan order), then the end marker: every fact
# the steps decide from, in one round trip. Read-only, but for a cache of the Kubernetes
# binaries' version answers in /run/cairn/versions.
# Output: one key=value line per fact; values never contain newlines.
set -u
export LC_ALL=C PATH="$PATH:/usr/sbin:/sbin"
# below the host's own work: on a busy control plane, the API server and etcd go first
renice -n 10 -p $$ >/dev/null 2>&1 || true
# Every process costs ~0.1 s in an emulated guest, so the helpers below are bash builtins only.
# kv KEY VALUE: one line, the value's newlines turned into commas (a trailing one dropped)
kv() { local v=${2//$'\n'/,}; printf '%s=%s\n' "$1" "${v%,}"; }
# file_or VALUE FILE: the file's first line, or VALUE when it cannot be read
file_or() { local v; { read -r v < "$2"; } 2>/dev/null && printf '%s' "$v" || printf '%s' "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }

if [ -r /etc/os-release ]; then . /etc/os-release; fi
kv os.id "${ID:-unknown}"
kv os.like "${ID_LIKE:-}"
kv os.version "${VERSION_ID:-}"
kv arch "$(uname -m)"
kv uid "$EUID"
kv hostname "$(hostname 2>/dev/null || cat /etc/hostname)"
kv product_uuid "$(file_or "" /sys/class/dmi/id/product_uuid)"
# the NICs' hardware addresses (kubeadm wants them unique among the nodes): devices backed by
# hardware only (a "device" link in sysfs), never the virtual ones a CNI adds, which repeat on
# every node by design (Calico's tunl0 is 00:00:00:00, every cali* veth ee:ee:ee:ee:ee:ee)
kv macs "$(for d in /sys/class/net/*; do [ -e "$d/device" ] && file_or "" "$d/address" && echo; done |
  grep -xE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | grep -vx '00:00:00:00:00:00' | sort -u)"
kv cpus "$(nproc)"
kv mem_mb "$(awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo)"
kv addresses "$(ip -o addr show 2>/dev/null | awk '{print $4}' | cut -d/ -f1)"
kv listening "$( (ss -ltnH 2>/dev/null || true) | awk '{print $4}' | sed 's/.*://' | sort -un)"
kv cgroup "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"

# the units' states in one systemctl call (each call costs seconds on a slow host)
systemctl show -p Id,ActiveState,UnitFileState containerd.service kubelet.service firewalld.service 2>/dev/null |
  awk -F= 'function flush() { if (u != "") { print u ".active=" a; print u ".enabled=" e }; u = a = e = "" }
    /^$/ { flush(); next } $1 == "Id" { u = $2; sub(/[.]service$/, "", u) }
    $1 == "ActiveState" { a = $2 } $1 == "UnitFileState" { e = $2 } END { flush() }'
kv kubernetes.kubelet_conf "$(test -f /etc/kubernetes/kubelet.conf && echo present || echo absent)"
kv kubernetes.admin_conf "$(test -f /etc/kubernetes/admin.conf && echo present || echo absent)"
# what a kubeadm run that did not finish leaves: a join that failed while starting the kubelet
# leaves bootstrap-kubelet.conf (and a worker's ca.crt), which its next preflight refuses
kv kubernetes.leftovers "$(ls -d /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf /etc/kubernetes/manifests/*.yaml /var/lib/etcd/member 2>/dev/null)"

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

# facts of the swap-off step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv swap.active "$(awk 'NR > 1 {print $1}' /proc/swaps)"
kv swap.fstab "$(awk '$1 !~ /^#/ && $3 == "swap" {print $1}' /etc/fstab 2>/dev/null)"
kv swap.units "$(systemctl list-units --type swap --all --plain --no-legend 2>/dev/null | awk '$2 != "masked" && $2 != "not-found" {print $1}')"

# facts of the kernel-modules step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for m in overlay br_netfilter; do
  if [ -d "/sys/module/$m" ] || grep -qw "^$m" /proc/modules; then kv "module.$m" loaded; else kv "module.$m" missing; fi
done
kv modules.persisted "$(cat /etc/modules-load.d/k8s.conf 2>/dev/null)"

# facts of the sysctl step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for s in net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward; do
  kv "sysctl.$s" "$(file_or missing "/proc/sys/${s//.//}")"
done
kv sysctl.persisted "$(grep -hE '^[a-z]' /etc/sysctl.d/k8s.conf 2>/dev/null | tr -d ' ')"

# facts of the selinux-firewall step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv selinux "$(getenforce 2>/dev/null || echo absent)"
kv firewall.ports "$(firewall-cmd --list-ports 2>/dev/null | tr " " "\n")"

# facts of the containerd step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
kv containerd.version "$(containerd --version 2>/dev/null | awk '{print $3}')"
kv containerd.systemd_cgroup "$(sed -n 's/^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*\([a-z]*\).*/\1/p' /etc/containerd/config.toml 2>/dev/null | sort -u)"
kv containerd.sandbox "$(sed -n "s/^[[:space:]]*\(sandbox_image\|sandbox\)[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\2/p" /etc/containerd/config.toml 2>/dev/null)"
kv containerd.config_path "$(sed -n "s/^[[:space:]]*config_path[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\1/p" /etc/containerd/config.toml 2>/dev/null | head -1)"
kv containerd.registries "$(for f in /etc/containerd/certs.d/*/hosts.toml; do
  if [ -f "$f" ] && grep -q '^# managed by cairn' "$f"; then printf '%s=%s\n' "$(basename "$(dirname "$f")")" "$(sha256sum <"$f" | cut -d' ' -f1)"; fi
done)"

# facts of the kubernetes-packages step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# the binaries themselves say which version they are; ask all three at once. A Go binary takes
# seconds to start on a slow host, so each answer is kept in /run (gone at reboot), keyed by the
# binary's path, inode, size, mtime and ctime: an upgrade replaces the file and changes the key.
t=$(mktemp -d)
vcache=${CAIRN_VERSION_CACHE:-/run/cairn/versions}
mkdir -p "$vcache" 2>/dev/null || true
# Only a binary that is itself the file (no launcher such as snap's, no wrapper of another name)
# is kept: its key then changes with what runs.
ask_version() {
  name=$1; shift
  bin=$(command -v "$name" 2>/dev/null) || return 0
  real=$(readlink -f "$bin" 2>/dev/null) && st=$(stat -c '%i:%s:%Y:%Z' "$real" 2>/dev/null) &&
    [ "${real##*/}" = "$name" ] || { "$@" >"$t/$name" 2>/dev/null; return 0; }
  key="$real $st"
  if [ "$(head -n 1 "$vcache/$name" 2>/dev/null)" = "$key" ]; then
    tail -n +2 "$vcache/$name" >"$t/$name"
  elif "$@" >"$t/$name" 2>/dev/null; then
    { printf '%s\n' "$key"; cat "$t/$name"; } 2>/dev/null >"$vcache/$name.$$" && mv -f "$vcache/$name.$$" "$vcache/$name" 2>/dev/null
  fi
  return 0
}
ask_version kubeadm kubeadm version -o short &
ask_version kubelet kubelet --version &
ask_version kubectl kubectl version --client &
wait
kv kubeadm.version "$(cat "$t/kubeadm" 2>/dev/null)"
kv kubelet.version "$(awk '{print $2}' "$t/kubelet" 2>/dev/null)"
kv kubectl.version "$(awk '/^Client Version/ {print $3}' "$t/kubectl" 2>/dev/null)"
rm -rf "$t"
if have apt-mark; then kv held "$(apt-mark showhold 2>/dev/null)";
elif have dnf; then kv held "$(dnf versionlock list 2>/dev/null | sed -n 's/^\(kube[a-z]*\)-[0-9].*/\1/p')"; fi

# facts of the certificates step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
for f in ca.crt ca.key front-proxy-ca.crt front-proxy-ca.key etcd/ca.crt etcd/ca.key sa.key sa.pub; do
  p=/etc/kubernetes/pki/$f
  if [ -f "$p" ]; then kv "pki.$f" "$(sha256sum <"$p" | cut -d' ' -f1):$(stat -c %a "$p")"; else kv "pki.$f" absent; fi
done

# facts of the upgrade-source step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# The version whose kubeadm, kubelet and kubectl the host's package source was last seen to offer
# (kept in /run: after a reboot the source is asked again).
kv upgrade.source "$(file_or "" /run/cairn/upgrade-source)"

# facts of the kubeadm-upgrade step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# the version kubeadm upgrade last finished at on this host, written by the step's script
kv cairn.upgraded "$(cat /etc/cairn/upgraded 2>/dev/null)"

# facts of the kubelet-upgrade step (a fragment of HostFacts.SCRIPT; kv, file_or and have come from facts.sh)
# whether the running kubelet started before its binary was last replaced (installed, not restarted);
# the binary's ctime, not its mtime: dpkg keeps the package's mtime
stale=no
started=$(systemctl show kubelet.service -p ExecMainStartTimestamp --value 2>/dev/null)
bin=$(command -v kubelet 2>/dev/null)
if [ -n "$started" ] && [ -n "$bin" ]; then
  s=$(date -d "$started" +%s 2>/dev/null || echo 0)
  c=$(stat -Lc %Z "$bin" 2>/dev/null || echo 0)
  if [ "$c" -gt "$s" ]; then stale=yes; fi
fi
kv kubelet.stale "$stale"

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
echo facts.end=ok
