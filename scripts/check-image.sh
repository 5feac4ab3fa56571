#!/usr/bin/env bash
# Checks an image tarball (docker save layout, as `jib:buildTar` writes it) without a container
# runtime: unpacks its layers into a root filesystem and runs the image's entrypoint with
# --help the way the chart runs the Pod: as the image's user (not root), in its own PID, mount
# and network namespaces, on a read-only root with a tmpfs on /tmp.
#
#   scripts/check-image.sh operator/target/jib-image.tar
#
# Needs root (chroot, mounts); run by `./mvnw -Pimage -pl operator package`.
set -euo pipefail
image=${1:?usage: check-image.sh IMAGE.tar}
[[ $(id -u) == 0 ]] || { echo "check-image.sh must run as root (chroot, mount)" >&2; exit 1; }
command -v jq >/dev/null || { echo "check-image.sh needs jq" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/image" "$work/rootfs"
tar -xf "$image" -C "$work/image"
config=$work/image/$(jq -r '.[0].Config' "$work/image/manifest.json")
while read -r layer; do
  # whiteouts mark files a later layer deletes
  tar --warning=no-unknown-keyword -xf "$work/image/$layer" -C "$work/rootfs"
  find "$work/rootfs" -name '.wh.*' -print0 | while IFS= read -r -d '' wh; do
    base=$(basename "$wh"); dir=$(dirname "$wh")
    if [[ $base == .wh..wh..opq ]]; then find "$dir" -mindepth 1 -maxdepth 1 ! -name "$base" -exec rm -rf {} +
    else rm -rf "$dir/${base#.wh.}"; fi
    rm -f "$wh"
  done
done < <(jq -r '.[0].Layers[]' "$work/image/manifest.json")

user=$(jq -r '.config.User // ""' "$config")
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t env < <(jq -r '.config.Env[]' "$config")
fail() { echo "image check failed: $*" >&2; exit 1; }
[[ $user =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || fail "the image user '$user' is not a numeric non-root uid (runAsNonRoot needs one)"
((${#entrypoint[@]})) || fail "the image has no entrypoint"
[[ -x $work/rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] || fail "no Java 17 runtime in the image"

[[ $user == *:* ]] || user="$user:$user"

# the entrypoint as a container runtime would start it: the image's environment only, /proc and
# /dev provided, the root read-only and /tmp a tmpfs (readOnlyRootFilesystem and the chart's
# emptyDir), no network
run() {
  env -i "${env[@]}" unshare --mount --pid --net --fork --mount-proc="$work/rootfs/proc" bash -c '
    set -e; root=$1; userspec=$2; shift 2
    mount --rbind "$root" "$root"
    mount --rbind /dev "$root/dev"
    mount -o remount,bind,ro "$root"
    mount -t tmpfs -o size=64m,mode=1777 tmpfs "$root/tmp"
    exec chroot --userspec="$userspec" "$root" "$@"' check "$work/rootfs" "$user" "$@"
}
out=$(run "${entrypoint[@]}" --help 2>&1) || fail "'${entrypoint[*]} --help' exited $?: $out"
for expected in "Usage: cairn" "--[no-]leader-election" "--namespaces" "--health-port" "--metrics-port"; do
  grep -qF -- "$expected" <<<"$out" || fail "--help does not mention $expected: $out"
done
[[ $(run /usr/bin/id -u) != 0 ]] || fail "the entrypoint would run as root"
if run /usr/bin/touch /app/probe 2>/dev/null; then fail "the check's root filesystem was writable"; fi
echo "image ok: $(basename "$image") ($(du -h "$image" | cut -f1)), user $user, entrypoint: ${entrypoint[*]}"
