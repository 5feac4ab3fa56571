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
