#!/usr/bin/env bash
# Boots one test guest from the image of make-image.sh, on a throw-away qcow2 overlay, and waits
# for SSH. Guests reach only this machine.
#
# Usage: boot-vm.sh NAME         (parameters are environment variables)
#        boot-vm.sh --dir NAME   prints the guest's state directory, starts and creates nothing
#   the image is make-image.sh's (make-image.sh --dir), the state in vms/NAME/ beside it
#   NET=user           user: QEMU user-mode NIC, SSH on 127.0.0.1:$SSH_PORT, restrict=on (the guest
#                      can open no outbound connection) except $GUESTFWD
#                      bridge: tap on host-only bridge $BRIDGE (lab-net.sh) with static $IP
#                      nat+bridge: the seed's two NICs (a NAT one for the outside, a host-only one for
#                      the cluster), offline: eth0 QEMU user-mode with restrict=on, DHCP 10.0.2.15, the
#                      default route via 10.0.2.2 (which reaches nothing: restrict=on drops every
#                      outbound connection inside QEMU; and as QEMU's DHCP then names no router, the
#                      guest sets that route itself, testbed.dhcpgw=); eth1 a tap on $BRIDGE with static $IP and no
#                      gateway. SSH goes to $IP. kubeadm, the kubelet and CNIs that take "the
#                      default-route interface" pick eth0 here: 10.0.2.15, the same on every guest
#   SSH_PORT           user: host port forwarded to the guest's 22 (required for NET=user)
#   GUESTFWD           user: "GUESTIP:PORT-127.0.0.1:HOSTPORT,..." e.g. a package mirror on loopback
#   BRIDGE=cairnbr0 IP=10.77.0.11/24 GW=   bridge and nat+bridge modes (GW: bridge only)
#   MEM=1536 CPUS=2    guest size (kubeadm wants 2 CPUs and 1700 MB on control planes)
#   NICE=0             the guest's host scheduling priority (nice value of its QEMU, 0-19)
#   TB_MB=1024         QEMU's translated-code cache (MB). A kubeadm control plane runs more Go
#                      code than 256 MB of translations hold: at 256 the cache filled and was
#                      flushed every ~18 s (QEMU monitor "info jit": 123 flushes in 38 min), and
#                      everything hot was translated again
#   KARGS="clocksource=tsc tsc=reliable"   extra guest kernel arguments. Under TCG the kernel finds
#                      the vCPUs' TSCs "unsynchronized" and falls back to the HPET: every clock read
#                      (Go's scheduler and timers read it all the time) is then a syscall and an
#                      emulated MMIO access. Measured in a guest: time.Now 3.4 us on hpet, 0.35 us
#                      on tsc. QEMU's TCG TSC is one host clock for all vCPUs, so it is reliable.
#   CPU_MODEL=max      QEMU's -cpu
#   WAIT_TIMEOUT=300   seconds to wait for SSH
#   KEEP_DISK=1        boot the disk a guest of this name left when it powered off (a reboot as a
#                      fresh QEMU: under TCG the kernel came up in 34 s after QEMU's own reset and in
#                      15 s from a cold start, so "poweroff, boot again" is the quicker reboot)
#
# State written: vms/NAME/{pid,serial.log,ssh_host,ssh_port,host_key.pub,...}; prints
# boot-to-ssh seconds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIR=$("$here/make-image.sh" --dir)
valid_name() { [[ $1 =~ ^[a-z0-9-]{1,32}$ ]] || { echo "NAME must be [a-z0-9-]{1,32}" >&2; exit 2; }; }
if [[ ${1:-} == --dir ]]; then
  [[ $# == 2 ]] || { echo "usage: boot-vm.sh --dir NAME" >&2; exit 2; }
  valid_name "$2"; echo "$DIR/vms/$2"; exit 0
fi
NAME=${1:?usage: boot-vm.sh NAME | --dir NAME}
NET=${NET:-user}
SSH_PORT=${SSH_PORT:-}
GUESTFWD=${GUESTFWD:-}
BRIDGE=${BRIDGE:-cairnbr0}
IP=${IP:-}
GW=${GW:-}
MEM=${MEM:-1536}
CPUS=${CPUS:-2}
NICE=${NICE:-0}
TB_MB=${TB_MB:-1024}
CPU_MODEL=${CPU_MODEL:-max}
KARGS=${KARGS-clocksource=tsc tsc=reliable}
WAIT_TIMEOUT=${WAIT_TIMEOUT:-300}

valid_name "$NAME"
[[ $NICE =~ ^(0|[1-9]|1[0-9])$ ]] || { echo "NICE must be 0-19" >&2; exit 2; }
[[ $TB_MB =~ ^[1-9][0-9]{1,3}$ ]] && (( TB_MB <= 2048 )) || { echo "TB_MB must be 10-2048" >&2; exit 2; }
D=$DIR/vms/$NAME
mkdir -p "$D"
if [[ -f $D/pid ]] && kill -0 "$(cat "$D/pid")" 2>/dev/null; then echo "$NAME already running" >&2; exit 1; fi
rm -f "$D/serial.log" "$D/host_key.pub"
if [[ ${KEEP_DISK:-0} == 1 && -f $D/disk.qcow2 ]]; then
  echo "$NAME: powering on again from its own disk"
else
  rm -f "$D/disk.qcow2"
  qemu-img create -q -f qcow2 -b "$DIR/base.raw" -F raw "$D/disk.qcow2"
fi

h=$(printf %s "$NAME" | md5sum)
MAC=52:54:${h:0:2}:${h:2:2}:${h:4:2}:01
UUID=${h:0:8}-${h:8:4}-${h:12:4}-${h:16:4}-${h:20:12}
APPEND="root=/dev/vda rw console=ttyS0 net.ifnames=0 systemd.hostname=$NAME quiet${KARGS:+ $KARGS}"
# tap_on_bridge: a fresh tap on $BRIDGE for this guest (in $tap; stop-vm.sh removes it)
tap_on_bridge() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || { echo "bridge $BRIDGE missing: lab-net.sh up" >&2; exit 1; }
  [[ -n $IP ]] || { echo "NET=$NET needs IP=addr/prefix" >&2; exit 2; }
  tap="tap-${NAME:0:11}"
  ip link del "$tap" 2>/dev/null || true
  ip tuntap add dev "$tap" mode tap
  ip link set "$tap" master "$BRIDGE" up
  echo "$tap" > "$D/tap"
}
case $NET in
  user)
    [[ -n $SSH_PORT ]] || { echo "NET=user needs SSH_PORT" >&2; exit 2; }
    fw="hostfwd=tcp:127.0.0.1:$SSH_PORT-:22,restrict=on"
    for f in ${GUESTFWD//,/ }; do hp=${f#*-}; fw+=",guestfwd=tcp:${f%%-*}-cmd:nc ${hp%:*} ${hp##*:}"; done
    NETARGS=(-netdev "user,id=n0,$fw" -device "virtio-net-pci,netdev=n0,mac=$MAC")
    SSH_HOST=127.0.0.1 SSH_P=$SSH_PORT ;;
  bridge)
    tap_on_bridge
    NETARGS=(-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no" -device "virtio-net-pci,netdev=n0,mac=$MAC")
    APPEND+=" testbed.ip=$IP${GW:+,$GW}"
    SSH_HOST=${IP%/*} SSH_P=22 ;;
  nat+bridge)
    [[ -z $GW ]] || { echo "NET=nat+bridge: the default route is the NAT NIC's (eth0), so no GW" >&2; exit 2; }
    tap_on_bridge
    # eth0 and eth1 in this order: the guest names NICs by PCI order (net.ifnames=0), so fixed slots.
    # The host-only NIC keeps the MAC it has in bridge mode; the NAT one gets its own (…:02).
    # net=, host=, dhcpstart= are QEMU's defaults, written out because callers rely on them (NAT_IP)
    NETARGS=(-netdev "user,id=nat,net=10.0.2.0/24,host=10.0.2.2,dhcpstart=10.0.2.15,restrict=on"
             -device "virtio-net-pci,netdev=nat,mac=${MAC%:01}:02,addr=0x10"
             -netdev "tap,id=lab,ifname=$tap,script=no,downscript=no"
             -device "virtio-net-pci,netdev=lab,mac=$MAC,addr=0x11")
    APPEND+=" testbed.ip=$IP testbed.nic=eth1 testbed.dhcpgw=10.0.2.2"
    SSH_HOST=${IP%/*} SSH_P=22 ;;
  *) echo "NET must be user, bridge or nat+bridge" >&2; exit 2 ;;
esac

t0=$(date +%s%N)
nice -n "$NICE" qemu-system-x86_64 -name "$NAME" -M q35 -accel "tcg,thread=multi,tb-size=$TB_MB" -cpu "$CPU_MODEL" -smp "$CPUS" -m "$MEM" \
  -uuid "$UUID" -display none \
  -kernel "$DIR/vmlinuz" -initrd "$DIR/initrd.img" -append "$APPEND" \
  -drive "file=$D/disk.qcow2,if=virtio,format=qcow2,cache=unsafe,discard=unmap" \
  -device virtio-rng-pci "${NETARGS[@]}" \
  -serial "file:$D/serial.log" -monitor "unix:$D/monitor.sock,server,nowait" \
  -pidfile "$D/pid" -daemonize > "$D/qemu.log" 2>&1 || { cat "$D/qemu.log" >&2; exit 1; }
echo "$SSH_HOST" > "$D/ssh_host"
echo "$SSH_P" > "$D/ssh_port"

ssh_opts=(-i "$DIR/id_ed25519" -p "$SSH_P" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5
          -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
end=$(( $(date +%s) + WAIT_TIMEOUT ))
until ssh "${ssh_opts[@]}" "root@$SSH_HOST" true 2>/dev/null; do
  kill -0 "$(cat "$D/pid")" 2>/dev/null || { echo "$NAME: qemu died" >&2; tail -20 "$D/serial.log" >&2; exit 1; }
  (( $(date +%s) < end )) || { echo "$NAME: no ssh after ${WAIT_TIMEOUT}s" >&2; tail -20 "$D/serial.log" >&2; exit 1; }
  sleep 1
done
# the guest's own host key, read inside the guest (tests pin it or compare with what Cairn records)
ssh "${ssh_opts[@]}" "root@$SSH_HOST" cat /etc/ssh/ssh_host_ed25519_key.pub > "$D/host_key.pub"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
printf '%s: ssh ready on %s:%s after %d.%01d s\n' "$NAME" "$SSH_HOST" "$SSH_P" $((ms/1000)) $((ms%1000/100))
