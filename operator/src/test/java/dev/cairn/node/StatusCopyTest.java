package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.testing.EveryField;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The reconcilers work on a copy of the status: a field the copy drops is wiped on every reconcile. */
class StatusCopyTest {
  @Test
  void aNodeStatusCopyKeepsEveryField() {
    NodeStatus status = EveryField.filled(new NodeStatus());
    KubernetesSerialization json = new KubernetesSerialization();
    assertThat(json.asJson(NodeRules.copyOf(status))).isEqualTo(json.asJson(status));
  }
}
