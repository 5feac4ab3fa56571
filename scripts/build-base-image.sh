#!/usr/bin/env bash
# Builds the base of Cairn's container image from Debian's packages, with no Docker daemon and no
# registry: debootstrap (bookworm, minbase) plus openjdk-17-jre-headless from bookworm,
# bookworm-updates and bookworm-security, a user "cairn" with uid/gid 65532, no package caches,
# docs or man pages; written as a `docker save` tarball that Jib builds on
# (<from><image>tar://...</image></from>, the Maven profile -Pimage).
#
# Usage: build-base-image.sh               builds it unless the tarball of this recipe is built
#        build-base-image.sh --place FILE  the same, then puts base.tar at FILE (hard link, else copy)
#        build-base-image.sh --dir         prints the output directory, builds nothing
#   CAIRN_IMAGE_DIR  output (default $CAIRN_CACHE/image, scripts/lib-cache.sh): base.tar,
#                    packages.txt, recipe
#   MIRROR           Debian mirror (default: the host's own apt source)
#   SECURITY_MIRROR  Debian security mirror (default: the host's, else deb.debian.org)
# The recipe is the hash of the lines between the ">>> recipe" and "<<< recipe" markers below.
#
# Needs root (debootstrap, chroot) to build, and reaches only the Debian mirrors.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib-cache.sh"
OUT=${CAIRN_IMAGE_DIR:-$CAIRN_CACHE/image}
PLACE=
case ${1:-} in
  --dir) echo "$OUT"; exit 0 ;;
  --place) [[ -n ${2:-} ]] || { echo "usage: build-base-image.sh --place FILE" >&2; exit 2; }; PLACE=$2 ;;
  "") ;;
  *) echo "usage: build-base-image.sh [--dir | --place FILE]" >&2; exit 2 ;;
esac

section=$(sed -n '/^# >>> recipe/,/^# <<< recipe/p' "$here/build-base-image.sh")
[[ -n $section ]] || { echo "build-base-image.sh: its recipe markers are missing" >&2; exit 1; }
recipe=$(printf '%s\n' "$section" | sha256sum | cut -c1-16)
built() {
  local have; have=$(cat "$OUT/recipe" 2>/dev/null) && [[ -f $OUT/base.tar ]] || return 1
  [[ $have == "$recipe" ]]
}
# place: base.tar at --place FILE
place() {
  [[ -n $PLACE ]] || return 0
  mkdir -p "$(dirname "$PLACE")"
  if [[ ! $PLACE -ef $OUT/base.tar ]] && ! ln -f "$OUT/base.tar" "$PLACE" 2>/dev/null; then
    cp "$OUT/base.tar" "$PLACE.tmp" && mv "$PLACE.tmp" "$PLACE"
  fi
  echo "base image placed at $PLACE"
}

if built; then
  echo "base image (recipe $(cat "$OUT/recipe")) already in $OUT/base.tar"
  place
  exit 0
fi
[[ $(id -u) == 0 ]] || { echo "build-base-image.sh must run as root (debootstrap, chroot)" >&2; exit 1; }
for tool in debootstrap jq sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "build-base-image.sh needs $tool (apt-get install $tool)" >&2; exit 1; }
done

. "$here/lib-debian.sh"
MIRROR=${MIRROR:-$(host_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-$(host_uris | awk '/security/' | head -n1)}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# >>> recipe: what determines the image (its hash is the recipe)
SUITE=bookworm
TAG=cairn-base:bookworm-jre17
UID_GID=65532
mkdir -p "$OUT/cache"
R=$OUT/rootfs
W=$OUT/work
rm -rf "$R" "$W" "$OUT/recipe"
mkdir -p "$W"
cleanup() { umount "$R/proc" 2>/dev/null || true; }
trap 'cleanup; echo "build-base-image.sh failed; see $OUT/*.log" >&2' ERR
trap cleanup EXIT
t0=$(date +%s)

debootstrap --variant=minbase --cache-dir="$OUT/cache" "$SUITE" "$R" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 \
  || { tail -30 "$OUT/debootstrap.log"; exit 1; }

rm -f "$R/etc/apt/sources.list"
cat > "$R/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
cp /etc/resolv.conf "$R/etc/resolv.conf"
mount -t proc proc "$R/proc"   # the JRE's postinst runs java (ca-certificates-java)
{
  chroot "$R" apt-get update
  DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get -y upgrade
  DEBIAN_FRONTEND=noninteractive chroot "$R" apt-get install -y --no-install-recommends \
    openjdk-17-jre-headless ca-certificates
  chroot "$R" apt-get clean
} > "$OUT/apt.log" 2>&1 || { tail -30 "$OUT/apt.log"; exit 1; }
# 65532, like distroless "nonroot": above the range a host's own users take
chroot "$R" groupadd -K GID_MAX=65535 --gid "$UID_GID" cairn
chroot "$R" useradd -K UID_MAX=65535 --uid "$UID_GID" --gid "$UID_GID" --home-dir /home/cairn --create-home \
  --shell /usr/sbin/nologin cairn
chroot "$R" dpkg-query -W -f '${Package} ${Version}\n' > "$OUT/packages.txt"
jre=$(chroot "$R" dpkg-query -W -f '${Version}' openjdk-17-jre-headless)
umount "$R/proc"

# what a container does not need; the runtime provides resolv.conf, hosts and hostname
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/* "$R"/var/cache/debconf/*-old "$R"/var/log/* \
  "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/locale/* \
  "$R"/etc/resolv.conf "$R"/etc/hostname "$R"/tmp/* "$R"/var/tmp/*
chmod 1777 "$R/tmp"

# one layer, docker-save layout: manifest.json, the config, <diff id>/layer.tar
tar -C "$R" --numeric-owner --sort=name --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' \
  --exclude='./run/*' -cf "$W/layer.tar" .
diff_id=$(sha256sum "$W/layer.tar" | cut -d' ' -f1)
mkdir "$W/$diff_id"
mv "$W/layer.tar" "$W/$diff_id/layer.tar"
jq -n --arg diff "sha256:$diff_id" --arg jre "$jre" --arg recipe "$recipe" --arg uid "$UID_GID:$UID_GID" '{
  architecture: "amd64", os: "linux", created: "1970-01-01T00:00:00Z",
  config: {
    User: $uid, WorkingDir: "/",
    Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", "LANG=C.UTF-8"],
    Labels: {"org.opencontainers.image.description": "Debian bookworm minbase with OpenJDK 17 JRE (headless), Cairn base",
             "dev.cairn.base.jre": $jre, "dev.cairn.base.recipe": $recipe}
  },
  rootfs: {type: "layers", diff_ids: [$diff]},
  history: [{created: "1970-01-01T00:00:00Z", created_by: ("scripts/build-base-image.sh " + $recipe)}]
}' > "$W/config.json"
config_id=$(sha256sum "$W/config.json" | cut -d' ' -f1)
mv "$W/config.json" "$W/$config_id.json"
jq -n --arg config "$config_id.json" --arg layer "$diff_id/layer.tar" --arg tag "$TAG" \
  '[{Config: $config, RepoTags: [$tag], Layers: [$layer]}]' > "$W/manifest.json"
tar -C "$W" -cf "$OUT/base.tar.tmp" manifest.json "$config_id.json" "$diff_id/layer.tar"
mv "$OUT/base.tar.tmp" "$OUT/base.tar"
rm -rf "$W" "$R"
echo "$recipe" > "$OUT/recipe"
trap - ERR
echo "base image $TAG (JRE $jre, recipe $recipe) in $OUT/base.tar: $(du -h "$OUT/base.tar" | cut -f1), $(( $(date +%s) - t0 )) s"
# <<< recipe
place
