#!/usr/bin/env bash
# Vendors Calico's own manifest, manifests/calico.yaml of a pinned release, into
# operator/src/main/resources/dev/cairn/cni/calico/<version>.yaml, where the operator jar ships
# it (Cairn never downloads a CNI manifest at run time), and Calico's licence beside it
# (calico/LICENSE).
#
# The Go module proxy does not serve github.com/projectcalico/calico, so the manifest comes from
# the `git archive` of the release tag in the shared sources directory (cairn_sources in
# scripts/versions.env): calico-$CALICO_VERSION.tar.gz, checked against CALICO_SOURCE_SHA256, and
# the manifest in it against its own sha256 pinned below, so a re-run reproduces the committed
# files byte for byte (--check says whether it does).
#
# Usage: scripts/vendor-calico.sh [--check]
# Environment:
#   CAIRN_SOURCES  the directory holding calico-$CALICO_VERSION.tar.gz (scripts/versions.env)
set -euo pipefail

MANIFEST=manifests/calico.yaml
# The sha256 of manifests/calico.yaml of each Calico release Cairn ships. To add one: set
# CALICO_VERSION, CALICO_COMMIT and CALICO_SOURCE_SHA256 in versions.env, add the version here
# with an empty sum, run this script, check the sum it prints against the release's file, pin it,
# and add the version to CniManifests.
declare -A SUMS=(
  [v3.30.3]=9382d2b27a76f40c170454b408653e6d71e2205ef0aef069e942bb690e7381d0
)

root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=versions.env
source "$root/scripts/versions.env"
out_dir="$root/operator/src/main/resources/dev/cairn/cni/calico"

check=false
if [[ "${1:-}" == "--check" ]]; then
  check=true
  shift
fi
[[ $# -eq 0 ]] || { echo "usage: scripts/vendor-calico.sh [--check]   (the version is CALICO_VERSION, $CALICO_VERSION)" >&2; exit 2; }
version=$CALICO_VERSION
[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "$version: not a release version like v3.30.3" >&2; exit 2; }

sources="$(cairn_sources)"
tarball="$sources/calico-$version.tar.gz"
sum="$(sha256sum "$tarball" | cut -d' ' -f1)"
[[ "$sum" == "$CALICO_SOURCE_SHA256" ]] \
  || { echo "$tarball: sha256 $sum, versions.env pins $CALICO_SOURCE_SHA256" >&2; exit 1; }

prefix="calico-$version"
manifest="$(mktemp)"
license="$(mktemp)"
trap 'rm -f "$manifest" "$license"' EXIT
tar -xzOf "$tarball" "$prefix/$MANIFEST" >"$manifest" 2>/dev/null \
  || { echo "$tarball: has no $prefix/$MANIFEST" >&2; exit 1; }
manifest_sum="$(sha256sum "$manifest" | cut -d' ' -f1)"
pinned="${SUMS[$version]:-}"
if [[ -z "$pinned" ]]; then
  echo "Calico $version: $MANIFEST has sha256 $manifest_sum; pin it in SUMS once checked" >&2
  exit 1
fi
[[ "$manifest_sum" == "$pinned" ]] || { echo "Calico $version: $MANIFEST sha256 $manifest_sum, pinned $pinned" >&2; exit 1; }
tar -xzOf "$tarball" "$prefix/LICENSE.md" >"$license" 2>/dev/null \
  || { echo "$tarball: has no $prefix/LICENSE.md" >&2; exit 1; }
if ! grep -q "Apache License" "$license" || ! grep -q "Version 2.0" "$license"; then
  echo "Calico $version: LICENSE.md is not the Apache License 2.0; check before shipping" >&2
  exit 1
fi

yaml="$(mktemp)"
trap 'rm -f "$manifest" "$license" "$yaml"' EXIT
{
  echo "# Calico $version: $MANIFEST of the Calico project, unmodified below this header."
  echo "# Source: github.com/projectcalico/calico at tag $version, commit $CALICO_COMMIT"
  echo "#   (git archive calico-$version.tar.gz, sha256 $CALICO_SOURCE_SHA256);"
  echo "#   this file's upstream bytes have sha256 $pinned."
  echo "# License: Apache-2.0 (LICENSE beside this file, upstream's LICENSE.md); (c) the Calico authors."
  echo "# Vendored by scripts/vendor-calico.sh; do not edit. Cairn sets the pool (CALICO_IPV4POOL_CIDR),"
  echo "# the node address autodetection and, for air-gapped sites, the image registry when it renders,"
  echo "# and adds a BGPConfiguration (dev.cairn.cni.CniManifests)."
  cat "$manifest"
} >"$yaml"

status=0
for pair in "$yaml:$out_dir/$version.yaml" "$license:$out_dir/LICENSE"; do
  made="${pair%%:*}" target="${pair#*:}"
  if $check; then
    if [[ ! -f "$target" ]]; then
      echo "Calico $version: ${target#"$root"/} is missing" >&2
      status=1
    elif cmp -s "$made" "$target"; then
      echo "Calico $version: ${target#"$root"/} matches upstream"
    else
      echo "Calico $version: ${target#"$root"/} differs from what this script makes" >&2
      status=1
    fi
  else
    mkdir -p "$out_dir"
    cp "$made" "$target"
    chmod 0644 "$target"
    echo "Calico $version -> ${target#"$root"/}"
  fi
done
exit "$status"
