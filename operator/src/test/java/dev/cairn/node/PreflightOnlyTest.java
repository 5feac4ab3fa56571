package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.bootstrap.FakeHost;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Plans;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.ssh.Redactor;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Preflight-only mode's status, from check-only runs on a {@link FakeHost}: no SSH, no API server. */
class PreflightOnlyTest {
  private static final Duration RESYNC = Duration.ofMinutes(5);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T07:00:00Z"), ZoneOffset.UTC);
  private final NodeRules rules = new NodeRules(new Conditions(CLOCK), RESYNC, ConditionType.CONTROL_PLANE_NODE, CLOCK);
  private final PreflightOnly preflightOnly = new PreflightOnly(rules, new Conditions(CLOCK));

  @Test
  void aBareHostPassesPreflightAndSaysWhatWouldChangeWithoutRunningIt() throws Exception {
    ControlPlaneNode node = node(Map.of(Annotations.PREFLIGHT_ONLY, "true"));
    NodeStatus status = rules.observed(node, Optional.of(cluster(Map.of())));
    FakeHost host = FakeHost.bareDebianControlPlane();

    Duration next = preflightOnly.hostChecked(node, status, checked(host));

    assertThat(host.applies()).as("nothing but the facts ran").isEmpty();
    assertThat(next).as("nothing more happens until the annotation goes").isEqualTo(RESYNC);
    is(status, ConditionType.HOST_REACHABLE, "True", Reason.CONNECTED);
    is(status, ConditionType.PREFLIGHT_PASSED, "True", Reason.SUCCEEDED);
    is(status, ConditionType.HOST_PREPARED, "False", Reason.PREFLIGHT_ONLY);
    assertThat(condition(status, ConditionType.HOST_PREPARED).getMessage())
        .isEqualTo("would apply: swap-off, kernel-modules, sysctl");
    is(status, ConditionType.CONTAINER_RUNTIME_READY, "False", Reason.PREFLIGHT_ONLY);
    is(status, ConditionType.KUBERNETES_INSTALLED, "False", Reason.PREFLIGHT_ONLY);
    is(status, ConditionType.KUBEADM_INITIALIZED, "False", Reason.PREFLIGHT_ONLY);
    is(status, ConditionType.JOINED, "False", Reason.PREFLIGHT_ONLY);
    is(status, ConditionType.READY, "False", Reason.PREFLIGHT_ONLY);
    assertThat(condition(status, ConditionType.READY).getMessage()).isEqualTo("preflight only: preflight passed;"
        + " 5 steps would change the host: swap-off, kernel-modules, sysctl, containerd, kubernetes-packages;"
        + " remove the annotation cairn.dev/preflight-only to proceed");
    is(status, ConditionType.RECONCILING, "False", Reason.PREFLIGHT_ONLY);
    is(status, ConditionType.STALLED, "False", Reason.NOT_STALLED);
    assertThat(status.getSteps()).filteredOn(s -> s.name().equals("containerd")).singleElement()
        .satisfies(s -> {
          assertThat(s.state()).isEqualTo(StepStatus.State.Pending);
          assertThat(s.message()).startsWith("would apply: ");
        });
    assertThat(status.getHostIdentity().hostname()).isEqualTo("cp1");
  }

  @Test
  void aFailedPreflightNeedsAPersonAndIsNamedFirst() throws Exception {
    ControlPlaneNode node = node(Map.of());
    NodeStatus status = rules.observed(node, Optional.of(cluster(Map.of(Annotations.PREFLIGHT_ONLY, "true"))));
    FakeHost host = FakeHost.convergedDebianControlPlane();
    host.facts.put("mem_mb", "900");

    preflightOnly.hostChecked(node, status, checked(host));

    assertThat(host.applies()).isEmpty();
    is(status, ConditionType.PREFLIGHT_PASSED, "False", Reason.PREFLIGHT_FAILED);
    is(status, ConditionType.STALLED, "True", Reason.NEEDS_ATTENTION);
    is(status, ConditionType.READY, "False", Reason.PREFLIGHT_ONLY);
    assertThat(condition(status, ConditionType.READY).getMessage()).startsWith(
        "preflight only: preflight: failed: memory 900 MB < 1700 MB; nothing would change on the host;");
    is(status, ConditionType.HOST_PREPARED, "True", Reason.SUCCEEDED);
  }

  @Test
  void anUnreachableHostIsSaidAsForAnyRun() {
    ControlPlaneNode node = node(Map.of(Annotations.PREFLIGHT_ONLY, "true"));
    NodeStatus status = rules.observed(node, Optional.of(cluster(Map.of())));
    Duration next = preflightOnly.hostChecked(node, status,
        new HostWork.Outcome(null, List.of(), null, "Unreachable", "no route to host", false, false));
    assertThat(next).isEqualTo(NodeRules.HOST_RETRY);
    is(status, ConditionType.HOST_REACHABLE, "False", "Unreachable");
    is(status, ConditionType.READY, "False", "Unreachable");
  }

  @Test
  void theModeIsTheNodesAnnotationOrItsClusters() {
    assertThat(Annotations.preflightOnly(node(Map.of(Annotations.PREFLIGHT_ONLY, "true")), Optional.empty())).isTrue();
    assertThat(Annotations.preflightOnly(node(Map.of(Annotations.PREFLIGHT_ONLY, "")), Optional.empty())).isTrue();
    assertThat(Annotations.preflightOnly(node(Map.of(Annotations.PREFLIGHT_ONLY, "false")), Optional.empty())).isFalse();
    assertThat(Annotations.preflightOnly(node(Map.of()), Optional.of(cluster(Map.of(Annotations.PREFLIGHT_ONLY,
        "yes"))))).isTrue();
    assertThat(Annotations.preflightOnly(node(Map.of()), Optional.of(cluster(Map.of())))).isFalse();
  }

  @Test
  void onlyAPersonsSteeringChangesWakeTheNode() {
    assertThat(AnnotationEvents.steered(node(Map.of()), node(Map.of(Annotations.PREFLIGHT_ONLY, "true")))).isTrue();
    assertThat(AnnotationEvents.steered(node(Map.of(Annotations.PAUSED, "x")), node(Map.of()))).isTrue();
    assertThat(AnnotationEvents.steered(node(Map.of(Annotations.ACCEPT_NEW_HOST_KEY, "")), node(Map.of()))).isTrue();
    assertThat(AnnotationEvents.steered(node(Map.of()), node(Map.of(Annotations.ACCEPT_NEW_HOST_KEY, ""))))
        .as("Cairn removing the one-shot annotation").isFalse();
    assertThat(AnnotationEvents.steered(node(Map.of("other", "a")), node(Map.of("other", "b")))).isFalse();
  }

  private static HostWork.Outcome checked(FakeHost host) throws Exception {
    NodePlan plan = new NodePlan(HostNode.Role.CONTROL_PLANE, KubernetesVersion.parse("v1.34.4"),
        PackagesSpec.Source.UPSTREAM, null, null, null, null, "192.168.56.0/24", "192.168.56.30", List.of(), null, null);
    List<Step> steps = Plans.forNode(plan);
    StepRunner runner = new StepRunner(CLOCK);
    HostFacts facts = runner.facts(host);
    PlanResult result = runner.check(facts, steps, plan, List.of(), new Redactor());
    return new HostWork.Outcome(result, steps, "SHA256:abc", null, null, false, false);
  }

  private static void is(NodeStatus status, String type, String value, String reason) {
    Condition c = condition(status, type);
    assertThat(c.getStatus()).as(type + " status").isEqualTo(value);
    assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
  }

  private static Condition condition(NodeStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type));
  }

  private static Cluster cluster(Map<String, String> annotations) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withGeneration(1L)
        .withAnnotations(annotations).build());
    c.setSpec(new ClusterSpec());
    return c;
  }

  private static ControlPlaneNode node(Map<String, String> annotations) {
    ControlPlaneNode node = NodeObjects.node(new ControlPlaneNode(), "ns", "cp1", "demo", "192.168.56.30", null, "ssh");
    node.getMetadata().setGeneration(3L);
    node.getMetadata().setAnnotations(annotations);
    return node;
  }
}
