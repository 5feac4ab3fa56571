package dev.cairn.status;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.common.KubernetesVersion;
import java.util.Optional;

/** The Kubernetes version a node runs, as its status records it. */
public final class Versions {
  private Versions() {}

  /**
   * The version Cairn recorded for the node; for a member recorded before Cairn kept it, the
   * version its kubelet reported. Empty for a node that has not installed Kubernetes yet.
   */
  public static Optional<KubernetesVersion> running(HostNode node) {
    if (node.getStatus() == null) {
      return Optional.empty();
    }
    String recorded = node.getStatus().getKubernetesVersion();
    if (recorded == null && Conditions.isTrue(node.getStatus().getConditions(), ConditionType.JOINED)) {
      recorded = node.getStatus().getKubeletVersion();
    }
    try {
      return recorded == null ? Optional.empty() : Optional.of(KubernetesVersion.parse(recorded));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
