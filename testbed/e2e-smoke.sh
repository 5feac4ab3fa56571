#!/usr/bin/env bash
# The offline end-to-end proof, by hand: two Debian guests on the host-only bridge become a
# kubeadm cluster of the Kubernetes version in scripts/versions.env, with every package from the
# local apt repository and every image from the local registry, and serve a test workload.
#
#   artifacts  e2e-lab.sh artifacts: build-node-packages.sh → make-repo.sh, make-images.sh,
#              make-image.sh (all cached)
#   network    e2e-lab.sh network: lab-net.sh up (cairnbr0 10.78.0.1/24), the apt repo on
#              10.78.0.1:8080, registry.sh up (10.78.0.1:5000, images pushed)
#   boot       e2e-lab.sh boot: e2e-cp (10.78.0.11, CPUS=2 CP_MEM=3072) and e2e-w1 (10.78.0.12,
#              W_CPUS=1 W_MEM=2048) in parallel, resolv.conf → 10.78.0.1 (the lab E2EIT gets too)
#   host prep  on both, the operator's own step scripts (its golden files under
#              operator/src/test/resources/golden/, mirror and sandbox image filled in): swap off,
#              kernel modules, sysctls, containerd from the mirror with SystemdCgroup = true,
#              kubeadm/kubelet/kubectl (+ cri-tools, kubernetes-cni) from the mirror, held; then
#              what the operator does not do yet: containerd's hosts.toml for the HTTP registry
#   init       kubeadm init --config (imageRepository = the registry, podSubnet for flannel), with
#              TCG tunings: long timeouts, relaxed static-pod probes, no leader election, slow etcd
#              elections (testbed only; see testbed/README.md)
#   flannel    the operator's own flannel manifest as it renders it (its golden file, operator/src/
#              test/resources/golden/cni/flannel-$FLANNEL_VERSION.yaml, which CniManifestsTest
#              compares with the renderer's output: FLANNELD_IFACE from the Node's InternalIP), with
#              the golden's registry and pod network swapped for the lab's (→ 10.78.0.1:5000/k8s/
#              flannel-io/…); the guests have two NICs (e2e-lab.sh), the default route on the NAT
#              one, and flanneld must take the host-only one: checked in "ready"
#   join       kubeadm join --config on the worker
#   ready      both Nodes Ready, flannel, kube-proxy and CoreDNS rolled out
#   workload   Deployment k8s/echo:test on the worker, ClusterIP Service; curl from the control
#              plane host, and a client pod on the control plane through the Service's DNS name
#
# Usage: e2e-smoke.sh          (root; $CAIRN_CACHE must be writable; nothing leaves the machine)
#   KEEP=1         leave VMs, registry, repo server and bridge up (tear down: e2e-smoke.sh down,
#                  which is e2e-lab.sh down)
#   CP_MEM=3072 CPUS=2 W_MEM=2048 W_CPUS=1   guest sizes, passed to e2e-lab.sh (the worker runs
#                  little; TCG vCPUs share 2 cores)
#   WAIT=1800      seconds allowed for each waiting phase (TCG is 5-10x slower than native)
#   PHASES="init flannel"   run only these phases, against what is up (with KEEP=1: debugging)
# Prints each phase's time and ends with "N passed, N failed". Logs: $CAIRN_CACHE/logs/ (this
# script's own; CAIRN_CACHE: scripts/lib-cache.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/scripts/versions.env"
. "$root/scripts/lib-cache.sh"
GOLDEN=$root/operator/src/test/resources/golden
FLANNEL_MANIFEST=$GOLDEN/cni/flannel-$FLANNEL_VERSION.yaml
GOLDEN_REGISTRY=registry.internal.example/mirror
WAIT=${WAIT:-1800}
LAB=$here/e2e-lab.sh
# the lab's addresses, key and pod network, from the lab itself (CP_IP W_IP REPO_URL IMAGE_REPO SSH_KEY POD_SUBNET)
CP_IP='' W_IP='' REPO_URL='' IMAGE_REPO='' SSH_KEY='' POD_SUBNET=''
while IFS= read -r line; do
  case ${line%%=*} in CP_IP|W_IP|REPO_URL|IMAGE_REPO|SSH_KEY|POD_SUBNET) printf -v "${line%%=*}" '%s' "${line#*=}" ;; esac
done < <("$LAB" env)
[[ -n $CP_IP && -n $W_IP && -n $REPO_URL && -n $IMAGE_REPO && -n $SSH_KEY && -n $POD_SUBNET ]] \
  || { echo "e2e-lab.sh env did not name the lab" >&2; exit 1; }
REGISTRY=${IMAGE_REPO%%/*}

pass=0 fail=0
declare -a timings=()
ok()  { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
ssh_to() { local ip=$1; shift
  ssh -i "$SSH_KEY" -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=10 -o ServerAliveInterval=15 \
      -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "root@$ip" "$@"; }
cp_() { ssh_to "$CP_IP" "$@"; }
w1_() { ssh_to "$W_IP" "$@"; }
kc() { cp_ "kubectl --kubeconfig /etc/kubernetes/admin.conf $(printf '%q ' "$@")"; }
kc_apply() { printf '%s\n' "$1" | kc apply -f -; }

# until_ok SECONDS CMD...: CMD again every 10 s until it succeeds or SECONDS have passed. Under
# TCG the API server is now and then unreachable for a moment; that must not fail a wait.
until_ok() {
  local end=$(( $(date +%s) + $1 )); shift
  until "$@"; do
    (( $(date +%s) < end )) || { echo "gave up after retries: $*" >&2; return 1; }
    sleep 10
  done
}

# phase NAME CMD...: runs CMD, records its time; a failed phase ends the run (cleanup follows)
phase() {
  local name=$1; shift
  [[ -z ${PHASES:-} || " $PHASES " == *" $name "* ]] || return 0
  local t0; t0=$(date +%s)
  echo "=== $name ($(date -u +%T))"
  if "$@"; then
    local s=$(( $(date +%s) - t0 ))
    timings+=("$(printf '%-12s %5d s' "$name" "$s")"); ok "$name (${s} s)"
  else
    local s=$(( $(date +%s) - t0 ))
    timings+=("$(printf '%-12s %5d s FAILED' "$name" "$s")"); bad "$name (${s} s)"
    exit 1
  fi
}

teardown() { "$LAB" down; }
if [[ ${1:-} == down ]]; then teardown; exit 0; fi

finish() {
  local rc=$?
  if ((fail)) && [[ -f $("$here/boot-vm.sh" --dir e2e-cp)/pid ]]; then
    echo "--- diagnostics"
    cp_ 'kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o wide; kubectl --kubeconfig /etc/kubernetes/admin.conf get pods -A -o wide;
         kubectl --kubeconfig /etc/kubernetes/admin.conf get events -A --sort-by=.lastTimestamp | tail -25;
         crictl -r unix:///run/containerd/containerd.sock ps -a; journalctl -u kubelet --no-pager | tail -30' 2>&1 | sed 's/^/cp: /'
    w1_ 'crictl -r unix:///run/containerd/containerd.sock ps -a; journalctl -u kubelet --no-pager | tail -30' 2>&1 | sed 's/^/w1: /'
  fi
  echo "--- timings"; printf '%s\n' "${timings[@]}"
  echo "total $(( $(date +%s) - T0 )) s"
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "KEEP=1: left running; ssh -i $SSH_KEY root@$CP_IP; tear down with: $0 down"
  else
    teardown >/dev/null 2>&1
  fi
  echo "$pass passed, $fail failed"
  ((fail == 0 && rc == 0)) || exit 1
}
T0=$(date +%s)
trap finish EXIT
trap 'exit 1' INT TERM
[[ $(id -u) == 0 ]] || { echo "e2e-smoke.sh must run as root" >&2; exit 1; }

# --- the lab (e2e-lab.sh, which E2EIT uses too): artifacts (each cached; cold: see
# testbed/README.md), the test network and its servers, the two guests
phase artifacts "$LAB" artifacts
phase network "$LAB" network
# the proof starts from fresh guests (e2e-lab.sh would keep running ones, e.g. a KEEP=1 run's)
boot() {
  local n d
  for n in e2e-cp e2e-w1; do
    d=$("$here/boot-vm.sh" --dir "$n")
    if [[ -f $d/pid ]] && kill -0 "$(cat "$d/pid")" 2>/dev/null; then
      echo "$n is up already (left by KEEP=1?): $0 down first" >&2; return 1
    fi
  done
  "$LAB" boot
}
phase boot boot

# --- host preparation: the operator's scripts as its golden files record them
render() { # GOLDEN-FILE: the operator's script with this testbed's mirror, sandbox image and Kubernetes version
  local f=$GOLDEN/$1
  [[ -f $f ]] || { echo "no golden file $f" >&2; return 1; }
  if grep -q '^MIRROR=' "$f"; then [[ $(grep -c '^MIRROR=' "$f") == 1 ]] || { echo "$1: MIRROR line not unique" >&2; return 1; }; fi
  sed -e "s#^MIRROR=.*#MIRROR='$REPO_URL'#" -e "s#^KUBE_VERSION=.*#KUBE_VERSION='${KUBE_VERSION#v}'#" -e "s#^SANDBOX=.*#SANDBOX='$IMAGE_REPO/pause:$PAUSE_VERSION'#" "$f"
}
# not (yet) done by the operator: containerd 1.6 finds registry settings in certs.d/HOST/hosts.toml
# once config_path names the directory; an http:// server there means plain HTTP to that registry
containerd_registry() {
  cat <<SH
set -euo pipefail
install -d -m 0755 /etc/containerd/certs.d/$REGISTRY
cat > /etc/containerd/certs.d/$REGISTRY/hosts.toml <<'TOML'
server = "http://$REGISTRY"

[host."http://$REGISTRY"]
  capabilities = ["pull", "resolve"]
TOML
sed -i -E 's#^([[:space:]]*config_path[[:space:]]*=[[:space:]]*).*#\1"/etc/containerd/certs.d"#' /etc/containerd/config.toml
grep -q 'config_path = "/etc/containerd/certs.d"' /etc/containerd/config.toml
systemctl restart containerd
printf 'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\n' > /etc/crictl.yaml
SH
}
prep_node() { # IP NAME
  local ip=$1 name=$2 step t
  for step in swap-off.sh kernel-modules.sh sysctl.sh containerd-debian-mirror.sh containerd-registry kubernetes-packages-debian-mirror.sh; do
    t=$(date +%s)
    if [[ $step == containerd-registry ]]; then containerd_registry; else render "$step"; fi | ssh_to "$ip" bash -s \
      > "$LOGDIR/$name-$step.log" 2>&1 || { echo "$name: $step failed:" >&2; tail -20 "$LOGDIR/$name-$step.log" >&2; return 1; }
    echo "  $name $step $(( $(date +%s) - t )) s"
  done
  ssh_to "$ip" 'kubeadm version -o short; crictl --version; ls /opt/cni/bin | tr "\n" " "; echo; crictl info >/dev/null && echo cri-ok'
}
LOGDIR=$CAIRN_CACHE/logs/e2e-$(date -u +%Y%m%dT%H%M%S)
mkdir -p "$LOGDIR"
hostprep() {
  prep_node "$CP_IP" e2e-cp > "$LOGDIR/prep-cp.out" 2>&1 & local p1=$!
  prep_node "$W_IP" e2e-w1 > "$LOGDIR/prep-w1.out" 2>&1 & local p2=$!
  local r=0; wait $p1 || r=1; wait $p2 || r=1
  cat "$LOGDIR/prep-cp.out" "$LOGDIR/prep-w1.out"
  return $r
}
phase hostprep hostprep

# --- kubeadm init, with a config file in the operator's format (golden kubeadm/v1.34-*.yaml)
TOKEN=${TOKEN:-$(tr -dc a-z0-9 < /dev/urandom | head -c6).$(tr -dc a-z0-9 < /dev/urandom | head -c16)}
TIMEOUTS="timeouts:
  controlPlaneComponentHealthCheck: \"30m0s\"
  kubeletHealthCheck: \"15m0s\"
  kubernetesAPICall: \"5m0s\"
  etcdAPICall: \"5m0s\"
  tlsBootstrap: \"15m0s\"
  discovery: \"15m0s\""
# static-pod probes that tolerate TCG: kubeadm's liveness probe (8 x 10 s, 15 s timeout) kills an
# API server whose etcd is merely slow, which then takes minutes to come back. kubeadm --patches.
probe_patches() {
  local c
  for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do
    cat <<SH
cat > /etc/cairn/patches/$c+strategic.yaml <<'YAML'
spec:
  containers:
  - name: $c
    livenessProbe:
      timeoutSeconds: 30
      periodSeconds: 20
      failureThreshold: 60
    startupProbe:
      timeoutSeconds: 30
      failureThreshold: 120
YAML
SH
  done
}
init() {
  { echo "install -d -m 0700 /etc/cairn/patches"; probe_patches; } | cp_ bash -s || return 1
  cp_ "cat > /etc/cairn/kubeadm-init.yaml" <<YAML
---
apiVersion: "kubeadm.k8s.io/v1beta4"
kind: "InitConfiguration"
bootstrapTokens:
- token: "$TOKEN"
  ttl: "3600s"
  groups:
  - "system:bootstrappers:kubeadm:default-node-token"
  usages:
  - "signing"
  - "authentication"
localAPIEndpoint:
  advertiseAddress: "$CP_IP"
  bindPort: 6443
nodeRegistration:
  name: "e2e-cp"
  criSocket: "unix:///var/run/containerd/containerd.sock"
  kubeletExtraArgs:
  - name: "node-ip"
    value: "$CP_IP"
patches:
  directory: "/etc/cairn/patches"
$TIMEOUTS
---
apiVersion: "kubeadm.k8s.io/v1beta4"
kind: "ClusterConfiguration"
clusterName: "e2e"
kubernetesVersion: "$KUBE_VERSION"
imageRepository: "$IMAGE_REPO"
networking:
  podSubnet: "$POD_SUBNET"
  serviceSubnet: "10.96.0.0/12"
  dnsDomain: "cluster.local"
apiServer:
  certSANs:
  - "$CP_IP"
# under TCG (5-10x slower than native, CPU shared with the worker) the defaults make a single
# control plane churn: etcd's 1 s election timeout gives 7 s request timeouts, and the
# controller-manager and scheduler exit whenever a lease renewal misses its 10 s deadline.
# One control plane needs no leader election; etcd gets 5 s elections (15 s request timeouts).
controllerManager:
  extraArgs:
  - name: "leader-elect"
    value: "false"
scheduler:
  extraArgs:
  - name: "leader-elect"
    value: "false"
etcd:
  local:
    extraArgs:
    - name: "heartbeat-interval"
      value: "500"
    - name: "election-timeout"
      value: "5000"
---
apiVersion: "kubelet.config.k8s.io/v1beta1"
kind: "KubeletConfiguration"
cgroupDriver: "systemd"
YAML
  cp_ "kubeadm config images list --config /etc/cairn/kubeadm-init.yaml"
  cp_ "kubeadm init --config /etc/cairn/kubeadm-init.yaml -v=1" > "$LOGDIR/kubeadm-init.log" 2>&1 \
    || { tail -40 "$LOGDIR/kubeadm-init.log"; return 1; }
  grep -E '^\[(init|mark-control-plane|bootstrap-token|addons)\]|successfully' "$LOGDIR/kubeadm-init.log" | tail -8
}
phase init init

# the operator's manifest as it renders it (the golden), its test registry and pod network
# replaced by the lab's
flannel() {
  local manifest left
  [[ -f $FLANNEL_MANIFEST ]] || { echo "no flannel manifest $FLANNEL_MANIFEST" >&2; return 1; }
  grep -q FLANNELD_IFACE "$FLANNEL_MANIFEST" || { echo "the rendered flannel sets no interface" >&2; return 1; }
  manifest=$(sed -E -e "s#$GOLDEN_REGISTRY/#$IMAGE_REPO/#" -e 's#^([[:space:]]*(- )?image:[[:space:]]*)"([^"]*)"#\1\3#' \
      -e "s#(\"Network\":[[:space:]]*)\"[^\"]*\"#\1\"$POD_SUBNET\"#" "$FLANNEL_MANIFEST")
  left=$(grep -E '^[[:space:]]*(- )?image:' <<< "$manifest" | grep -vF "image: $IMAGE_REPO/")
  [[ -z $left ]] || { echo "images not relocated: $left" >&2; return 1; }
  grep -E '^[[:space:]]*(- )?image:|^[[:space:]]+"Network"' <<< "$manifest" | sort | uniq -c
  until_ok 300 kc_apply "$manifest"
}
phase flannel flannel

join() {
  local hash
  hash=$(cp_ "openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1") || return 1
  w1_ "install -d -m 0700 /etc/cairn && cat > /etc/cairn/kubeadm-join.yaml" <<YAML
---
apiVersion: "kubeadm.k8s.io/v1beta4"
kind: "JoinConfiguration"
discovery:
  bootstrapToken:
    apiServerEndpoint: "$CP_IP:6443"
    token: "$TOKEN"
    caCertHashes:
    - "sha256:$hash"
nodeRegistration:
  name: "e2e-w1"
  criSocket: "unix:///var/run/containerd/containerd.sock"
  kubeletExtraArgs:
  - name: "node-ip"
    value: "$W_IP"
$TIMEOUTS
YAML
  w1_ "kubeadm join --config /etc/cairn/kubeadm-join.yaml -v=1" > "$LOGDIR/kubeadm-join.log" 2>&1 \
    || { tail -40 "$LOGDIR/kubeadm-join.log"; return 1; }
  grep -E 'This node has joined|successfully' "$LOGDIR/kubeadm-join.log" | tail -3
}
phase join join

# each node's flanneld took its host-only address (the Node's InternalIP), not the NAT NIC's
# 10.0.2.15 of the default route: the public-ip annotation flanneld writes, and the VXLAN device
flannel_on_host_only() {
  local ip node
  for ip in "$CP_IP" "$W_IP"; do
    node=$(kc get nodes -o "jsonpath={.items[?(@.status.addresses[0].address=='$ip')].metadata.name}")
    [[ -n $node ]] || { echo "no Node with InternalIP $ip" >&2; return 1; }
    [[ $(kc get node "$node" -o 'jsonpath={.metadata.annotations.flannel\.alpha\.coreos\.com/public-ip}') == "$ip" ]] \
      || { echo "flannel's public-ip on $node is not $ip" >&2; return 1; }
    ssh_to "$ip" "ip -d link show flannel.1" | grep -q "local $ip " \
      || { echo "flannel.1 on $node is not bound to $ip" >&2; return 1; }
    echo "flannel on $node: $ip"
  done
}
ready() {
  until_ok "$WAIT" kc wait --for=condition=Ready node --all --timeout=120s &&
  until_ok "$WAIT" kc -n kube-flannel rollout status ds/kube-flannel-ds --timeout=120s &&
  flannel_on_host_only &&
  until_ok "$WAIT" kc -n kube-system rollout status ds/kube-proxy --timeout=120s &&
  until_ok "$WAIT" kc -n kube-system rollout status deploy/coredns --timeout=120s &&
  until_ok 300 kc get nodes -o wide && until_ok 300 kc get pods -A -o wide
}
phase ready ready

workload() {
  until_ok 300 kc_apply "$(cat <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 1
  selector:
    matchLabels: {app: echo}
  template:
    metadata:
      labels: {app: echo}
    spec:
      nodeSelector: {kubernetes.io/hostname: e2e-w1}
      containers:
      - name: echo
        image: $IMAGE_REPO/echo:test
        args: [serve, ":8080"]
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: echo
spec:
  selector: {app: echo}
  ports: [{port: 80, targetPort: 8080}]
YAML
)" || return 1
  until_ok "$WAIT" kc rollout status deploy/echo --timeout=120s || return 1
  local ip out
  ip=$(until_ok 300 kc get svc echo -o jsonpath='{.spec.clusterIP}') || return 1
  echo "echo Service ClusterIP $ip, pod $(until_ok 300 kc get pods -l app=echo -o jsonpath='{.items[0].spec.nodeName} {.items[0].status.podIP}')"
  # 1. from the control-plane host: kube-proxy's rules there, VXLAN to the worker's pod
  out=$(cp_ "for i in \$(seq 30); do curl -fsS --max-time 5 http://$ip/ && exit 0; sleep 2; done; exit 1") || { echo "curl from e2e-cp host failed" >&2; return 1; }
  echo "e2e-cp host -> http://$ip/: $out"
  # 2. from a pod on the control plane, by the Service's DNS name (CoreDNS)
  until_ok 300 kc_apply "$(cat <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: echo-client
spec:
  nodeName: e2e-cp
  restartPolicy: Never
  tolerations: [{operator: Exists}]
  containers:
  - name: client
    image: $IMAGE_REPO/echo:test
    args: [get, "http://echo.default.svc.cluster.local/", "30"]
YAML
)" || return 1
  until_ok "$WAIT" kc wait --for=jsonpath='{.status.phase}'=Succeeded pod/echo-client --timeout=120s || { kc logs echo-client; return 1; }
  echo "pod on e2e-cp -> http://echo.default.svc.cluster.local/: $(until_ok 300 kc logs echo-client)"
}
phase workload workload
