#!/usr/bin/env bash
# The container registry of the test network: Debian's docker-registry (CNCF distribution 2.8),
# plain HTTP on the bridge address, storage in its state directory (kept between runs, so a
# push uploads only what changed), and the images of make-images.sh pushed into it with skopeo.
#
# Usage: registry.sh up|down|status|push      (root for up: it may apt-get install)
#        registry.sh --dir                    prints the state directory, starts and creates nothing
#   ADDR=10.78.0.1:5000   listen address: loopback or the host-only bridge (lab-net.sh up) only
#   NO_PUSH=1             up without pushing
# Images are then at ADDR/k8s/NAME:TAG (see images.tsv in make-images.sh --dir).
# State: $CAIRN_CACHE/registry (scripts/lib-cache.sh): config.yml, registry.pid, registry.log, data/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../scripts/lib-cache.sh"
ADDR=${ADDR:-10.78.0.1:5000}
S=$CAIRN_CACHE/registry
die() { echo "registry.sh: $*" >&2; exit 1; }
running() { [[ -f $S/registry.pid ]] && [[ "$(cat "/proc/$(cat "$S/registry.pid")/comm" 2>/dev/null)" == docker-registr* ]]; }

push() {
  local img; img=$("$here/make-images.sh" --dir)
  [[ -s $img/images.tsv ]] || "$here/make-images.sh"
  local t ref n=0; t=$(date +%s)
  while IFS=$'\t' read -r ref _; do
    skopeo copy -q --dest-tls-verify=false "oci:$img/oci:$ref" "docker://$ADDR/$ref"
    n=$((n + 1))
  done < "$img/images.tsv"
  echo "pushed $n images to $ADDR in $(( $(date +%s) - t )) s"
}

case ${1:-} in
  --dir) echo "$S" ;;
  up)
    host=${ADDR%:*}
    if [[ $host != 127.* ]]; then
      dev=$(ip -o -4 addr show | awk -v a="$host" '{split($4, p, "/")} p[1] == a {print $2}')
      [[ -n $dev ]] && ip -d link show "$dev" | grep -q ' bridge ' \
        && [[ -z $(ip -o link show master "$dev" | awk -F': ' '{print $2}' | grep -v '^tap-') ]] \
        || die "ADDR=$ADDR is neither loopback nor on a host-only testbed bridge (lab-net.sh up)"
    fi
    missing=()
    command -v docker-registry >/dev/null || missing+=(docker-registry)
    command -v skopeo >/dev/null || missing+=(skopeo)
    if ((${#missing[@]})); then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    mkdir -p "$S/data"
    if ! running; then
      cat > "$S/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $S/data
  delete:
    enabled: false
http:
  addr: $ADDR
YML
      if curl -s -o /dev/null --max-time 2 "http://$ADDR/"; then die "something already listens on $ADDR"; fi
      rm -f "$S/registry.pid"
      # the pid written is the registry's own (exec), whether or not setsid had to fork
      setsid bash -c 'echo $$ > "$1"; exec docker-registry serve "$2"' _ "$S/registry.pid" "$S/config.yml" \
        > "$S/registry.log" 2>&1 < /dev/null &
      # up to 30 s: a registry started beside a busy build once needed more than 10
      for _ in $(seq 300); do
        curl -fs -o /dev/null --max-time 1 "http://$ADDR/v2/" && break
        [[ -f $S/registry.pid ]] && ! running && break
        sleep 0.1
      done
      curl -fs -o /dev/null --max-time 1 "http://$ADDR/v2/" || { cat "$S/registry.log" >&2; die "registry did not come up on $ADDR"; }
      echo "registry on http://$ADDR/ (pid $(cat "$S/registry.pid"))"
    fi
    [[ ${NO_PUSH:-0} == 1 ]] || push
    ;;
  push) running || die "not running: registry.sh up"; push ;;
  down)
    if running; then
      pid=$(cat "$S/registry.pid"); kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "registry stopped"
    fi
    rm -f "$S/registry.pid" ;;
  status) running && echo "registry on http://$ADDR/ (pid $(cat "$S/registry.pid"))" || { echo "registry not running"; exit 3; } ;;
  *) die "usage: registry.sh up|down|status|push|--dir" ;;
esac
