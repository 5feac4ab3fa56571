#!/usr/bin/env bash
# Installs what the testbed needs on the host, only when something is missing (root): QEMU and
# debootstrap for the guests, dpkg-dev for the apt repository, skopeo and docker-registry for the
# image registry (registry.sh), gcc/libc6-dev for the static pause binary, and autoconf, m4, flex,
# bison and make for BIRD (calico/node's BGP daemon, built from source by
# scripts/build-cluster-binaries.sh).
#   --check   installs nothing: exit 0 when all is there, else name the missing packages (exit 1)
set -euo pipefail
need=()
for pair in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils debootstrap:debootstrap mkfs.ext4:e2fsprogs \
            nc:netcat-openbsd dpkg-scanpackages:dpkg-dev ssh-keygen:openssh-client ip:iproute2 python3:python3 \
            curl:curl skopeo:skopeo docker-registry:docker-registry gcc:gcc \
            autoreconf:autoconf m4:m4 flex:flex bison:bison make:make; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
# the static C and cgo binaries (pause, flanneld, mountns, BIRD: scripts/build-cluster-binaries.sh)
# link against libc.a
[[ -f /usr/lib/x86_64-linux-gnu/libc.a ]] || need+=(libc6-dev)
if [[ ${1:-} == --check ]]; then
  ((${#need[@]} == 0)) || { echo "host packages missing: ${need[*]}"; exit 1; }
  exit 0
fi
if ((${#need[@]})); then
  echo "testbed: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts its registry service on every address, port 5000; registry.sh runs its own
  if [[ " ${need[*]} " == *" docker-registry "* && -d /run/systemd/system ]]; then
    systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  fi
fi
