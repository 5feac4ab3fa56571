# kubeadm's UpgradeConfiguration: the target, the patches the node was initialised or joined with
# (so the upgraded static Pods keep them; an empty directory is none) and the Cluster's timeouts
install -d -m 0755 /etc/cairn
install -d -m 0700 "$PATCHES_DIR"
printf '%s\n' "$UPGRADE_CONFIG" > /etc/cairn/kubeadm-upgrade.yaml
if [ "$MODE" = apply ]; then
  # the cluster's own record says whether apply ran already for this version (on another control
  # plane, or here before the operator stopped): then this host needs only its own part
  current=$(kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get configmap kubeadm-config \
    -o jsonpath='{.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion:[[:space:]]*//p')
  if [ "$current" = "$TO" ]; then
    kubeadm upgrade node --config /etc/cairn/kubeadm-upgrade.yaml
  else
    kubeadm upgrade apply --yes --config /etc/cairn/kubeadm-upgrade.yaml
  fi
else
  kubeadm upgrade node --config /etc/cairn/kubeadm-upgrade.yaml
fi
printf '%s\n' "$TO" > /etc/cairn/upgraded.cairn-new
mv -f /etc/cairn/upgraded.cairn-new /etc/cairn/upgraded
