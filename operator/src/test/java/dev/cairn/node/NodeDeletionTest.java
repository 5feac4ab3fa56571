package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.ssh.SshException;
import dev.cairn.ssh.SshFailure;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Reason;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
  void aHostThatNeverJoinedIsResetWithoutWaitingForADrain() {
    NodeDeletion deletion = new NodeDeletion(new HostWork((target, credentials, policy, timeout) -> {
      throw new SshException(SshFailure.UNREACHABLE, "no route to host");
    }, new StepRunner(Clock.systemUTC())), cluster -> Optional.empty(), Clock.systemUTC());
    WorkerNode failedJoin = deleting(new StepStatus("kubeadm-join", StepStatus.State.Failed, 1, null, null, "exit 1"));

    NodeDeletion.Result never = deletion.next(failedJoin, Optional.of(new Cluster()), () -> List.of(failedJoin),
        () -> new SecretBuilder().addToStringData("ssh-privatekey", "not a key").build());
    assertThat(never).isInstanceOfSatisfying(NodeDeletion.Wait.class,
        w -> assertThat(w.stage()).as("%s", w.message()).isEqualTo(Reason.RESETTING_HOST));

    WorkerNode member = deleting(new StepStatus("kubeadm-join", StepStatus.State.Succeeded, 1, null, null, null));
    member.getStatus().setConditions(List.of(new ConditionBuilder().withType(ConditionType.JOINED).withStatus("True")
        .build()));
    NodeDeletion.Result joined = deletion.next(member, Optional.of(new Cluster()), () -> List.of(member),
        () -> new SecretBuilder().addToStringData("ssh-privatekey", "not a key").build());
    assertThat(joined).as("a member is drained first").isInstanceOfSatisfying(NodeDeletion.Wait.class,
        w -> assertThat(w.stage()).isEqualTo(Reason.DRAINING_NODE));
  }

  private static WorkerNode deleting(StepStatus step) {
    WorkerNode node = NodeObjects.node(new WorkerNode(), "ns", "w1", "demo", "192.0.2.10", null, "ssh");
    node.getMetadata().setDeletionTimestamp(Instant.now().toString());
    node.setStatus(new NodeStatus());
    node.getStatus().setNodeName("w1");
    node.getStatus().setSteps(List.of(step));
    return node;
  }

  @Test
  void drainTimeoutsReadAsGoDurations() {
    assertThat(dev.cairn.common.GoDuration.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(dev.cairn.common.GoDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(dev.cairn.common.GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> dev.cairn.common.GoDuration.parse("5")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dev.cairn.common.GoDuration.parse("m5s")).isInstanceOf(IllegalArgumentException.class);
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
