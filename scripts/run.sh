#!/usr/bin/env bash
# Runs Cairn from a checkout: builds the operator, and the local management API server binaries
# when it will need them, then starts it. Arguments go to the operator (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -DskipTests -DskipITs package -pl operator -am
./mvnw -B -q -pl operator dependency:build-classpath -Dmdep.outputFile="$PWD/operator/target/classpath.txt" >/dev/null
cp="operator/target/classes:$(cat operator/target/classpath.txt)"

# The embedded management cluster (--embedded, or no cluster reachable) needs kube-apiserver,
# etcd and kubectl; build them once from their Go modules (a no-op when present). Where they are
# is build-kube-binaries.sh's to say.
if [[ " $* " == *" --embedded "* ]] || ! java -cp "$cp" dev.cairn.ClusterProbe >/dev/null 2>&1; then
  scripts/build-kube-binaries.sh
fi
CAIRN_EMBEDDED_BINARIES=$(scripts/build-kube-binaries.sh --dir); export CAIRN_EMBEDDED_BINARIES
exec java -cp "$cp" dev.cairn.Main "$@"
