package dev.cairn.bootstrap;

/**
 * What deleting a member undoes on its host: kubeadm's work, the CNI's config, Cairn's member mark
 * and kubeadm configs, and the packet-filter rules kube-proxy and the CNI left. Host preparation
 * (packages, containerd, sysctls, swap) stays. Safe to run again: every part is a no-op on a host
 * that is already reset. Nothing in it comes from a spec, so nothing needs quoting.
 */
public final class HostReset {
  /**
   * On a control plane, {@code kubeadm reset} also removes the host's etcd member (and its
   * API endpoint) from the cluster; it can do that only while etcd has quorum, so control planes
   * go one at a time, after the workers.
   */
  public static final String SCRIPT = """
      set -euo pipefail
      export PATH="$PATH:/usr/sbin:/sbin"
      if command -v kubeadm >/dev/null 2>&1; then
        kubeadm reset -f --cri-socket unix:///var/run/containerd/containerd.sock
      fi
      rm -rf /etc/cni/net.d/*
      rm -f /etc/cairn/member /etc/cairn/upgraded /etc/cairn/kubeadm*.yaml
      if command -v iptables >/dev/null 2>&1; then
        iptables -F
        iptables -t nat -F
        iptables -t mangle -F
        iptables -X
      fi
      if command -v ip6tables >/dev/null 2>&1; then
        # a host without IPv6 tables has nothing there to flush
        ip6tables -F || true
        ip6tables -t nat -F || true
        ip6tables -t mangle -F || true
        ip6tables -X || true
      fi
      if command -v ipvsadm >/dev/null 2>&1; then
        ipvsadm --clear
      fi
      echo "cairn: host reset"
      """;

  /** How long the reset may take: kubeadm reset stops every container first. */
  public static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(5);

  private HostReset() {}
}
