# the patches the node was initialised or joined with apply to the upgraded static Pods too
patches=()
if [ -n "$(ls -A "$PATCHES_DIR" 2>/dev/null)" ]; then patches=(--patches "$PATCHES_DIR"); fi
if [ "$MODE" = apply ]; then
  # the cluster's own record says whether apply ran already for this version (on another control
  # plane, or here before the operator stopped): then this host needs only its own part
  current=$(kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-system get configmap kubeadm-config \
    -o jsonpath='{.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion:[[:space:]]*//p')
  if [ "$current" = "$TO" ]; then
    kubeadm upgrade node "${patches[@]}"
  else
    kubeadm upgrade apply "$TO" --yes "${patches[@]}"
  fi
else
  kubeadm upgrade node "${patches[@]}"
fi
install -d -m 0755 /etc/cairn
printf '%s\n' "$TO" > /etc/cairn/upgraded.cairn-new
mv -f /etc/cairn/upgraded.cairn-new /etc/cairn/upgraded
