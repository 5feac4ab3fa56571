package dev.cairn.node;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostIdentity;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.bootstrap.CertificateExpiry;
import dev.cairn.bootstrap.Membership;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decide stage of a node's reconcile: from what was observed (the node, its Cluster, what the
 * host plan found, the workload Node) to the node's conditions and when to look again. No SSH,
 * no API: every method works on a status copy the reconciler patches once at the end.
 */
final class NodeRules {
  /** How soon to try a host again that did not answer, at first. */
  static final Duration HOST_RETRY = Duration.ofSeconds(30);
  /** How soon to look again while waiting on something outside this node (the first control plane, the kubelet). */
  static final Duration WAIT_RETRY = Duration.ofSeconds(20);
  private static final List<String> HOST_PREPARATION = List.of(ConditionType.PREFLIGHT_PASSED,
      ConditionType.HOST_PREPARED, ConditionType.CONTAINER_RUNTIME_READY, ConditionType.KUBERNETES_INSTALLED);
  private static final Set<String> NEGATIVE_WHEN_TRUE =
      Set.of(ConditionType.STALLED, ConditionType.DELETING, ConditionType.PAUSED, ConditionType.RECONCILING);

  private final Conditions conditions;
  private final Duration resync;
  private final List<String> owned;
  private final Clock clock;

  NodeRules(Conditions conditions, Duration resync, List<String> ownedConditions, Clock clock) {
    this.conditions = conditions;
    this.resync = resync;
    this.owned = ownedConditions;
    this.clock = clock;
  }

  Duration resync() {
    return resync;
  }

  /**
   * A condition that changed, told as an Event and a log line; Ready and Reconciling tell no story
   * of their own. {@code warning} when it is bad news.
   */
  record Transition(boolean warning, Condition condition) {
    /** The Event's reason: the type, with the status unless True ({@code HostReachableFalse}). */
    String reason() {
      return condition.getType() + (TRUE.equals(condition.getStatus()) ? "" : condition.getStatus());
    }

    /** The Event's message: the condition's reason and message (already redacted). */
    String message() {
      return condition.getReason() + (condition.getMessage().isEmpty() ? "" : ": " + condition.getMessage());
    }
  }

  /** The status this node should have before any work: a copy with Paused, Deleting and the Cluster's presence. */
  NodeStatus observed(HostNode node, Optional<Cluster> cluster) {
    long generation = generation(node);
    NodeStatus status = copyOf(node.getStatus() == null ? new NodeStatus() : node.getStatus());
    List<Condition> list = status.getConditions();
    conditions.initialize(list, owned, generation);

    boolean paused = Annotations.has(node, Annotations.PAUSED)
        || cluster.map(Annotations::paused).orElse(false);
    conditions.set(list, ConditionType.PAUSED, paused ? TRUE : FALSE, paused ? Reason.PAUSED : Reason.NOT_PAUSED,
        paused ? "host work for this node is paused" : "", generation);
    boolean deleting = node.getMetadata().getDeletionTimestamp() != null;
    conditions.set(list, ConditionType.DELETING, deleting ? TRUE : FALSE,
        deleting ? Reason.DELETING : Reason.NOT_DELETING, "", generation);

    if (cluster.isEmpty()) {
      conditions.set(list, ConditionType.READY, FALSE, Reason.CLUSTER_NOT_FOUND,
          "Cluster " + node.getSpec().getClusterName() + " does not exist in namespace "
              + node.getMetadata().getNamespace(), generation);
    } else {
      Condition ready = Conditions.find(list, ConditionType.READY).orElseThrow();
      if (Reason.CLUSTER_NOT_FOUND.equals(ready.getReason())) {
        conditions.set(list, ConditionType.READY, UNKNOWN, Reason.NOT_YET_REPORTED, "", generation);
      }
    }
    conditions.observe(list, owned, generation);
    status.setObservedGeneration(generation);
    status.setPhase(phase(node, status));
    return status;
  }

  /** Folds one run of host work into the conditions; returns when to look again. */
  Duration hostRan(HostNode node, NodeStatus status, HostWork.Outcome outcome, JoinPlanner.Decision decision) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    if (!outcome.connected() && !outcome.needsPerson()) {
      return unanswered(node, status, outcome, HOST_RETRY);
    }
    if (!outcome.connected()) {
      refused(status, outcome, generation);
      settle(list, generation, outcome.refusedReason(), outcome.refusedMessage(), true);
      return resync;
    }
    status.setHostKeyFingerprint(outcome.hostKeyFingerprint());
    conditions.set(list, ConditionType.HOST_REACHABLE, TRUE, Reason.CONNECTED,
        "host key " + outcome.hostKeyFingerprint(), generation);
    PlanResult plan = outcome.plan();
    status.setSteps(plan.steps());
    status.setHostIdentity(new HostIdentity(plan.facts().get("hostname"), plan.facts().get("product_uuid"),
        plan.facts().list("macs")));
    for (String type : HOST_PREPARATION) {
      List<String> names = outcome.steps().stream().filter(s -> s.condition().equals(type)).map(Step::name).toList();
      List<StepStatus> mine = plan.steps().stream().filter(s -> names.contains(s.name())).toList();
      Optional<StepStatus> failed = mine.stream().filter(s -> s.state() == StepStatus.State.Failed).findFirst();
      if (failed.isPresent()) {
        conditions.set(list, type, FALSE, failureReason(type), failed.get().name() + ": " + failed.get().message(),
            generation);
      } else if (mine.stream().allMatch(s -> s.state() == StepStatus.State.Succeeded)) {
        conditions.set(list, type, TRUE, Reason.SUCCEEDED, "", generation);
      }
    }
    membership(node, list, plan, decision, generation);
    if (plan.failure().isPresent()) {
      PlanResult.Failure f = plan.failure().get();
      if (ConditionType.UP_TO_DATE.equals(f.condition())) {
        // still under way: the rollout (or the renewal) holds on this node until it is through
        // …except a member that only asked its package source: it has not begun, and holds the start
        String reason = StepId.CERTIFICATE_RENEWAL.stepName().equals(f.step()) ? Reason.RENEWING_CERTIFICATES
            : StepId.UPGRADE_SOURCE.stepName().equals(f.step()) ? Reason.UPGRADE_BLOCKED : Reason.UPGRADING;
        conditions.set(list, ConditionType.UP_TO_DATE, FALSE, reason, f.step() + ": " + f.message(), generation);
      }
      String message = f.step() + ": " + f.message();
      settle(list, generation, failureReason(f.condition()), message, f.needsPerson());
      if (f.needsPerson()) {
        return resync;
      }
      int attempts = plan.steps().stream().filter(s -> s.name().equals(f.step())).findFirst()
          .map(StepStatus::attempts).filter(n -> n > 0).orElse(1);
      Duration next = backoff(attempts);
      retryLater(list, generation, message + "; next attempt at " + at(next) + " (attempt " + (attempts + 1) + ")");
      return next;
    }
    if (decision instanceof JoinPlanner.Wait wait) {
      return waiting(list, generation, wait);
    }
    settle(list, generation, Reason.NODE_NOT_READY, "joined; waiting for the Node to be Ready", false);
    return WAIT_RETRY;
  }

  /**
   * A host that did not answer (no connection, or the connection lost mid-run), tried again after
   * {@code retry}, which the caller returns as the requeue: Reconciling says the node waits until then.
   */
  Duration unanswered(HostNode node, NodeStatus status, HostWork.Outcome outcome, Duration retry) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    refused(status, outcome, generation);
    settle(list, generation, outcome.refusedReason(), outcome.refusedMessage(), false);
    retryLater(list, generation, outcome.refusedMessage() + "; next attempt at " + at(retry));
    return retry;
  }

  /**
   * {@code next}, or {@link #WAIT_RETRY} when that is sooner, so something else is decided soon; not
   * for a node waiting to retry: the next attempt its Reconciling names is the one that holds.
   */
  static Duration soon(NodeStatus status, Duration next) {
    boolean retrying = Conditions.find(status.getConditions(), ConditionType.RECONCILING)
        .map(c -> Reason.WAITING_TO_RETRY.equals(c.getReason())).orElse(false);
    return retrying || next.compareTo(WAIT_RETRY) < 0 ? next : WAIT_RETRY;
  }

  /** The host says it is a member already (its kubeconfigs name the cluster's CA), whatever status said. */
  void hostIsMember(HostNode node, NodeStatus status) {
    long generation = generation(node);
    if (node.role() == HostNode.Role.CONTROL_PLANE) {
      setTrueOnce(status.getConditions(), ConditionType.KUBEADM_INITIALIZED, Reason.JOINED, "the host is a member",
          generation);
    }
    setTrueOnce(status.getConditions(), ConditionType.JOINED, Reason.JOINED, "the host is a member", generation);
  }

  /** A prepared host still waiting on the rest of the cluster, seen without asking the host; returns when to look again. */
  Duration stillWaiting(HostNode node, NodeStatus status, JoinPlanner.Wait wait) {
    long generation = generation(node);
    notYetMember(node, status.getConditions(), wait, generation);
    return waiting(status.getConditions(), generation, wait);
  }

  /** What the workload cluster says of a member's Node, as NodeReady and Ready; returns when to look again. */
  Duration workloadNode(HostNode node, NodeStatus status, WorkloadNode.Seen seen) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    status.setNodeName(seen.nodeName());
    if (seen.found()) {
      status.setKubeletVersion(seen.kubeletVersion());
    }
    if (!seen.ready()) {
      conditions.set(list, ConditionType.NODE_READY, seen.status(), seen.reason(), seen.message(), generation);
      conditions.set(list, ConditionType.RECONCILING, TRUE, seen.reason(), seen.message(), generation);
      conditions.set(list, ConditionType.READY, FALSE, seen.reason(), seen.message(), generation);
      return WAIT_RETRY;
    }
    conditions.set(list, ConditionType.NODE_READY, TRUE, Reason.KUBELET_READY, seen.message(), generation);
    conditions.set(list, ConditionType.RECONCILING, FALSE, Reason.CONVERGED, "", generation);
    conditions.set(list, ConditionType.READY, TRUE, Reason.KUBELET_READY, "Node " + seen.nodeName() + " is Ready",
        generation);
    return resync;
  }

  /** A member at the Cluster's version: UpToDate (keeping what it said, "upgraded from …"), the version recorded. */
  void upToDate(HostNode node, NodeStatus status, KubernetesVersion version) {
    if (status.getKubernetesVersion() == null) {
      status.setKubernetesVersion(version.toString());
    }
    setTrueOnce(status.getConditions(), ConditionType.UP_TO_DATE, Reason.UP_TO_DATE, "runs " + version,
        generation(node));
  }

  /** A member behind the Cluster's version that does not move yet, and why; returns when to look again. */
  Duration upgradeWaits(HostNode node, NodeStatus status, UpgradePlanner.Wait wait, Duration next) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    String message = "runs " + wait.from() + ", the Cluster wants " + wait.to() + ": " + wait.message();
    conditions.set(list, ConditionType.UP_TO_DATE, FALSE, wait.reason(), message, generation);
    if (wait.needsPerson()) {
      conditions.set(list, ConditionType.STALLED, TRUE, Reason.NEEDS_ATTENTION, message, generation);
      return resync;
    }
    conditions.set(list, ConditionType.RECONCILING, TRUE, wait.reason(), message, generation);
    return next.compareTo(WAIT_RETRY) < 0 ? next : WAIT_RETRY;
  }

  /**
   * This member's upgrade is under way (draining, or running its steps): out of service until its
   * Node is Ready at the new version. {@code needsPerson} when it cannot go on by itself.
   */
  void upgrading(HostNode node, NodeStatus status, NodePlan.Upgrade upgrade, String reason, String message,
      boolean needsPerson) {
    status.setUpgradingTo(upgrade.to().toString());
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    conditions.set(list, ConditionType.UP_TO_DATE, FALSE, reason, message, generation);
    settle(list, generation, reason, message, needsPerson);
  }

  /** An upgrade whose host steps are done, its Node not yet Ready at the new version: still out of service. */
  void stillUpgrading(NodeStatus status, String message, long generation) {
    List<Condition> list = status.getConditions();
    conditions.set(list, ConditionType.UP_TO_DATE, FALSE, Reason.UPGRADING, message, generation);
    settle(list, generation, Reason.UPGRADING, message, false);
  }

  /** The upgrade is done: the Node is Ready at the new version, which is recorded. */
  void upgraded(HostNode node, NodeStatus status, NodePlan.Upgrade upgrade) {
    status.setKubernetesVersion(upgrade.to().toString());
    status.setUpgradingTo(null);
    conditions.set(status.getConditions(), ConditionType.UP_TO_DATE, TRUE, Reason.UP_TO_DATE,
        "upgraded from " + upgrade.from() + " to " + upgrade.to(), generation(node));
  }

  /** Records the version a successful kubernetes-packages step holds the host at. */
  static void installed(NodeStatus status, HostWork.Outcome outcome, KubernetesVersion version) {
    if (outcome.connected() && outcome.plan().steps().stream().anyMatch(
        s -> s.name().equals(StepId.KUBERNETES_PACKAGES.stepName()) && s.state() == StepStatus.State.Succeeded)) {
      status.setKubernetesVersion(version.toString());
    }
  }

  /** The version the host's package source was last seen to offer (the upgrade-source step's mark), into its status. */
  static void packagesAvailable(NodeStatus status, HostWork.Outcome outcome) {
    if (outcome.connected() && !outcome.plan().facts().get("upgrade.source").isBlank()) {
      status.setPackagesAvailable(outcome.plan().facts().get("upgrade.source"));
    }
  }

  /**
   * A control plane's first certificate expiry, as its host just said, into its status; the
   * Event's message when this run renewed them.
   */
  static Optional<String> certificates(HostNode node, NodeStatus status, HostWork.Outcome outcome) {
    if (!outcome.connected() || node.role() != HostNode.Role.CONTROL_PLANE) {
      return Optional.empty();
    }
    Optional<CertificateExpiry> expiry = CertificateExpiry.of(outcome.plan().facts());
    Optional<java.time.Instant> first = expiry.flatMap(CertificateExpiry::first).map(java.util.Map.Entry::getValue);
    String before = status.getCertificatesExpireAt();
    first.ifPresent(t -> status.setCertificatesExpireAt(t.toString()));
    expiry.ifPresent(e -> status.setCertificatesUnreadable(e.unreadable().isEmpty() ? null : e.unreadable()));
    boolean renewed = outcome.plan().applied().contains(StepId.CERTIFICATE_RENEWAL.stepName())
        && outcome.plan().failure().isEmpty();
    if (renewed) {
      expiry.ifPresent(e -> status.setCertificatesRenewedAt(e.now().toString()));
    } else if (first.isPresent() && before != null && !first.get().toString().equals(before)) {
      // new certificates without Cairn's renewal (an upgrade's, or replaced by hand): not the ones it renewed
      status.setCertificatesRenewedAt(null);
    }
    return renewed ? Optional.of("kubeadm certificates renewed: the first now expires at "
        + status.getCertificatesExpireAt() + (before == null ? "" : " (was " + before + ")")) : Optional.empty();
  }

  /**
   * The Warning to record when this run found certificates it could not read, and the last did
   * not (or found others): their expiry is unknown, so nothing renews them before it.
   */
  static Optional<String> unreadableCertificates(String before, NodeStatus status) {
    String now = status.getCertificatesUnreadable();
    return now == null || now.equals(before) ? Optional.empty()
        : Optional.of("the expiry of some kubeadm certificates cannot be read on this host, so Cairn cannot renew"
            + " them in time: " + now);
  }

  /**
   * The steps a run applied although the condition they serve was already True: something changed
   * the host behind Cairn's back (swap back on, a package replaced).
   */
  static List<String> drifted(HostNode node, HostWork.Outcome outcome) {
    List<Condition> before = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
    if (!outcome.connected() || !Conditions.isTrue(before, ConditionType.HOST_PREPARED)) {
      return List.of();
    }
    // an upgrade's steps apply on purpose, and so does containerd beside the kubelet's (the new minor's pause image)
    boolean upgrading = outcome.steps().stream().anyMatch(s -> s.id() == StepId.KUBELET_UPGRADE);
    return outcome.steps().stream()
        .filter(s -> outcome.plan().applied().contains(s.name()) && Conditions.isTrue(before, s.condition())
            && !ConditionType.UP_TO_DATE.equals(s.condition()) && !(upgrading && s.id() == StepId.CONTAINERD))
        .map(Step::name).toList();
  }

  /** Shows drift until the next converged check, which comes soon; returns when to look again. */
  Duration drift(HostNode node, NodeStatus status, String message, Duration next) {
    conditions.set(status.getConditions(), ConditionType.RECONCILING, TRUE, Reason.DRIFTED, message, generation(node));
    return next.compareTo(WAIT_RETRY) < 0 ? next : WAIT_RETRY;
  }

  /** A deletion {@code stage} (its reason) still waiting on something. */
  void deleting(HostNode node, NodeStatus status, String stage, String message) {
    long generation = status.getObservedGeneration();
    List<Condition> list = status.getConditions();
    conditions.set(list, ConditionType.DELETING, TRUE, stage, message, generation);
    conditions.set(list, ConditionType.RECONCILING, TRUE, stage, message, generation);
    conditions.set(list, ConditionType.READY, FALSE, stage, message, generation);
    status.setPhase(phase(node, status));
  }

  /**
   * The status while a plan runs: its steps so far, and Reconciling naming the step that is
   * running. What the run has settled already shows at once, not when the plan ends minutes
   * later: a preparation condition whose steps all succeeded is True, and a node not yet Ready
   * reads as running (Ready=False/RunningPlan), not as what it last was (PreflightOnly, a failure
   * being retried).
   */
  NodeStatus progress(NodeStatus status, List<StepStatus> steps) {
    NodeStatus copy = copyOf(status);
    copy.setSteps(steps);
    long generation = status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
    List<Condition> list = copy.getConditions();
    for (String type : HOST_PREPARATION) {
      List<StepStatus> mine = steps.stream()
          .filter(s -> StepId.named(s.name()).map(id -> id.condition().equals(type)).orElse(false)).toList();
      if (!mine.isEmpty() && mine.stream().allMatch(s -> s.state() == StepStatus.State.Succeeded)) {
        setTrueOnce(list, type, Reason.SUCCEEDED, "", generation);
      }
    }
    String running = "running step " + steps.stream().filter(s -> s.state() == StepStatus.State.Running)
        .map(StepStatus::name).findFirst().orElse("");
    conditions.set(list, ConditionType.RECONCILING, TRUE, Reason.RUNNING_PLAN, running, generation);
    if (!Conditions.isTrue(list, ConditionType.READY)) {
      conditions.set(list, ConditionType.READY, FALSE, Reason.RUNNING_PLAN, running, generation);
    }
    return copy;
  }

  /** An unexpected error: Ready Unknown, everything else as it was. */
  NodeStatus internalError(HostNode node) {
    NodeStatus status = copyOf(node.getStatus() == null ? new NodeStatus() : node.getStatus());
    long generation = generation(node);
    conditions.initialize(status.getConditions(), owned, generation);
    conditions.set(status.getConditions(), ConditionType.READY, UNKNOWN, Reason.INTERNAL_ERROR,
        "unexpected error in the operator; see its log", generation);
    return status;
  }

  /** The Events for what changed between the node's status and {@code status}. */
  List<Transition> transitions(HostNode node, NodeStatus status) {
    List<Condition> before = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
    List<Transition> events = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      if (!owned.contains(c.getType()) || Reason.NOT_YET_REPORTED.equals(c.getReason())
          || ConditionType.READY.equals(c.getType()) || ConditionType.RECONCILING.equals(c.getType())) {
        continue;
      }
      Optional<Condition> old = Conditions.find(before, c.getType());
      if (old.isPresent() && old.get().getStatus().equals(c.getStatus()) && old.get().getReason().equals(c.getReason())) {
        continue;
      }
      boolean firstWord = old.isEmpty() || Reason.NOT_YET_REPORTED.equals(old.get().getReason());
      if (firstWord && FALSE.equals(c.getStatus()) && NEGATIVE_WHEN_TRUE.contains(c.getType())) {
        // a condition that merely starts out as it should (not paused, not deleting, not stalled),
        // on a new node or one whose status said nothing of it yet: nothing to tell
        continue;
      }
      boolean warning = FALSE.equals(c.getStatus()) && !NEGATIVE_WHEN_TRUE.contains(c.getType())
          || TRUE.equals(c.getStatus()) && ConditionType.STALLED.equals(c.getType());
      events.add(new Transition(warning, Conditions.copy(List.of(c)).get(0)));
    }
    return events;
  }

  /** Informational only, derived from conditions. */
  static String phase(HostNode node, NodeStatus status) {
    List<Condition> list = status.getConditions();
    if (node.getMetadata().getDeletionTimestamp() != null) {
      return "Deleting";
    }
    if (Conditions.isTrue(list, ConditionType.READY)) {
      return "Running";
    }
    if (Conditions.isTrue(list, ConditionType.HOST_REACHABLE) || Conditions.isTrue(list, ConditionType.RECONCILING)) {
      return "Provisioning";
    }
    return "Pending";
  }

  /**
   * How soon to try a host again that has not answered since {@code since}: 30 s at first, then as
   * long again as it has been away, so the gaps double up to the resync. A host too busy to answer
   * (an emulated control plane starting its API server) gets room instead of another script.
   */
  static Duration unreachableRetry(Instant since, Instant now, Duration resync) {
    Duration away = Duration.between(since, now);
    Duration next = away.compareTo(HOST_RETRY) > 0 ? away : HOST_RETRY;
    return next.compareTo(resync) < 0 ? next : resync;
  }

  /** 15 s, 30 s, 1 min, ... up to 10 min between attempts of a failing step. */
  static Duration backoff(int attempts) {
    long seconds = 15L << Math.min(Math.max(attempts - 1, 0), 6);
    return Duration.ofSeconds(Math.min(seconds, 600));
  }

  static long generation(io.fabric8.kubernetes.api.model.HasMetadata resource) {
    Long g = resource.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  /** Shows what the node waits for; returns when to look again. */
  private Duration waiting(List<Condition> list, long generation, JoinPlanner.Wait wait) {
    settle(list, generation, wait.reason(), wait.message(), wait.needsPerson());
    return wait.needsPerson() ? resync : WAIT_RETRY;
  }

  /**
   * KubeadmInitialized (control planes) and Joined from the membership steps. Once True they keep
   * the reason they first had: the first control plane stays "Initialized" on later reconciles.
   */
  private void membership(HostNode node, List<Condition> list, PlanResult plan, JoinPlanner.Decision decision,
      long generation) {
    if (decision instanceof JoinPlanner.Wait wait) {
      notYetMember(node, list, wait, generation);
      return;
    }
    Membership.Kind kind = ((JoinPlanner.Proceed) decision).kind();
    String stepName = (kind == Membership.Kind.INIT ? StepId.KUBEADM_INIT : StepId.KUBEADM_JOIN).stepName();
    String failedType = kind == Membership.Kind.INIT ? ConditionType.KUBEADM_INITIALIZED : ConditionType.JOINED;
    for (StepStatus s : plan.steps()) {
      if ((s.name().equals(stepName) || s.name().equals(StepId.CERTIFICATES.stepName())) && s.state() == StepStatus.State.Failed) {
        conditions.set(list, failedType, FALSE, Reason.STEP_FAILED, s.name() + ": " + s.message(), generation);
      }
      if (s.name().equals(stepName) && s.state() == StepStatus.State.Succeeded) {
        String reason = kind == Membership.Kind.INIT ? Reason.INITIALIZED : Reason.JOINED;
        String message = kind == Membership.Kind.INIT ? "ran kubeadm init for the cluster" : "joined the cluster";
        if (node.role() == HostNode.Role.CONTROL_PLANE) {
          setTrueOnce(list, ConditionType.KUBEADM_INITIALIZED, reason, message, generation);
        }
        setTrueOnce(list, ConditionType.JOINED, reason, message, generation);
      }
    }
  }

  private void notYetMember(HostNode node, List<Condition> list, JoinPlanner.Wait wait, long generation) {
    if (!Conditions.isTrue(list, ConditionType.JOINED)) {
      conditions.set(list, ConditionType.JOINED, FALSE, wait.reason(), wait.message(), generation);
    }
    if (node.role() == HostNode.Role.CONTROL_PLANE && !Conditions.isTrue(list, ConditionType.KUBEADM_INITIALIZED)) {
      conditions.set(list, ConditionType.KUBEADM_INITIALIZED, FALSE, wait.reason(), wait.message(), generation);
    }
  }

  private void setTrueOnce(List<Condition> list, String type, String reason, String message, long generation) {
    if (!Conditions.isTrue(list, type)) {
      conditions.set(list, type, TRUE, reason, message, generation);
    }
  }

  private static String failureReason(String condition) {
    return ConditionType.PREFLIGHT_PASSED.equals(condition) ? Reason.PREFLIGHT_FAILED : Reason.STEP_FAILED;
  }

  /**
   * Not Ready for {@code reason}; Stalled when a person must act, else Reconciling with the same
   * reason (RunningPlan is only for a plan that runs, see {@link #progress}).
   */
  private void settle(List<Condition> list, long generation, String reason, String message, boolean needsPerson) {
    conditions.set(list, ConditionType.STALLED, needsPerson ? TRUE : FALSE,
        needsPerson ? Reason.NEEDS_ATTENTION : Reason.NOT_STALLED, needsPerson ? message : "", generation);
    conditions.set(list, ConditionType.RECONCILING, needsPerson ? FALSE : TRUE,
        needsPerson ? Reason.NEEDS_ATTENTION : reason, needsPerson ? "" : message, generation);
    conditions.set(list, ConditionType.READY, FALSE, reason, message, generation);
  }

  /**
   * Nothing runs until the requeue: Reconciling says the node waits, and when it tries again. The
   * message changes with each attempt only, so a node waiting out its backoff writes no status.
   */
  private void retryLater(List<Condition> list, long generation, String message) {
    conditions.set(list, ConditionType.RECONCILING, TRUE, Reason.WAITING_TO_RETRY, message, generation);
  }

  /** HostReachable False for why no command could run; a host key seen on the way is kept for a first contact. */
  private void refused(NodeStatus status, HostWork.Outcome outcome, long generation) {
    conditions.set(status.getConditions(), ConditionType.HOST_REACHABLE, FALSE, outcome.refusedReason(),
        outcome.refusedMessage(), generation);
    if (outcome.hostKeyFingerprint() != null && status.getHostKeyFingerprint() == null) {
      status.setHostKeyFingerprint(outcome.hostKeyFingerprint());
    }
  }

  /** {@code after} from now, as RFC 3339 in UTC to the second (as condition times are). */
  private String at(Duration after) {
    return DateTimeFormatter.ISO_INSTANT.format(clock.instant().plus(after).truncatedTo(ChronoUnit.SECONDS));
  }

  static NodeStatus copyOf(NodeStatus s) {
    NodeStatus c = new NodeStatus();
    c.setPhase(s.getPhase());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setHostKeyFingerprint(s.getHostKeyFingerprint());
    c.setHostIdentity(s.getHostIdentity());
    c.setNodeName(s.getNodeName());
    c.setKubeletVersion(s.getKubeletVersion());
    c.setKubernetesVersion(s.getKubernetesVersion());
    c.setUpgradingTo(s.getUpgradingTo());
    c.setPackagesAvailable(s.getPackagesAvailable());
    c.setCertificatesExpireAt(s.getCertificatesExpireAt());
    c.setCertificatesUnreadable(s.getCertificatesUnreadable());
    c.setCertificatesRenewedAt(s.getCertificatesRenewedAt());
    c.setSteps(new ArrayList<>(s.getSteps() == null ? List.of() : s.getSteps()));
    c.setConditions(Conditions.copy(s.getConditions()));
    return c;
  }
}
