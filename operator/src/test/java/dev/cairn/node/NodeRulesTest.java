package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus.State;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.Membership;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decide stage alone: every condition a node reports, from observations made up here; no SSH,
 * no API server.
 */
class NodeRulesTest {
  private static final Duration RESYNC = Duration.ofMinutes(5);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T07:00:00Z"), ZoneOffset.UTC);
  private static final List<Step> STEPS = List.of(step(StepId.PREFLIGHT), step(StepId.SWAP_OFF),
      step(StepId.CONTAINERD), step(StepId.KUBERNETES_PACKAGES), step(StepId.CERTIFICATES), step(StepId.KUBEADM_INIT),
      step(StepId.KUBEADM_JOIN));
  private static final JoinPlanner.Wait FIRST_CP =
      new JoinPlanner.Wait(Reason.WAITING_FOR_CONTROL_PLANE, "waiting for the first control plane", false);

  private final NodeRules cp = new NodeRules(new Conditions(CLOCK), RESYNC, ConditionType.CONTROL_PLANE_NODE, CLOCK);
  private final NodeRules worker = new NodeRules(new Conditions(CLOCK), RESYNC, ConditionType.WORKER_NODE, CLOCK);

  @Test
  void beforeAnyWorkEveryOwnedConditionIsThereAndPausedAndDeletingAreFalse() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactlyInAnyOrderElementsOf(ConditionType.CONTROL_PLANE_NODE);
    assertThat(condition(status, ConditionType.PAUSED)).satisfies(c -> is(c, "False", Reason.NOT_PAUSED));
    assertThat(condition(status, ConditionType.DELETING)).satisfies(c -> is(c, "False", Reason.NOT_DELETING));
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getPhase()).isEqualTo("Pending");
  }

  @Test
  void aMissingClusterIsNamedAndItsReturnClearsIt() {
    ControlPlaneNode node = controlPlane();
    NodeStatus missing = cp.observed(node, Optional.empty());
    assertThat(condition(missing, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.CLUSTER_NOT_FOUND));
    assertThat(condition(missing, ConditionType.READY).getMessage()).contains("Cluster demo", "namespace ns");
    node.setStatus(missing);
    NodeStatus back = cp.observed(node, Optional.of(cluster(false)));
    assertThat(condition(back, ConditionType.READY)).satisfies(c -> is(c, "Unknown", Reason.NOT_YET_REPORTED));
  }

  @Test
  void pausedByTheClusterOrByTheAnnotation() {
    assertThat(condition(cp.observed(controlPlane(), Optional.of(cluster(true))), ConditionType.PAUSED))
        .satisfies(c -> is(c, "True", Reason.PAUSED));
    ControlPlaneNode annotated = controlPlane();
    annotated.getMetadata().setAnnotations(Map.of(Annotations.PAUSED, "true"));
    assertThat(condition(cp.observed(annotated, Optional.of(cluster(false))), ConditionType.PAUSED))
        .satisfies(c -> is(c, "True", Reason.PAUSED));
  }

  @Test
  void aHostThatRefusesWithoutAPersonIsRetriedSoonAndIsNotStalled() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    Duration next = cp.hostRan(node, status, refused("Unreachable", "no route to host", false), FIRST_CP);
    assertThat(next).isEqualTo(NodeRules.HOST_RETRY);
    assertThat(condition(status, ConditionType.HOST_REACHABLE)).satisfies(c -> is(c, "False", "Unreachable"));
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "False", Reason.NOT_STALLED));
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.WAITING_TO_RETRY));
    assertThat(condition(status, ConditionType.RECONCILING).getMessage())
        .isEqualTo("no route to host; next attempt at 2026-12-06T07:00:30Z");
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", "Unreachable"));
  }

  @Test
  void badCredentialsStallTheNodeUntilAPersonActs() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    Duration next = cp.hostRan(node, status, refused("InvalidCredentials", "Secret ssh has no ssh-privatekey", true),
        FIRST_CP);
    assertThat(next).isEqualTo(RESYNC);
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "True", Reason.NEEDS_ATTENTION));
    assertThat(condition(status, ConditionType.STALLED).getMessage()).isEqualTo("Secret ssh has no ssh-privatekey");
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "False", Reason.NEEDS_ATTENTION));
    assertThat(NodeRules.phase(node, status)).isEqualTo("Pending");
  }

  @Test
  void aPreparedHostWaitingForTheFirstControlPlaneSaysSo() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    Duration next = worker.hostRan(node, status, ran(preparation(State.Succeeded), Optional.empty()), FIRST_CP);
    assertThat(next).isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.HOST_REACHABLE)).satisfies(c -> is(c, "True", Reason.CONNECTED));
    for (String type : List.of(ConditionType.PREFLIGHT_PASSED, ConditionType.HOST_PREPARED,
        ConditionType.CONTAINER_RUNTIME_READY, ConditionType.KUBERNETES_INSTALLED)) {
      assertThat(condition(status, type)).as(type).satisfies(c -> is(c, "True", Reason.SUCCEEDED));
    }
    assertThat(condition(status, ConditionType.JOINED)).satisfies(c -> is(c, "False", Reason.WAITING_FOR_CONTROL_PLANE));
    assertThat(condition(status, ConditionType.RECONCILING))
        .satisfies(c -> is(c, "True", Reason.WAITING_FOR_CONTROL_PLANE));
    assertThat(status.getHostIdentity().hostname()).isEqualTo("cp1");
    assertThat(status.getHostKeyFingerprint()).isEqualTo("SHA256:abc");
    assertThat(NodeRules.phase(node, status)).isEqualTo("Provisioning");
  }

  @Test
  void aFailedPreflightIsPreflightFailedAndNeedsAPerson() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    List<StepStatus> steps = List.of(new StepStatus("preflight", State.Failed, 1, null, null, "hostname cp1 taken"));
    Duration next = cp.hostRan(node, status, ran(steps, Optional.of(new PlanResult.Failure("preflight",
        ConditionType.PREFLIGHT_PASSED, "hostname cp1 taken", true))), FIRST_CP);
    assertThat(next).isEqualTo(RESYNC);
    assertThat(condition(status, ConditionType.PREFLIGHT_PASSED)).satisfies(c -> is(c, "False", Reason.PREFLIGHT_FAILED));
    assertThat(condition(status, ConditionType.PREFLIGHT_PASSED).getMessage()).isEqualTo("preflight: hostname cp1 taken");
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "True", Reason.NEEDS_ATTENTION));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.PREFLIGHT_FAILED));
  }

  @Test
  void aFailedApplyBacksOffByItsAttemptsAndNamesTheStep() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    List<StepStatus> steps = new ArrayList<>(preparation(State.Succeeded).subList(0, 2));
    steps.add(new StepStatus("containerd", State.Failed, 3, null, null, "exit code 100"));
    steps.add(StepStatus.pending("kubernetes-packages"));
    Duration next = worker.hostRan(node, status, ran(steps, Optional.of(new PlanResult.Failure("containerd",
        ConditionType.CONTAINER_RUNTIME_READY, "exit code 100", false))), FIRST_CP);
    assertThat(next).isEqualTo(Duration.ofMinutes(1));
    assertThat(condition(status, ConditionType.CONTAINER_RUNTIME_READY)).satisfies(c -> is(c, "False", Reason.STEP_FAILED));
    assertThat(condition(status, ConditionType.CONTAINER_RUNTIME_READY).getMessage())
        .isEqualTo("containerd: exit code 100");
    assertThat(condition(status, ConditionType.HOST_PREPARED)).satisfies(c -> is(c, "True", Reason.SUCCEEDED));
    assertThat(condition(status, ConditionType.KUBERNETES_INSTALLED).getStatus())
        .as("a step still Pending leaves its condition as it was").isEqualTo("Unknown");
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "False", Reason.NOT_STALLED));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.STEP_FAILED));
  }

  @Test
  void aNodeInBackoffSaysItWaitsAndWhenItTriesAgain() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    HostWork.Outcome third = failedContainerd(3);
    Duration next = worker.hostRan(node, status, third, FIRST_CP);
    assertThat(next).isEqualTo(Duration.ofMinutes(1));
    assertThat(condition(status, ConditionType.RECONCILING)).as("nothing runs until the requeue: not RunningPlan")
        .satisfies(c -> is(c, "True", Reason.WAITING_TO_RETRY));
    assertThat(condition(status, ConditionType.RECONCILING).getMessage())
        .as("the time is the requeue just returned, 07:00:00 + 1 min")
        .isEqualTo("containerd: exit code 100; next attempt at 2026-12-06T07:01:00Z (attempt 4)");
    assertThat(condition(status, ConditionType.READY).getMessage()).isEqualTo("containerd: exit code 100");
    assertThat(NodeRules.phase(node, status)).as("still on its way to Running").isEqualTo("Provisioning");
    assertThat(NodeRules.soon(status, next)).as("nothing else shortens the backoff it states").isEqualTo(next);

    // a look in between that runs nothing writes nothing: the message only moves with an attempt
    status.setPhase(NodeRules.phase(node, status));
    node.setStatus(status);
    NodeStatus between = worker.observed(node, Optional.of(cluster(false)));
    assertThat(between).isEqualTo(status);
    assertThat(worker.transitions(node, between)).isEmpty();
    // the same attempt seen again says the same
    NodeStatus again = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, again, third, FIRST_CP);
    assertThat(again).isEqualTo(status);
    // the next attempt fails too: a new time, twice as far, and no Event for it
    NodeStatus fourth = worker.observed(node, Optional.of(cluster(false)));
    assertThat(worker.hostRan(node, fourth, failedContainerd(4), FIRST_CP)).isEqualTo(Duration.ofMinutes(2));
    assertThat(condition(fourth, ConditionType.RECONCILING).getMessage())
        .isEqualTo("containerd: exit code 100; next attempt at 2026-12-06T07:02:00Z (attempt 5)");
    assertThat(worker.transitions(node, fourth)).isEmpty();

    // while the next attempt runs, and only then, it is RunningPlan
    NodeStatus running = worker.progress(fourth, List.of(new StepStatus("containerd", State.Running, 5, null, null,
        null)));
    assertThat(condition(running, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.RUNNING_PLAN));
  }

  @Test
  void kubeadmInitMakesTheFirstControlPlaneInitializedAndJoinedAndKeepsThatReason() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    List<StepStatus> steps = new ArrayList<>(preparation(State.Succeeded));
    steps.add(new StepStatus("kubeadm-init", State.Succeeded, 1, null, null, null));
    Duration next = cp.hostRan(node, status, ran(steps, Optional.empty()), new JoinPlanner.Proceed(Membership.Kind.INIT));
    assertThat(next).isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.KUBEADM_INITIALIZED)).satisfies(c -> is(c, "True", Reason.INITIALIZED));
    assertThat(condition(status, ConditionType.JOINED)).satisfies(c -> is(c, "True", Reason.INITIALIZED));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.NODE_NOT_READY));
    assertThat(condition(status, ConditionType.RECONCILING)).as("waits for its Node, runs nothing")
        .satisfies(c -> is(c, "True", Reason.NODE_NOT_READY));

    node.setStatus(status);
    NodeStatus later = cp.observed(node, Optional.of(cluster(false)));
    cp.hostRan(node, later, ran(steps, Optional.empty()), new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
    assertThat(condition(later, ConditionType.JOINED).getReason()).as("True keeps its first reason")
        .isEqualTo(Reason.INITIALIZED);
  }

  @Test
  void aFailedJoinOrCertificatesStepIsJoinedFalse() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    List<StepStatus> steps = new ArrayList<>(preparation(State.Succeeded));
    steps.add(new StepStatus("certificates", State.Failed, 1, null, null, "no room on /etc"));
    cp.hostRan(node, status, ran(steps, Optional.of(new PlanResult.Failure("certificates",
        ConditionType.KUBEADM_INITIALIZED, "no room on /etc", false))), new JoinPlanner.Proceed(
        Membership.Kind.JOIN_CONTROL_PLANE));
    assertThat(condition(status, ConditionType.JOINED)).satisfies(c -> is(c, "False", Reason.STEP_FAILED));
    assertThat(condition(status, ConditionType.JOINED).getMessage()).isEqualTo("certificates: no room on /etc");
  }

  @Test
  void aHostThatIsAMemberAlreadyIsJoinedWhateverStatusSaid() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    cp.hostIsMember(node, status);
    assertThat(condition(status, ConditionType.KUBEADM_INITIALIZED)).satisfies(c -> is(c, "True", Reason.JOINED));
    assertThat(condition(status, ConditionType.JOINED)).satisfies(c -> is(c, "True", Reason.JOINED));
  }

  @Test
  void aWaitSeenWithoutTheHostKeepsJoinedFalseAndReconciling() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    assertThat(worker.stillWaiting(node, status, FIRST_CP)).isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.JOINED)).satisfies(c -> is(c, "False", Reason.WAITING_FOR_CONTROL_PLANE));
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.WAITING_FOR_CONTROL_PLANE));
    JoinPlanner.Wait person = new JoinPlanner.Wait("InvalidControlPlaneEndpoint", "set controlPlaneEndpoint", true);
    assertThat(worker.stillWaiting(node, status, person)).isEqualTo(RESYNC);
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "True", Reason.NEEDS_ATTENTION));
  }

  @Test
  void theWorkloadNodeDecidesNodeReadyAndReady() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    Duration next = worker.workloadNode(node, status, new WorkloadNode.Seen("w1", false, false, "Unknown",
        Reason.WORKLOAD_UNREACHABLE, "the workload API did not answer", null));
    assertThat(next).isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.NODE_READY)).satisfies(c -> is(c, "Unknown", Reason.WORKLOAD_UNREACHABLE));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.WORKLOAD_UNREACHABLE));
    assertThat(status.getKubeletVersion()).isNull();

    worker.workloadNode(node, status, new WorkloadNode.Seen("w1", false, false, "False", Reason.NODE_NOT_FOUND,
        "no Node w1 in the workload cluster yet", null));
    assertThat(condition(status, ConditionType.NODE_READY)).satisfies(c -> is(c, "False", Reason.NODE_NOT_FOUND));

    next = worker.workloadNode(node, status, new WorkloadNode.Seen("w1", true, true, "True", "KubeletReady",
        "kubelet is posting ready status", "v1.34.4"));
    assertThat(next).isEqualTo(RESYNC);
    assertThat(condition(status, ConditionType.NODE_READY)).satisfies(c -> is(c, "True", Reason.KUBELET_READY));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "True", Reason.KUBELET_READY));
    assertThat(condition(status, ConditionType.READY).getMessage()).isEqualTo("Node w1 is Ready");
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "False", Reason.CONVERGED));
    assertThat(status.getKubeletVersion()).isEqualTo("v1.34.4");
    assertThat(status.getNodeName()).isEqualTo("w1");
    assertThat(NodeRules.phase(node, status)).isEqualTo("Running");
  }

  @Test
  void driftIsOnlyAStepAppliedAgainOnAPreparedHostAndShowsAsReconciling() {
    WorkerNode node = worker();
    NodeStatus before = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, before, ran(preparation(State.Succeeded), Optional.empty()), FIRST_CP);
    HostWork.Outcome swapAgain = new HostWork.Outcome(new PlanResult(preparation(State.Succeeded), facts(),
        Optional.empty(), List.of("swap-off"), 2), STEPS, "SHA256:abc", null, null, false, false);
    assertThat(NodeRules.drifted(node, swapAgain)).as("not prepared before: no drift").isEmpty();
    node.setStatus(before);
    assertThat(NodeRules.drifted(node, swapAgain)).containsExactly("swap-off");

    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    assertThat(worker.drift(node, status, "applied again on a converged host: swap-off", RESYNC))
        .isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.DRIFTED));
  }

  @Test
  void aDeletionStageIsDeletingReconcilingAndNotReady() {
    WorkerNode node = worker();
    node.getMetadata().setDeletionTimestamp("2026-12-06T06:59:00Z");
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    assertThat(condition(status, ConditionType.DELETING)).satisfies(c -> is(c, "True", Reason.DELETING));
    worker.deleting(node, status, "Draining", "draining Node w1");
    assertThat(condition(status, ConditionType.DELETING)).satisfies(c -> is(c, "True", "Draining"));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", "Draining"));
    assertThat(condition(status, ConditionType.RECONCILING).getMessage()).isEqualTo("draining Node w1");
    assertThat(status.getPhase()).isEqualTo("Deleting");
  }

  @Test
  void progressNamesTheRunningStepOnACopy() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    NodeStatus running = worker.progress(status, List.of(new StepStatus("swap-off", State.Succeeded, 1, null, null, null),
        new StepStatus("containerd", State.Running, 1, null, null, null)));
    assertThat(condition(running, ConditionType.RECONCILING).getMessage()).isEqualTo("running step containerd");
    assertThat(status.getSteps()).as("the status being built is not touched").isEmpty();
  }

  /** A long plan (kubeadm init) shows what it has settled at once, not the node's last word (PreflightOnly). */
  @Test
  void whileAPlanRunsWhatItSettledShowsAndReadySaysItRuns() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    new dev.cairn.status.Conditions(CLOCK).set(status.getConditions(), ConditionType.HOST_PREPARED, "False",
        Reason.PREFLIGHT_ONLY, "would apply: swap-off", 1);
    new dev.cairn.status.Conditions(CLOCK).set(status.getConditions(), ConditionType.READY, "False",
        Reason.PREFLIGHT_ONLY, "preflight only: …", 1);
    NodeStatus running = worker.progress(status, List.of(
        new StepStatus("swap-off", State.Succeeded, 1, null, null, null),
        new StepStatus("kernel-modules", State.Succeeded, 1, null, null, null),
        new StepStatus("sysctl", State.Succeeded, 1, null, null, null),
        new StepStatus("selinux-firewall", State.Succeeded, 1, null, null, null),
        new StepStatus("containerd", State.Running, 1, null, null, null),
        StepStatus.pending("kubernetes-packages")));
    assertThat(condition(running, ConditionType.HOST_PREPARED)).satisfies(c -> is(c, "True", Reason.SUCCEEDED));
    assertThat(condition(running, ConditionType.CONTAINER_RUNTIME_READY).getStatus()).isNotEqualTo("True");
    assertThat(condition(running, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.RUNNING_PLAN));
    assertThat(condition(running, ConditionType.READY).getMessage()).isEqualTo("running step containerd");

    // a member's re-check does not make it look not Ready
    new dev.cairn.status.Conditions(CLOCK).set(status.getConditions(), ConditionType.READY, "True", Reason.AVAILABLE, "", 1);
    assertThat(condition(worker.progress(status, List.of(new StepStatus("containerd", State.Running, 1, null, null,
        null))), ConditionType.READY).getStatus()).isEqualTo("True");
  }

  @Test
  void anUnexpectedErrorMakesReadyUnknownAndKeepsTheRest() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, status, ran(preparation(State.Succeeded), Optional.empty()), FIRST_CP);
    node.setStatus(status);
    NodeStatus error = worker.internalError(node);
    assertThat(condition(error, ConditionType.READY)).satisfies(c -> is(c, "Unknown", Reason.INTERNAL_ERROR));
    assertThat(condition(error, ConditionType.HOST_PREPARED).getStatus()).isEqualTo("True");
  }

  @Test
  void eventsFollowTransitionsOnlyAndWarnOnBadNews() {
    WorkerNode node = worker();
    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, status, refused("InvalidCredentials", "Secret ssh has no ssh-privatekey", true), FIRST_CP);
    List<NodeRules.Transition> events = worker.transitions(node, status);
    assertThat(events).extracting(NodeRules.Transition::reason)
        .contains("HostReachableFalse", "Stalled")
        .as("no Events for what merely starts out False: not paused, not deleting")
        .doesNotContain("ReadyFalse", "ReconcilingFalse", "PausedFalse", "DeletingFalse");
    assertThat(events).filteredOn(e -> e.reason().equals("HostReachableFalse")).singleElement()
        .satisfies(e -> assertThat(e.warning()).isTrue())
        .satisfies(e -> assertThat(e.message()).isEqualTo("InvalidCredentials: Secret ssh has no ssh-privatekey"));
    assertThat(events).filteredOn(e -> e.reason().equals("Stalled")).singleElement()
        .satisfies(e -> assertThat(e.warning()).isTrue());
    node.setStatus(status);
    assertThat(worker.transitions(node, status)).as("no change, no event").isEmpty();
    // a pause that ends is a transition, told as one (not a warning)
    NodeStatus paused = NodeRules.copyOf(status);
    Conditions.find(paused.getConditions(), ConditionType.PAUSED).orElseThrow().setStatus("True");
    node.setStatus(paused);
    assertThat(worker.transitions(node, status)).filteredOn(e -> e.reason().equals("PausedFalse")).singleElement()
        .satisfies(e -> assertThat(e.warning()).isFalse());
  }

  @Test
  void aConditionFirstReportedAsItShouldBeIsNoEventWhenItWasNotYetReportedBefore() {
    // the first status was written while the Cluster was missing: Stalled and Reconciling still NotYetReported
    WorkerNode node = worker();
    NodeStatus first = worker.observed(node, Optional.empty());
    assertThat(condition(first, ConditionType.STALLED)).satisfies(c -> is(c, "Unknown", Reason.NOT_YET_REPORTED));
    node.setStatus(first);

    NodeStatus status = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, status, refused("HostUnreachable", "no route to host", false), FIRST_CP);
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "False", Reason.NOT_STALLED));
    assertThat(worker.transitions(node, status)).extracting(NodeRules.Transition::reason)
        .as("only the news: the host does not answer")
        .containsExactly("HostReachableFalse");

    // once said, a flip of a negative condition back to its good False is news again
    node.setStatus(status);
    NodeStatus stalled = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, stalled, refused("AuthenticationFailed", "the server refused the key", true), FIRST_CP);
    node.setStatus(stalled);
    NodeStatus recovered = worker.observed(node, Optional.of(cluster(false)));
    worker.hostRan(node, recovered, refused("HostUnreachable", "no route to host", false), FIRST_CP);
    assertThat(worker.transitions(node, recovered)).filteredOn(t -> t.reason().equals("StalledFalse"))
        .singleElement().satisfies(t -> assertThat(t.warning()).isFalse());
  }

  @Test
  void upToDateSaysWhereTheMemberStandsInARollout() {
    ControlPlaneNode node = controlPlane();
    NodeStatus status = cp.observed(node, Optional.of(cluster(false)));
    cp.upToDate(node, status, dev.cairn.common.KubernetesVersion.parse("v1.34.4"));
    assertThat(condition(status, ConditionType.UP_TO_DATE)).satisfies(c -> is(c, "True", Reason.UP_TO_DATE));
    assertThat(status.getKubernetesVersion()).isEqualTo("v1.34.4");

    var from = dev.cairn.common.KubernetesVersion.parse("v1.34.4");
    var to = dev.cairn.common.KubernetesVersion.parse("v1.35.1");
    Duration next = cp.upgradeWaits(node, status, new UpgradePlanner.Wait(from, to, Reason.UPGRADE_PENDING,
        "waiting for cp0", false), RESYNC);
    assertThat(next).isEqualTo(NodeRules.WAIT_RETRY);
    assertThat(condition(status, ConditionType.UP_TO_DATE)).satisfies(c -> is(c, "False", Reason.UPGRADE_PENDING));
    assertThat(condition(status, ConditionType.UP_TO_DATE).getMessage())
        .isEqualTo("runs v1.34.4, the Cluster wants v1.35.1: waiting for cp0");
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.UPGRADE_PENDING));

    cp.upgradeWaits(node, status, new UpgradePlanner.Wait(from, to, Reason.UPGRADE_BLOCKED, "w1 runs v1.33.0", true),
        RESYNC);
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "True", Reason.NEEDS_ATTENTION));

    cp.upgrading(node, status, new NodePlan.Upgrade(from, to, true), Reason.DRAINING_NODE,
        "waiting for 2 pod(s) to leave Node cp1", false);
    assertThat(status.getUpgradingTo()).isEqualTo("v1.35.1");
    assertThat(condition(status, ConditionType.UP_TO_DATE)).satisfies(c -> is(c, "False", Reason.DRAINING_NODE));
    assertThat(condition(status, ConditionType.READY)).satisfies(c -> is(c, "False", Reason.DRAINING_NODE));
    assertThat(condition(status, ConditionType.RECONCILING)).satisfies(c -> is(c, "True", Reason.DRAINING_NODE));
    assertThat(condition(status, ConditionType.STALLED)).satisfies(c -> is(c, "False", Reason.NOT_STALLED));

    // a failed upgrade step keeps the upgrade under way, so the rollout holds on this node
    HostWork.Outcome failed = ran(List.of(new StepStatus("kubeadm-upgrade", State.Failed, 1, null, null, "exit code 1")),
        Optional.of(new PlanResult.Failure("kubeadm-upgrade", ConditionType.UP_TO_DATE, "exit code 1", false)));
    cp.hostRan(node, status, failed, new JoinPlanner.Proceed(Membership.Kind.JOIN_CONTROL_PLANE));
    assertThat(condition(status, ConditionType.UP_TO_DATE)).satisfies(c -> is(c, "False", Reason.UPGRADING));
    assertThat(condition(status, ConditionType.UP_TO_DATE).getMessage()).isEqualTo("kubeadm-upgrade: exit code 1");

    // the upgrade's own steps apply on a member whose UpToDate was True: on purpose, not drift
    node.setStatus(NodeRules.copyOf(status));
    Conditions.find(node.getStatus().getConditions(), ConditionType.UP_TO_DATE).orElseThrow().setStatus("True");
    Conditions.find(node.getStatus().getConditions(), ConditionType.HOST_PREPARED).orElseThrow().setStatus("True");
    HostWork.Outcome upgradedHost = new HostWork.Outcome(new PlanResult(List.of(), facts(), Optional.empty(),
        List.of("kubeadm-upgrade", "kubelet-upgrade"), 3), List.of(step(StepId.KUBEADM_UPGRADE),
        step(StepId.KUBELET_UPGRADE)), "SHA256:abc", null, null, false, false);
    assertThat(NodeRules.drifted(node, upgradedHost)).isEmpty();
    // containerd takes the new minor's pause image beside the kubelet: on purpose too; on its own it is drift
    Conditions.find(node.getStatus().getConditions(), ConditionType.CONTAINER_RUNTIME_READY)
        .ifPresentOrElse(c -> c.setStatus("True"), () -> node.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.ConditionBuilder()
            .withType(ConditionType.CONTAINER_RUNTIME_READY).withStatus("True").withReason("Succeeded").build()));
    HostWork.Outcome newPause = new HostWork.Outcome(new PlanResult(List.of(), facts(), Optional.empty(),
        List.of("containerd", "kubelet-upgrade"), 3), List.of(step(StepId.CONTAINERD), step(StepId.KUBELET_UPGRADE)),
        "SHA256:abc", null, null, false, false);
    assertThat(NodeRules.drifted(node, newPause)).isEmpty();
    HostWork.Outcome containerdAgain = new HostWork.Outcome(new PlanResult(List.of(), facts(), Optional.empty(),
        List.of("containerd"), 3), List.of(step(StepId.CONTAINERD)), "SHA256:abc", null, null, false, false);
    assertThat(NodeRules.drifted(node, containerdAgain)).containsExactly("containerd");

    cp.upgraded(node, status, new NodePlan.Upgrade(from, to, true));
    assertThat(condition(status, ConditionType.UP_TO_DATE)).satisfies(c -> is(c, "True", Reason.UP_TO_DATE));
    assertThat(condition(status, ConditionType.UP_TO_DATE).getMessage()).isEqualTo("upgraded from v1.34.4 to v1.35.1");
    assertThat(status.getKubernetesVersion()).isEqualTo("v1.35.1");
    assertThat(status.getUpgradingTo()).isNull();
  }

  @Test
  void theVersionASuccessfulPackagesStepHoldsIsRecorded() {
    NodeStatus status = new NodeStatus();
    NodeRules.installed(status, ran(preparation(State.Failed), Optional.empty()),
        dev.cairn.common.KubernetesVersion.parse("v1.34.4"));
    assertThat(status.getKubernetesVersion()).isNull();
    NodeRules.installed(status, ran(preparation(State.Succeeded), Optional.empty()),
        dev.cairn.common.KubernetesVersion.parse("v1.34.4"));
    assertThat(status.getKubernetesVersion()).isEqualTo("v1.34.4");
  }

  @Test
  void aControlPlanesCertificateExpiryAndWhatCouldNotBeReadGoToItsStatus() {
    NodeStatus status = new NodeStatus();
    HostFacts read = HostFacts.parse("hostname=cp1\ncerts.now=1800000000\ncert.apiserver=1900000000\n"
        + "cert.admin.conf=1850000000\ncert.etcd-server=unreadable\nfacts.end=ok\n");
    HostWork.Outcome outcome = new HostWork.Outcome(new PlanResult(List.of(), read, Optional.empty(), List.of(), 1),
        STEPS, "SHA256:abc", null, null, false, false);
    assertThat(NodeRules.certificates(controlPlane(), status, outcome)).isEmpty();   // read, not renewed
    assertThat(status.getCertificatesExpireAt()).isEqualTo("2028-08-16T00:53:20Z");   // the first: admin.conf
    assertThat(status.getCertificatesUnreadable()).isEqualTo("etcd-server could not be read");
    assertThat(NodeRules.unreadableCertificates(null, status)).hasValueSatisfying(m -> assertThat(m)
        .contains("cannot renew them in time: etcd-server could not be read"));
    // said once: the same finding on the next run is no new Warning
    assertThat(NodeRules.unreadableCertificates("etcd-server could not be read", status)).isEmpty();

    HostFacts noOpenssl = HostFacts.parse("hostname=cp1\ncerts.now=1800000000\n"
        + "certs.error=openssl is not installed: the certificates' expiry cannot be read\nfacts.end=ok\n");
    NodeRules.certificates(controlPlane(), status, new HostWork.Outcome(new PlanResult(List.of(), noOpenssl,
        Optional.empty(), List.of(), 1), STEPS, "SHA256:abc", null, null, false, false));
    assertThat(status.getCertificatesUnreadable()).startsWith("openssl is not installed");
    assertThat(status.getCertificatesExpireAt()).as("the last expiry read is kept").isEqualTo("2028-08-16T00:53:20Z");

    NodeRules.certificates(controlPlane(), status, new HostWork.Outcome(
        new PlanResult(List.of(), HostFacts.parse("hostname=cp1\ncerts.now=1800000000\ncert.apiserver=1900000000\n"
            + "facts.end=ok\n"), Optional.empty(), List.of(), 1), STEPS, "SHA256:abc", null, null, false, false));
    assertThat(status.getCertificatesUnreadable()).as("all read again").isNull();
    assertThat(status.getCertificatesExpireAt()).isEqualTo("2030-03-17T17:46:40Z");
  }

  @Test
  void backoffDoublesFromFifteenSecondsToTenMinutes() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 20)).map(NodeRules::backoff).map(Duration::toSeconds)
        .containsExactly(15L, 30L, 60L, 120L, 240L, 480L, 600L, 600L, 600L);
    assertThat(NodeRules.backoff(0)).isEqualTo(Duration.ofSeconds(15));
  }

  private static void is(Condition c, String status, String reason) {
    assertThat(c.getStatus()).as(c.getType() + " status").isEqualTo(status);
    assertThat(c.getReason()).as(c.getType() + " reason").isEqualTo(reason);
    assertThat(c.getObservedGeneration()).as(c.getType() + " observedGeneration").isEqualTo(3L);
  }

  private static Condition condition(NodeStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type));
  }

  private static HostWork.Outcome failedContainerd(int attempts) {
    List<StepStatus> steps = new ArrayList<>(preparation(State.Succeeded).subList(0, 2));
    steps.add(new StepStatus("containerd", State.Failed, attempts, null, null, "exit code 100"));
    steps.add(StepStatus.pending("kubernetes-packages"));
    return ran(steps, Optional.of(new PlanResult.Failure("containerd", ConditionType.CONTAINER_RUNTIME_READY,
        "exit code 100", false)));
  }

  private static HostWork.Outcome refused(String reason, String message, boolean needsPerson) {
    return new HostWork.Outcome(null, List.of(), null, reason, message, needsPerson, false);
  }

  private static HostWork.Outcome ran(List<StepStatus> steps, Optional<PlanResult.Failure> failure) {
    return new HostWork.Outcome(new PlanResult(steps, facts(), failure, List.of(), 1), STEPS, "SHA256:abc", null, null,
        false, false);
  }

  private static HostFacts facts() {
    return HostFacts.parse("hostname=cp1\nproduct_uuid=u-1\nmacs=52:54:00:00:00:01\nfacts.end=ok\n");
  }

  private static List<StepStatus> preparation(State state) {
    return List.of(new StepStatus("preflight", state, 1, null, null, null),
        new StepStatus("swap-off", state, 1, null, null, null), new StepStatus("containerd", state, 1, null, null, null),
        new StepStatus("kubernetes-packages", state, 1, null, null, null));
  }

  private static Step step(StepId id) {
    return new Step() {
      @Override
      public StepId id() {
        return id;
      }

      @Override
      public Check check(HostFacts facts, NodePlan plan) {
        return Check.ok();
      }

      @Override
      public Optional<String> apply(HostFacts facts, NodePlan plan) {
        return Optional.empty();
      }
    };
  }

  private static Cluster cluster(boolean paused) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("ns").withGeneration(1L).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setPaused(paused);
    c.setSpec(spec);
    return c;
  }

  private static ControlPlaneNode controlPlane() {
    return node(new ControlPlaneNode(), "cp1");
  }

  private static WorkerNode worker() {
    return node(new WorkerNode(), "w1");
  }

  private static <N extends HostNode> N node(N node, String name) {
    NodeObjects.node(node, "ns", name, "demo", "192.168.56.30", null, "ssh").getMetadata().setGeneration(3L);
    return node;
  }
}
