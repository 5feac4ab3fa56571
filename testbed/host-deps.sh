#!/usr/bin/env bash
# Installs what the testbed needs on the host, only when something is missing (root).
set -euo pipefail
need=()
for pair in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils debootstrap:debootstrap mkfs.ext4:e2fsprogs \
            nc:netcat-openbsd dpkg-scanpackages:dpkg-dev ssh-keygen:openssh-client ip:iproute2 python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
if ((${#need[@]})); then
  echo "testbed: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
