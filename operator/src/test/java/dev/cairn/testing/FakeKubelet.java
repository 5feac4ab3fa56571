package dev.cairn.testing;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What a kubelet writes, written by a test that stands in for it. */
public final class FakeKubelet {
  private FakeKubelet() {}

  /**
   * Puts {@code status} on Node {@code name}. The operator may label or taint the Node between
   * the test's read and this write (409 Conflict): then it is read again and written again.
   */
  public static void report(KubernetesClient workload, String name, NodeStatus status) {
    for (int attempt = 1; ; attempt++) {
      var node = workload.nodes().withName(name).get();
      node.setStatus(status);
      try {
        workload.nodes().resource(node).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
