#!/usr/bin/env bash
# Builds the Debian bookworm test guest from Debian's packages: debootstrap → ext4 image, the
# Debian kernel and a small initrd for direct boot, and an ed25519 client key authorised for root
# and for the sudo user "cairn".
#
# Usage: make-image.sh          builds it unless the image of this recipe is already built
#        make-image.sh --dir    prints the output directory, builds nothing
#        make-image.sh --check  builds nothing: exit 0 when the image of this recipe is built,
#                               else say so, exit 1
#   CAIRN_TESTBED_DIR  output (default $CAIRN_CACHE/testbed, scripts/lib-cache.sh): base.raw vmlinuz
#                      initrd.img id_ed25519 id_ed25519.pub
#   MIRROR             Debian mirror for debootstrap (default: the host's own apt source)
#   SIZE=4G            guest disk size (sparse)
# The recipe is the hash of the lines between the ">>> recipe" and "<<< recipe" markers below.
#
# The guest is a plain server: systemd, OpenSSH (ed25519/ecdsa host keys made on first boot —
# RSA takes ~20 s under TCG), iptables/conntrack/socat/ethtool, kmod with the Debian kernel's
# modules, and a swapfile made on first boot and listed in /etc/fstab so that turning swap off
# is real work. No containerd and no Kubernetes: installing them is Cairn's job.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../scripts/lib-cache.sh"
OUT=${CAIRN_TESTBED_DIR:-$CAIRN_CACHE/testbed}
case ${1:-} in
  --dir) echo "$OUT"; exit 0 ;;
  --check|"") ;;
  *) echo "usage: make-image.sh [--dir | --check]" >&2; exit 2 ;;
esac

section=$(sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$here/make-image.sh")
[[ -n $section ]] || { echo "make-image.sh: its recipe markers are missing" >&2; exit 1; }
recipe=$(printf '%s\n' "$section" | sha256sum | cut -c1-16)
built() {
  local have; have=$(cat "$OUT/recipe" 2>/dev/null) || return 1
  [[ -f "$OUT/base.raw" && -f "$OUT/vmlinuz" && -f "$OUT/initrd.img" && -f "$OUT/id_ed25519" ]] || return 1
  [[ $have == "$recipe" ]]
}
if built; then
  if [[ ${1:-} == --check ]]; then echo "testbed image (recipe $(cat "$OUT/recipe")) in $OUT"
  else echo "testbed image $(cat "$OUT/recipe") already in $OUT"; fi
  exit 0
fi
[[ ${1:-} != --check ]] || { echo "guest image (make-image.sh) missing or of another recipe in $OUT"; exit 1; }
[[ $(id -u) == 0 ]] || { echo "make-image.sh must run as root (debootstrap, chroot)" >&2; exit 1; }
"$here/host-deps.sh"
. "$here/../scripts/lib-debian.sh"
MIRROR=${MIRROR:-$(host_mirror)}

# >>> recipe: what determines the image (its hash is the recipe)
SIZE=${SIZE:-4G}
SUITE=bookworm
PKGS=systemd,systemd-sysv,dbus,udev,kmod,procps,iproute2,iputils-ping,iptables,nftables,ebtables,conntrack,socat,ethtool
PKGS+=,openssh-server,sudo,ca-certificates,curl,gnupg,netbase,e2fsprogs,mount,linux-image-amd64,initramfs-tools
mkdir -p "$OUT/cache"
R=$OUT/rootfs
rm -rf "$R" "$OUT/recipe"
t0=$(date +%s)
trap 'echo "make-image.sh failed; see $OUT/*.log" >&2' ERR
debootstrap --variant=minbase --cache-dir="$OUT/cache" --include="$PKGS" "$SUITE" "$R" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
  || { tail -30 "$OUT/debootstrap.log"; exit 1; }

[[ -f "$OUT/id_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C cairn-testbed -f "$OUT/id_ed25519"
install -d -m 700 "$R/root/.ssh"
install -m 600 "$OUT/id_ed25519.pub" "$R/root/.ssh/authorized_keys"
chroot "$R" useradd -m -s /bin/bash cairn
install -d -m 700 -o 1000 -g 1000 "$R/home/cairn/.ssh"
install -m 600 -o 1000 -g 1000 "$OUT/id_ed25519.pub" "$R/home/cairn/.ssh/authorized_keys"
echo 'cairn ALL=(ALL) NOPASSWD:ALL' > "$R/etc/sudoers.d/cairn"; chmod 440 "$R/etc/sudoers.d/cairn"
echo 'root:root' | chroot "$R" chpasswd   # serial console only; ssh is key-only

cat > "$R/etc/ssh/sshd_config.d/testbed.conf" <<'CONF'
PasswordAuthentication no
PermitRootLogin prohibit-password
UseDNS no
CONF
rm -f "$R"/etc/ssh/ssh_host_*
cat > "$R/etc/systemd/system/testbed-ssh-hostkeys.service" <<'UNIT'
[Unit]
Description=Per-VM SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
ExecStart=/usr/bin/ssh-keygen -q -t ecdsa -N "" -f /etc/ssh/ssh_host_ecdsa_key
[Install]
WantedBy=multi-user.target
UNIT

: > "$R/etc/machine-id"; rm -f "$R/var/lib/dbus/machine-id"
echo testbed > "$R/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
# like a Debian install, the host's own name resolves locally (sudo looks it up; with no DNS
# reachable it would otherwise wait for the resolver to time out)
cat > "$R/etc/systemd/system/testbed-hosts.service" <<'UNIT'
[Unit]
Description=Resolve this guest's own hostname locally
DefaultDependencies=no
After=local-fs.target systemd-hostnamed.service
Before=network-pre.target ssh.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'grep -q "^127.0.1.1 " /etc/hosts || echo "127.0.1.1 $(hostname)" >> /etc/hosts'
[Install]
WantedBy=multi-user.target
UNIT
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n/swapfile none swap sw 0 0\n' > "$R/etc/fstab"
cat > "$R/etc/systemd/system/testbed-mkswap.service" <<'UNIT'
[Unit]
Description=Create /swapfile on first boot
DefaultDependencies=no
After=systemd-remount-fs.service
Before=swapfile.swap swap.target
ConditionPathExists=!/swapfile
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'fallocate -l 256M /swapfile && chmod 600 /swapfile && mkswap /swapfile'
[Install]
WantedBy=swap.target
UNIT

# networking: DHCP on any NIC (QEMU user-mode net), or testbed.ip=ADDR/PFX[,GW] on the kernel cmdline,
# static on eth0 or on the NIC testbed.nic= names (e.g. eth1, with eth0 left to DHCP: boot-vm.sh
# NET=nat+bridge). The static NIC's file (10-) sorts before the DHCP one (90-), so it wins for that NIC.
# testbed.dhcpgw=GW: eth0 keeps DHCP and gets its default route via GW from here, for a DHCP server
# that names no router: QEMU user-mode with restrict=on offers neither router nor DNS.
cat > "$R/etc/systemd/network/90-dhcp.network" <<'CONF'
[Match]
Name=eth*
[Network]
DHCP=ipv4
LinkLocalAddressing=no
IPv6AcceptRA=no
CONF
cat > "$R/usr/local/sbin/testbed-netcfg" <<'SH'
#!/bin/sh
nic=eth0
for w in $(cat /proc/cmdline); do
  case $w in
    testbed.ip=*) v=${w#testbed.ip=}; ip=${v%%,*}; gw=; [ "$v" != "$ip" ] && gw=${v#*,} ;;
    testbed.nic=*) nic=${w#testbed.nic=} ;;
    testbed.dhcpgw=*) dhcpgw=${w#testbed.dhcpgw=} ;;
  esac
done
mkdir -p /run/systemd/network
if [ -n "${dhcpgw:-}" ]; then
  [ "$nic" != eth0 ] || [ -z "${ip:-}" ] || { echo "testbed-netcfg: testbed.dhcpgw= needs eth0 on DHCP (testbed.nic=)" >&2; exit 1; }
  { echo "[Match]"; echo "Name=eth0"; echo "[Network]"; echo "DHCP=ipv4"
    echo "LinkLocalAddressing=no"; echo "IPv6AcceptRA=no"
    echo "[Route]"; echo "Gateway=$dhcpgw"; echo "GatewayOnLink=yes"; } > /run/systemd/network/10-testbed-eth0.network
fi
[ -n "${ip:-}" ] || exit 0
case $nic in eth[0-9]|eth[0-9][0-9]) ;; *) echo "testbed-netcfg: testbed.nic=$nic is not ethN" >&2; exit 1 ;; esac
{ echo "[Match]"; echo "Name=$nic"; echo "[Network]"; echo "Address=$ip"; [ -n "$gw" ] && echo "Gateway=$gw"
  echo "LinkLocalAddressing=no"; echo "IPv6AcceptRA=no"; } > "/run/systemd/network/10-testbed-$nic.network"
SH
chmod 755 "$R/usr/local/sbin/testbed-netcfg"
cat > "$R/etc/systemd/system/testbed-netcfg.service" <<'UNIT'
[Unit]
Description=Static IP from the kernel cmdline (testbed.ip=, testbed.nic=, testbed.dhcpgw=)
DefaultDependencies=no
Before=systemd-networkd.service
After=local-fs.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/testbed-netcfg
[Install]
WantedBy=sysinit.target
UNIT
echo "nameserver 10.0.2.3" > "$R/etc/resolv.conf"
# the guest's own Debian sources stay as a real server has them; tests keep guests off the network
printf 'deb %s %s main\n' "$MIRROR" "$SUITE" > "$R/etc/apt/sources.list"

chroot "$R" systemctl enable systemd-networkd.service testbed-netcfg.service testbed-mkswap.service \
  testbed-ssh-hostkeys.service testbed-hosts.service ssh.service >/dev/null 2>&1
chroot "$R" systemctl disable e2scrub_reap.service apt-daily.timer apt-daily-upgrade.timer >/dev/null 2>&1 || true
chroot "$R" systemctl mask systemd-timesyncd.service >/dev/null 2>&1 || true
chroot "$R" systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
chroot "$R" apt-get clean
rm -rf "$R"/var/lib/apt/lists/* "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/locale/*

sed -i 's/^MODULES=.*/MODULES=list/' "$R/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\nvirtio_blk\next4\ncrc32c_generic\n' >> "$R/etc/initramfs-tools/modules"
chroot "$R" update-initramfs -u -k all > "$OUT/initramfs.log" 2>&1 || { cat "$OUT/initramfs.log"; exit 1; }
cp "$(ls "$R"/boot/vmlinuz-* | sort -V | tail -1)" "$OUT/vmlinuz"
cp "$(ls "$R"/boot/initrd.img-* | sort -V | tail -1)" "$OUT/initrd.img"

rm -f "$OUT/base.raw"
truncate -s "$SIZE" "$OUT/base.raw"
mkfs.ext4 -q -F -L cairnroot -d "$R" "$OUT/base.raw"
rm -rf "$R"
echo "$recipe" > "$OUT/recipe"
echo "built testbed image $recipe in $OUT in $(( $(date +%s) - t0 )) s"
# <<< recipe
