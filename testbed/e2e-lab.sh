#!/usr/bin/env bash
# The lab of the offline end-to-end tests: two fresh Debian guests with the seed's two networks (a
# NAT NIC that reaches nothing, a host-only one for the cluster), an apt repository and a container
# registry on the host, and nothing installed on the guests. What
# happens to the guests next is the caller's: the operator's E2EIT (Cairn prepares the hosts and
# runs kubeadm) or testbed/e2e-smoke.sh (the same steps by hand).
#
# Usage: e2e-lab.sh COMMAND      (root for up, network, boot, down; artifacts when it must build)
#   artifacts  build or reuse every artifact (host-deps.sh, make-image.sh, make-repo.sh,
#              make-images.sh; all cached, see testbed/README.md); no network, no guests
#   warm       builds nothing: exit 0 when every artifact is already cached, else list what is
#              missing and exit 1 (CI: whether the end-to-end stage fits in its time)
#   up         artifacts, network, boot, then the env lines below. Idempotent: what is already up
#              is left as it is (a running guest too, whatever was done to it: down first for
#              fresh ones). Progress goes to stderr, the env lines alone to stdout.
#     network    lab-net.sh up (cairnbr0 10.78.0.1/24), the apt repository on http://10.78.0.1:8080/,
#                registry.sh up (10.78.0.1:5000, images pushed under k8s/)
#     boot       e2e-cp (10.78.0.11, CPUS=2, CP_MEM=3072) and e2e-w1 (10.78.0.12, W_CPUS=1,
#                W_MEM=2048, W_NICE=10: below the control plane on the host) in parallel, then on each: resolv.conf names 10.78.0.1 (no DNS server
#                there, so lookups are refused at once instead of timing out), and a check that
#                fails the boot unless eth1 holds the lab address and the one default route is
#                via 10.0.2.2 on eth0
#     the guests' networks (boot-vm.sh NET=nat+bridge), as the seed's VMs have them:
#       eth0  NAT: QEMU user-mode with restrict=on, DHCP 10.0.2.15/24 on BOTH guests, the default
#             route via 10.0.2.2 (set by the guest: QEMU's DHCP names no router under restrict=on).
#             restrict=on drops every connection the guest opens, inside QEMU:
#             the default route reaches nothing, and slirp's DNS (10.0.2.3) is not used
#       eth1  host-only: a tap on cairnbr0, static 10.78.0.11/24 or 10.78.0.12/24, no gateway: the
#             host, the other guest, the repository and the registry; ssh goes here
#     so whatever takes "the default-route interface's address" (kubeadm's advertise address,
#     the kubelet's node IP, a CNI's autodetection) gets 10.0.2.15, the same on both guests, unless
#     told the lab address
#   env        print the env lines (host keys only for guests that are up)
#   status     what is up; exit 0 when all of it is, 3 otherwise
#   down       stop the guests, the repository server, the registry, the bridge
#
# env lines (KEY=VALUE, one a line; the value runs to the end of the line):
#   CP_IP W_IP     the guests' addresses (host-only, eth1); ssh root@ with SSH_KEY
#   NAT_IP         the address of the guests' first NIC (eth0, NAT, the default route): 10.0.2.15 on
#                  both
#   REPO_URL       the flat apt repository ("deb [trusted=yes] $REPO_URL ./"): containerd, runc,
#                  kubeadm, kubelet, kubectl, cri-tools, kubernetes-cni
#   IMAGE_REPO     kubeadm's imageRepository and Cairn's spec.imageRepository (plain HTTP)
#   SSH_KEY        the private key the guests authorise for root and for the sudo user cairn
#   CP_HOST_KEY W_HOST_KEY   the guests' ed25519 host keys ("ssh-ed25519 AAAA…", no comment)
#   POD_SUBNET     the pod network flannel's manifest is rendered with
#   KUBE_PREVIOUS_VERSION KUBE_VERSION   the two Kubernetes releases of the lab (scripts/versions.env)
#   ETCD_IMAGE_TAG COREDNS_IMAGE_TAG     KUBE_VERSION's etcd and CoreDNS image tags
#
# Nothing leaves the machine: the guests reach only the host and each other (lab-net.sh), and
# nothing through their NAT NIC (restrict=on).
# State: each guest's boot-vm.sh --dir NAME; registry.sh --dir (the registry's, and the repository
# server's pid and log); the lock e2e-lab.lock in make-image.sh --dir.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/scripts/versions.env"
# make-repo.sh and make-images.sh hold both releases of KUBE_LAB_VERSIONS (scripts/versions.env)
CP_MEM=${CP_MEM:-3072} W_MEM=${W_MEM:-2048} CPUS=${CPUS:-2} W_CPUS=${W_CPUS:-1}
# The worker's QEMU runs below the control plane's on the host (nice 10): under TCG an emulated
# control plane needs every cycle of this machine's 2 cores, and an equal share for the worker
# (about 0.6 core for kubelet, containerd, flanneld, kube-proxy) starved it into timeouts.
W_NICE=${W_NICE:-10}
BOOT_WAIT=${BOOT_WAIT:-600}
HOST=10.78.0.1 CP_IP=10.78.0.11 W_IP=10.78.0.12
NAT_IP=10.0.2.15 NAT_GW=10.0.2.2   # QEMU user-mode's DHCP address and gateway (boot-vm.sh nat+bridge)
CP=e2e-cp W=e2e-w1
REGISTRY=$HOST:5000 REPO_URL=http://$HOST:8080
IMAGE_REPO=$REGISTRY/k8s
POD_SUBNET=10.244.0.0/16
# where things are, as their owners say
IMG=$("$here/make-image.sh" --dir)                        # the guest image and SSH_KEY
REPO=$("$here/make-repo.sh" --dir)
SRV=$("$here/registry.sh" --dir)
vm_dir() { "$here/boot-vm.sh" --dir "$1"; }
die() { echo "e2e-lab.sh: $*" >&2; exit 1; }
log() { echo "e2e-lab: $*" >&2; }

ssh_to() { local ip=$1; shift
  ssh -i "$IMG/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=15 \
      -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$ip" "$@"; }

# --- artifacts
artifacts() {
  "$here/host-deps.sh" && "$here/make-image.sh" && "$here/make-repo.sh" && "$here/make-images.sh"
}
warm() {
  local rc=0 out
  "$here/host-deps.sh" --check || rc=1
  out=$("$here/make-image.sh" --check) || { echo "$out"; rc=1; }
  "$here/make-repo.sh" --check >/dev/null || { echo "package repository $REPO missing or incomplete (make-repo.sh)"; rc=1; }
  "$here/make-images.sh" --check || rc=1
  if ((rc)); then echo "not warm: e2e-lab.sh artifacts builds what is missing"; else echo "warm: every artifact is cached"; fi
  return "$rc"
}

# --- the apt repository's HTTP server (python http.server, bound to the bridge address only)
repo_running() {
  local pidf=$SRV/repo-http.pid
  [[ -f $pidf ]] && tr '\0' ' ' < "/proc/$(cat "$pidf")/cmdline" 2>/dev/null | grep -q "http.server 8080 --bind $HOST"
}
repo_server() { # start|stop
  local pidf=$SRV/repo-http.pid
  case $1 in
    start)
      repo_running && return 0
      [[ -f $REPO/Packages ]] || die "no package repository in $REPO: e2e-lab.sh artifacts"
      mkdir -p "$SRV"
      if curl -s -o /dev/null --max-time 2 "$REPO_URL/"; then die "something else already serves $REPO_URL"; fi
      # the pid written is the server's own (exec), whether or not setsid had to fork
      setsid bash -c 'echo $$ > "$1"; exec python3 -m http.server 8080 --bind "$2" --directory "$3"' _ "$pidf" "$HOST" "$REPO" \
        > "$SRV/repo-http.log" 2>&1 < /dev/null 9>&- &
      for _ in $(seq 100); do
        curl -fs -o /dev/null --max-time 1 "$REPO_URL/Packages" && { log "apt repository on $REPO_URL/"; return 0; }
        sleep 0.1
      done
      cat "$SRV/repo-http.log" >&2; die "the repository server did not come up on $REPO_URL" ;;
    stop)
      if repo_running; then kill "$(cat "$pidf")"; log "repository server stopped"; fi
      rm -f "$pidf" ;;
  esac
}

network() {
  "$here/lab-net.sh" up >&2
  repo_server start
  "$here/registry.sh" up >&2 9>&-
}

# --- the guests
# vm_running NAME: its QEMU (boot-vm.sh's pidfile) is alive
vm_running() {
  local pidf; pidf=$(vm_dir "$1")/pid
  [[ -f $pidf ]] && tr '\0' ' ' < "/proc/$(cat "$pidf")/cmdline" 2>/dev/null | grep -q -- "-name $1 "
}
# guest NAME IP MEM CPUS NICE: boots it unless it is up; a guest whose boot never finished (no host
# key recorded) is stopped and booted again
guest() {
  local name=$1 ip=$2 mem=$3 cpus=$4 nice=$5
  if vm_running "$name" && [[ -s $(vm_dir "$name")/host_key.pub ]]; then
    ssh_to "$ip" true || die "$name is running but does not answer ssh on $ip: e2e-lab.sh down, then up"
    log "$name already up on $ip"
  else
    "$here/stop-vm.sh" "$name"
    NET=nat+bridge BRIDGE=cairnbr0 IP=$ip/24 MEM=$mem CPUS=$cpus NICE=$nice WAIT_TIMEOUT=$BOOT_WAIT \
      "$here/boot-vm.sh" "$name" >&2 9>&- || return 1
  fi
  # testbed only: the lab network has no DNS server; refused at once beats a resolver timeout
  ssh_to "$ip" "echo 'nameserver $HOST' > /etc/resolv.conf"
  check_nics "$name" "$ip"
}
# check_nics NAME IP: the lab address on eth1, the NAT address on eth0 (its DHCP lease may come
# after ssh, which is on eth1: waited for up to 60 s), and the one default route via eth0
check_nics() {
  local name=$1 ip=$2 out
  out=$(ssh_to "$ip" "/lib/systemd/systemd-networkd-wait-online -q -i eth0:routable --timeout=60;
    ip -4 -o addr show dev eth1; ip -4 -o addr show dev eth0; ip -4 route show default") \
    || die "$name: could not read its network over ssh"
  if ! { grep -q "eth1 .*inet $ip/24 " <<<"$out" && grep -q "eth0 .*inet $NAT_IP/24 " <<<"$out" &&
         [[ $(grep -c '^default ' <<<"$out") == 1 ]] && grep -q "^default via $NAT_GW dev eth0 " <<<"$out"; }; then
    printf '%s\n' "$out" >&2
    die "$name: expected eth1 $ip/24, eth0 $NAT_IP/24 and one default route via $NAT_GW dev eth0 (a guest booted otherwise: e2e-lab.sh down, then up)"
  fi
  log "$name: eth1 $ip/24, eth0 $NAT_IP/24, default via $NAT_GW dev eth0"
}
boot() {
  [[ -f $IMG/base.raw ]] || die "no guest image in $IMG: e2e-lab.sh artifacts"
  ip link show cairnbr0 >/dev/null 2>&1 || die "no bridge cairnbr0: e2e-lab.sh network"
  local r=0 p1 p2
  guest "$CP" "$CP_IP" "$CP_MEM" "$CPUS" 0 & p1=$!
  guest "$W" "$W_IP" "$W_MEM" "$W_CPUS" "$W_NICE" & p2=$!
  wait "$p1" || r=1
  wait "$p2" || r=1
  return "$r"
}

# --- what callers read
host_key() { # NAME: "TYPE BASE64" of the host key boot-vm.sh read from the guest
  awk 'NR == 1 {print $1, $2}' "$(vm_dir "$1")/host_key.pub"
}
env_lines() {
  echo "CP_IP=$CP_IP"
  echo "W_IP=$W_IP"
  echo "NAT_IP=$NAT_IP"
  echo "REPO_URL=$REPO_URL"
  echo "IMAGE_REPO=$IMAGE_REPO"
  echo "SSH_KEY=$IMG/id_ed25519"
  if vm_running "$CP" && [[ -s $(vm_dir "$CP")/host_key.pub ]]; then echo "CP_HOST_KEY=$(host_key "$CP")"; fi
  if vm_running "$W" && [[ -s $(vm_dir "$W")/host_key.pub ]]; then echo "W_HOST_KEY=$(host_key "$W")"; fi
  echo "POD_SUBNET=$POD_SUBNET"
  # the releases the repository and the registry hold: the cluster starts at the first and is
  # upgraded to the second, whose etcd and CoreDNS tags kubeadm upgrade moves to
  echo "KUBE_PREVIOUS_VERSION=$KUBE_PREVIOUS_VERSION"
  echo "KUBE_VERSION=$KUBE_VERSION"
  echo "ETCD_IMAGE_TAG=${ETCD_IMAGE_VERSION#v}-0"
  echo "COREDNS_IMAGE_TAG=$COREDNS_VERSION"
}

status() {
  local rc=0 name
  "$here/lab-net.sh" status || rc=3
  if repo_running; then echo "apt repository on $REPO_URL/ (pid $(cat "$SRV/repo-http.pid"))"; else echo "apt repository server not running"; rc=3; fi
  "$here/registry.sh" status || rc=3
  for name in "$CP" "$W"; do
    if vm_running "$name"; then
      local d; d=$(vm_dir "$name")
      echo "$name running (pid $(cat "$d/pid"), $(cat "$d/ssh_host" 2>/dev/null))"
    else
      echo "$name not running"; rc=3
    fi
  done
  return "$rc"
}

down() {
  "$here/stop-vm.sh" "$CP" "$W"
  repo_server stop
  "$here/registry.sh" down >&2
  "$here/lab-net.sh" down >&2
}

# up and down change shared state: one at a time (what they start must not inherit fd 9, or it
# would hold the lock for as long as it runs: hence the 9>&- above)
locked() {
  mkdir -p "$IMG"
  exec 9> "$IMG/e2e-lab.lock"
  flock -w 1800 9 || die "another e2e-lab.sh up/down holds $IMG/e2e-lab.lock"
}
as_root() { [[ $(id -u) == 0 ]] || die "$1 must run as root"; }

case ${1:-} in
  artifacts) artifacts ;;
  warm) warm ;;
  network) as_root network; locked; network ;;
  boot) as_root boot; locked; boot ;;
  up)
    as_root up; locked
    t=$(date +%s); artifacts >&2; log "artifacts $(( $(date +%s) - t )) s"
    t=$(date +%s); network; log "network $(( $(date +%s) - t )) s"
    t=$(date +%s); boot; log "boot $(( $(date +%s) - t )) s"
    env_lines ;;
  env) env_lines ;;
  status) status ;;
  down) as_root down; locked; down ;;
  *) die "usage: e2e-lab.sh artifacts|warm|up|down|status|env (up = artifacts, network, boot)" ;;
esac
