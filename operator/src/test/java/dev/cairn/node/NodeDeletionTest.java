package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeDeletionTest {
  @Test
  void aHostWhereKubeadmRanIsResetEvenIfItNeverJoined() {
    dev.cairn.api.v1alpha1.WorkerNode node = new dev.cairn.api.v1alpha1.WorkerNode();
    node.setStatus(new dev.cairn.api.v1alpha1.NodeStatus());
    node.getStatus().setSteps(java.util.List.of(new dev.cairn.api.v1alpha1.StepStatus("kubeadm-join",
        dev.cairn.api.v1alpha1.StepStatus.State.Pending, 0, null, null, null)));
    assertThat(NodeDeletion.kubeadmTouched(node)).as("never tried").isFalse();
    node.getStatus().setSteps(java.util.List.of(new dev.cairn.api.v1alpha1.StepStatus("kubeadm-join",
        dev.cairn.api.v1alpha1.StepStatus.State.Failed, 1, null, null, "exit code 1")));
    assertThat(NodeDeletion.kubeadmTouched(node)).as("a failed join leaves files").isTrue();
    node.getStatus().setSteps(java.util.List.of(new dev.cairn.api.v1alpha1.StepStatus("containerd",
        dev.cairn.api.v1alpha1.StepStatus.State.Succeeded, 1, null, null, null)));
    assertThat(NodeDeletion.kubeadmTouched(node)).as("host preparation alone").isFalse();
  }

  @Test
  void drainTimeoutsReadAsGoDurations() {
    assertThat(NodeDeletion.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(NodeDeletion.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(NodeDeletion.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> NodeDeletion.parse("5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NodeDeletion.parse("m5s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void daemonSetAndMirrorPodsAreNotEvicted() {
    assertThat(NodeDrain.evictable(new PodBuilder().withNewMetadata().withName("app").endMetadata().build())).isTrue();
    assertThat(NodeDrain.evictable(new PodBuilder().withNewMetadata().withName("ds").addNewOwnerReference()
        .withKind("DaemonSet").withController(true).withName("calico-node").withApiVersion("apps/v1").withUid("u")
        .endOwnerReference().endMetadata().build())).isFalse();
    assertThat(NodeDrain.evictable(new PodBuilder().withNewMetadata().withName("kube-apiserver-cp1")
        .addToAnnotations(NodeDrain.MIRROR_ANNOTATION, "abc").endMetadata().build())).isFalse();
  }
}
