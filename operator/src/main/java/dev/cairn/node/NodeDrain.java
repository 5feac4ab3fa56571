package dev.cairn.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;

/**
 * One look at draining a Node through the workload API, as {@code kubectl drain} does: cordon it,
 * ask the Eviction API (policy/v1) to evict each pod on it, and report whether any are left. A
 * PodDisruptionBudget that does not allow an eviction yet (HTTP 429) is respected: the pod stays
 * and the next look asks again. Pods of DaemonSets (they would come back) and mirror pods of
 * static manifests (the kubelet owns them) are left alone. Never waits inside a call.
 */
final class NodeDrain {
  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  /** Drained, or what is still on the Node. */
  record Progress(boolean done, String message) {}

  private NodeDrain() {}

  static Progress step(KubernetesClient api, String nodeName) {
    Node node = api.nodes().withName(nodeName).get();
    if (node == null) {
      return new Progress(true, "no Node " + nodeName + " in the workload cluster");
    }
    if (!Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      api.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          "{\"spec\":{\"unschedulable\":true}}");
    }
    List<Pod> pods = api.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems().stream()
        .filter(NodeDrain::evictable).toList();
    if (pods.isEmpty()) {
      return new Progress(true, "Node " + nodeName + " is cordoned and drained");
    }
    List<String> blocked = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue; // evicted already: waiting for it to terminate
      }
      try {
        if (!api.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).evict()) {
          blocked.add(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    String message = "waiting for " + pods.size() + " pod(s) to leave Node " + nodeName;
    if (!blocked.isEmpty()) {
      message += "; a PodDisruptionBudget does not allow evicting " + String.join(", ", blocked.subList(0,
          Math.min(5, blocked.size()))) + (blocked.size() > 5 ? " and " + (blocked.size() - 5) + " more" : "") + " yet";
    }
    return new Progress(false, message);
  }

  static boolean evictable(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(MIRROR_ANNOTATION)) {
      return false;
    }
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners == null || owners.stream().noneMatch(o -> "DaemonSet".equals(o.getKind())
        && Boolean.TRUE.equals(o.getController()));
  }
}
