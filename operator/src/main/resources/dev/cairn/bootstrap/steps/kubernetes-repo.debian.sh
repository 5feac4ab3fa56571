# the upstream repository of Kubernetes $KUBE_MINOR (pkgs.k8s.io has one per minor), for packages.source upstream
if [ "$SOURCE" = upstream ]; then
  install -d -m 0755 /etc/apt/keyrings
  repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/deb/"
  if ! grep -qsF "$repo" /etc/apt/sources.list.d/kubernetes.list; then
    curl -fsSL "${repo}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
    echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] $repo /" > /etc/apt/sources.list.d/kubernetes.list
  fi
fi
