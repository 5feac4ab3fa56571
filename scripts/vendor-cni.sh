#!/usr/bin/env bash
# Vendors flannel's own manifest, Documentation/kube-flannel.yml of a pinned release, into
# operator/src/main/resources/dev/cairn/cni/flannel/<version>.yaml, where the operator jar
# ships it (Cairn never downloads a CNI manifest at run time).
#
# The manifest comes from the module zip the Go module proxy serves for
# github.com/flannel-io/flannel; `go mod download` fetches it and checks it against the Go
# checksum database, and this script also checks it against the h1: sum pinned below, so a
# re-run reproduces the committed files byte for byte (--check says whether it does).
#
# Calico's manifest (calico/<version>.yaml beside these) is vendored by scripts/vendor-calico.sh
# instead: the proxy does not serve github.com/projectcalico/calico, so it comes from a source
# tarball of the release.
#
# Usage: scripts/vendor-cni.sh [--check] [version ...]   (default: every version pinned below)
# Environment:
#   GOPROXY    module proxy (default https://proxy.golang.org)
#   GOMODCACHE where go keeps downloaded modules (go's default)
set -euo pipefail

MODULE=github.com/flannel-io/flannel
MANIFEST=Documentation/kube-flannel.yml
# The flannel releases Cairn ships, with the h1: sum of their module zip (go.sum format). To
# add one: add it here with an empty sum, run this script, check the sum it prints against
# https://sum.golang.org/lookup/github.com/flannel-io/flannel@<version>, pin it, and add the
# version to CniManifests.
declare -A SUMS=(
  [v0.28.10]=h1:jt+uW6XVV01MBb3YFahG7Ue9UE3W6zlNlJMf3JtdcXI=
  [v0.28.4]=h1:6O4wGCrCTl0Gf5BBpxfOJgOstkxZhEx3ZXzcKRopH8Q=
)

root="$(cd "$(dirname "$0")/.." && pwd)"
out_dir="$root/operator/src/main/resources/dev/cairn/cni/flannel"

check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  shift
fi
versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
  mapfile -t versions < <(printf '%s\n' "${!SUMS[@]}" | sort -V)
fi

command -v go >/dev/null || { echo "the Go toolchain is needed to fetch modules (apt-get install golang-go)" >&2; exit 1; }
command -v unzip >/dev/null || { echo "unzip is needed (apt-get install unzip)" >&2; exit 1; }
export GOPROXY="${GOPROXY:-https://proxy.golang.org}" GOFLAGS=-mod=mod

status=0
for version in "${versions[@]}"; do
  [[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "$version: not a release version like v0.28.10" >&2; exit 2; }
  pinned="${SUMS[$version]:-}"

  # outside any module, so go.mod files of this repository play no part
  info="$(cd / && go mod download -json "$MODULE@$version")"
  zip="$(sed -n 's/^[[:space:]]*"Zip": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  sum="$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  [[ -f "$zip" && -n "$sum" ]] || { echo "$MODULE@$version: go mod download gave no zip:" >&2; echo "$info" >&2; exit 1; }
  if [[ -z "$pinned" ]]; then
    echo "$MODULE@$version has sum $sum; pin it in SUMS once checked" >&2
    exit 1
  fi
  [[ "$sum" == "$pinned" ]] || { echo "$MODULE@$version: zip sum $sum, pinned $pinned" >&2; exit 1; }

  prefix="$MODULE@$version"
  unzip -Z1 "$zip" "$prefix/$MANIFEST" >/dev/null 2>&1 \
    || { echo "$MODULE@$version: the module zip has no $MANIFEST" >&2; exit 1; }
  license="$(unzip -p "$zip" "$prefix/LICENSE")"
  if ! grep -q "Apache License" <<<"$license" || ! grep -q "Version 2.0" <<<"$license"; then
    echo "$MODULE@$version: LICENSE is not the Apache License 2.0; check before shipping" >&2
    exit 1
  fi

  target="$out_dir/$version.yaml"
  tmp="$(mktemp)"
  {
    echo "# flannel $version: $MANIFEST of the flannel project, unmodified below this header."
    echo "# Source: Go module $MODULE@$version from the Go module proxy"
    echo "#   (module zip $sum, as recorded in the Go checksum database)."
    echo "# License: Apache-2.0 (the LICENSE file of the same module); (c) the flannel authors."
    echo "# Vendored by scripts/vendor-cni.sh; do not edit. Cairn sets the pod network"
    echo "# (net-conf.json \"Network\") and, for air-gapped sites, the image registry when it renders."
    unzip -p "$zip" "$prefix/$MANIFEST"
  } >"$tmp"

  if $check; then
    if cmp -s "$tmp" "$target"; then
      echo "flannel $version: $target matches upstream"
    else
      echo "flannel $version: $target differs from what this script makes" >&2
      status=1
    fi
    rm -f "$tmp"
  else
    mkdir -p "$out_dir"
    mv "$tmp" "$target"
    chmod 0644 "$target"
    echo "flannel $version -> ${target#"$root"/}"
  fi
done
exit "$status"
