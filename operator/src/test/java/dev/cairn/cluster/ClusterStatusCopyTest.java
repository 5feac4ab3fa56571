package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.testing.EveryField;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The reconciler works on a copy of the status: a field the copy drops is wiped on every reconcile. */
class ClusterStatusCopyTest {
  @Test
  void aClusterStatusCopyKeepsEveryField() {
    ClusterStatus status = EveryField.filled(new ClusterStatus());
    KubernetesSerialization json = new KubernetesSerialization();
    assertThat(json.asJson(ClusterReconciler.copyOf(status))).isEqualTo(json.asJson(status));
  }
}
