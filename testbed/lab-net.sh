#!/usr/bin/env bash
# The host-only network of test guests that must see each other (kubeadm join to :6443, kubelet
# :10250, flannel VXLAN udp/8472) and the host (registry :5000, apt repository :8080).
#
# Usage: lab-net.sh up|down|status          (root)
#   BRIDGE=cairnbr0  HOST_IP=10.78.0.1/24   guests: boot-vm.sh NET=bridge IP=10.78.0.11/24 GW=10.78.0.1,
#   or NET=nat+bridge IP=10.78.0.11/24 (e2e-lab.sh: the bridge is their second NIC, no gateway on it)
#
# Guests on the bridge alone get a default route via the host (kubeadm and the kubelet take the
# node IP from the default-route interface), yet nothing from the bridge leaves this machine:
#  - no uplink: only boot-vm.sh's taps (tap-*) are ever attached; "up" refuses otherwise;
#  - no NAT, and no route out: a policy-routing rule sends every packet that arrives on the bridge
#    and is not for this host (local addresses are looked up first, in the "local" table) to a
#    table holding only a blackhole default route. This holds even when net.ipv4.ip_forward=1
#    (Docker, for one, sets it) and needs nothing but iproute2; with ip_forward=0 the kernel
#    would drop such packets anyway, but that is a host-wide setting we neither own nor change;
#  - where iptables exists (a host with Docker has it), FORWARD additionally drops anything from
#    or to the bridge that would cross to another interface, as a second, visible guard;
#  - no IPv6 on the bridge.
set -euo pipefail
BRIDGE=${BRIDGE:-cairnbr0}
HOST_IP=${HOST_IP:-10.78.0.1/24}
TABLE=${TABLE:-7801}     # routing table of the blackhole; rule preference = the same number
die() { echo "lab-net.sh: $*" >&2; exit 1; }
ports() { ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//'; }
fw_rules() { # add|delete
  command -v iptables >/dev/null || return 0
  local op=$1 r
  for r in "-i $BRIDGE ! -o $BRIDGE" "-o $BRIDGE ! -i $BRIDGE"; do
    # shellcheck disable=SC2086
    if [[ $op == add ]]; then
      iptables -C FORWARD $r -j DROP 2>/dev/null || iptables -I FORWARD 1 $r -j DROP
    else
      while iptables -D FORWARD $r -j DROP 2>/dev/null; do :; done
    fi
  done
}

[[ $(id -u) == 0 || ${1:-} == status ]] || die "must run as root"
case ${1:-} in
  up)
    ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
    bad=$(ports | grep -v '^tap-' || true)
    [[ -z $bad ]] || die "$BRIDGE has ports that are not testbed taps ($bad): it must stay host-only"
    [[ -w /proc/sys/net/ipv6/conf/$BRIDGE/disable_ipv6 ]] && echo 1 > "/proc/sys/net/ipv6/conf/$BRIDGE/disable_ipv6"
    ip addr replace "$HOST_IP" dev "$BRIDGE"
    ip link set "$BRIDGE" up
    ip route replace blackhole default table "$TABLE"
    ip rule show pref "$TABLE" | grep -q "iif $BRIDGE" || ip rule add pref "$TABLE" iif "$BRIDGE" lookup "$TABLE"
    fw_rules add
    echo "$BRIDGE up: host $HOST_IP; no uplink, no NAT, routed traffic from it blackholed (ip_forward=$(cat /proc/sys/net/ipv4/ip_forward))"
    ;;
  down)
    fw_rules delete
    while ip rule del pref "$TABLE" 2>/dev/null; do :; done
    ip route flush table "$TABLE" 2>/dev/null || true
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
      attached=$(ports | tr '\n' ' ')
      [[ -z ${attached// } || ${FORCE:-0} == 1 ]] || die "taps still attached to $BRIDGE ($attached): stop-vm.sh them first, or FORCE=1"
      ip link del "$BRIDGE"
    fi
    echo "$BRIDGE removed"
    ;;
  status)
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
      echo "$BRIDGE: $(ip -4 -o addr show dev "$BRIDGE" | awk '{print $4}') ports: $(ports | tr '\n' ' ')"
      ip rule show pref "$TABLE"; ip route show table "$TABLE"
    else
      echo "$BRIDGE: absent"; exit 3
    fi
    ;;
  *) die "usage: lab-net.sh up|down|status" ;;
esac
