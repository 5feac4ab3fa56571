package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.bootstrap.CertificateExpiry;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Membership;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.cluster.ClusterPki;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.common.SecretData;
import dev.cairn.ssh.Redactor;
import dev.cairn.ssh.SshFailure;
import dev.cairn.status.Annotations;
import dev.cairn.status.CertificateDates;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.EventRecorder;
import dev.cairn.status.Reason;
import dev.cairn.status.StatusPatches;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ControlPlaneNode and WorkerNode reconcile alike. One reconcile reads top to bottom:
 * <ol>
 *   <li><b>observe</b>: the node, its Cluster (watched, so pausing a Cluster reaches its nodes),
 *       the rest of the cluster ({@link Standing}), and what this operator remembers of the host
 *       ({@link HostGate});</li>
 *   <li><b>act</b>: at most one host plan over one SSH session ({@link HostWork}, facts first),
 *       and for a member a look at its Node in the workload cluster ({@link WorkloadNode});</li>
 *   <li><b>decide</b>: {@link NodeRules} turns each observation into conditions and the time of
 *       the next look, on a copy of the status, without I/O;</li>
 *   <li><b>report</b>: Events for the conditions that changed and one status patch, only if the
 *       status changed. While a plan runs, {@link #progress} shows the running step.</li>
 * </ol>
 */
public abstract class NodeReconciler<N extends HostNode> implements Reconciler<N>, Cleaner<N> {
  /** Held on every node until what joining did is undone (see {@link NodeDeletion}). */
  public static final String FINALIZER = "cairn.dev/cleanup";
  private static final Logger LOG = LoggerFactory.getLogger(NodeReconciler.class);

  private final NodeRules rules;
  private final PreflightOnly preflightOnly;
  private final HostGate gate;
  private final HostWork hostWork;
  private final NodeDeletion deletion;
  private final MembershipMaterial material;
  private final Rollout rollout;
  private final WorkloadAccess workload;
  private final HostMetrics metrics;
  private final Clock clock;
  private final Supplier<N> factory;

  protected NodeReconciler(Conditions conditions, Duration resync, List<String> ownedConditions, Supplier<N> factory,
      SshConnector connector, Clock clock, HostMetrics metrics, WorkloadAccess workload) {
    this.rules = new NodeRules(conditions, resync, ownedConditions, clock);
    this.preflightOnly = new PreflightOnly(rules, conditions);
    this.gate = new HostGate(clock, resync);
    this.hostWork = new HostWork(connector, new StepRunner(clock));
    this.deletion = new NodeDeletion(hostWork, workload, clock);
    this.material = new MembershipMaterial(workload, clock);
    this.rollout = new Rollout(rules, workload, clock);
    this.workload = workload;
    this.metrics = metrics;
    this.clock = clock;
    this.factory = factory;
  }

  /**
   * The node's Cluster and its SSH key Secret, watched: a Cluster change (a pause, a version) or a
   * corrected key reaches its nodes at once; so does a steering annotation on the node itself
   * (paused, preflight-only), which the generation filter would otherwise hold back.
   */
  @Override
  public List<EventSource<?, N>> prepareEventSources(EventSourceContext<N> context) {
    return List.of(ClusterEvents.source(context), SshSecretEvents.source(context), AnnotationEvents.source(context));
  }

  @Override
  public UpdateControl<N> reconcile(N node, Context<N> context) {
    Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
    NodeStatus status = rules.observed(node, cluster);
    Duration next = rules.resync();
    boolean idle = cluster.isEmpty() || Conditions.isTrue(status.getConditions(), ConditionType.PAUSED)
        || node.getMetadata().getDeletionTimestamp() != null;
    if (!idle) {
      NodeMetadata.ensureOwner(node, cluster.get(), context.getClient());
      next = Annotations.preflightOnly(node, cluster) ? checkOnly(node, cluster.get(), status, context)
          : work(node, cluster.get(), status, context);
    }
    report(node, status, context);
    return UpdateControl.<N>noUpdate().rescheduleAfter(next);
  }

  /**
   * A node being deleted: undone one stage per look (see {@link NodeDeletion}), with Deleting
   * naming the stage; the finalizer goes when nothing is left to undo or wait for.
   */
  @Override
  public DeleteControl cleanup(N node, Context<N> context) {
    gate.forget(node);
    Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
    NodeStatus status = rules.observed(node, cluster);
    KubernetesClient client = context.getClient();
    NodeDeletion.Result result = Conditions.isTrue(status.getConditions(), ConditionType.PAUSED)
        ? new NodeDeletion.Wait(Reason.PAUSED, "deletion waits while the node or its Cluster is paused", rules.resync())
        : deletion.next(node, cluster, () -> Standing.members(node, client), () -> Standing.sshSecret(node, client));
    if (result instanceof NodeDeletion.Done done) {
      LOG.info("{} {}/{} deleted: {}", node.getKind(), node.getMetadata().getNamespace(), node.getMetadata().getName(),
          done.message());
      new EventRecorder(client, clock).record(node, done.warning(), done.reason(), done.message());
      return DeleteControl.defaultDelete();
    }
    NodeDeletion.Wait wait = (NodeDeletion.Wait) result;
    rules.deleting(node, status, wait.stage(), wait.message());
    report(node, status, context);
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.retry());
  }

  /**
   * Preflight only: the host reached and checked, nothing changed on it, nothing made for it (no
   * join token, no kubeadm config); the status says what would change. Returns when to look again.
   */
  private Duration checkOnly(N node, Cluster cluster, NodeStatus status, Context<N> context) {
    gate.forgetConverged(node);
    KubernetesClient client = context.getClient();
    Standing standing = Standing.read(node, cluster, client);
    Redactor redactor = new Redactor();
    standing.pki().ifPresent(p -> p.secrets().forEach(redactor::register));
    long started = System.nanoTime();
    HostWork.Outcome outcome = hostWork.preflight(node, cluster, Standing.sshSecret(node, client),
        standing.peers(node), standing.pki().map(ClusterPki::fingerprint).orElse(null), redactor);
    if (outcome.connected()) {
      metrics.planRan(node.getKind(), outcome.plan(), Duration.ofNanos(System.nanoTime() - started));
    } else {
      metrics.refused(node.getKind(), outcome.refusedReason());
    }
    if (outcome.acceptedNewKey() && outcome.connected()) {
      NodeMetadata.forgetAcceptAnnotation(node, client);
    }
    return preflightOnly.hostChecked(node, status, outcome);
  }

  /** The host work this reconcile may do, or a cheaper look when the gate says the host was just seen. */
  private Duration work(N node, Cluster cluster, NodeStatus status, Context<N> context) {
    Optional<HostGate.Unanswered> away = gate.away(node, cluster);
    Optional<Duration> room = away.flatMap(a -> gate.stillAway(node, a)).or(() -> gate.retryLater(node, cluster));
    if (room.isPresent()) {
      return room.get();
    }
    boolean joined = Conditions.isTrue(status.getConditions(), ConditionType.JOINED);
    Standing[] standing = {null};
    Supplier<Standing> read = () -> standing[0] != null ? standing[0]
        : (standing[0] = Standing.read(node, cluster, context.getClient()));
    UpgradePlanner.Decision upgrade = rollout.decide(node, cluster, read);
    if (upgrade instanceof UpgradePlanner.Proceed proceed) {
      gate.forgetConverged(node);
      if (proceed.drain() && !Rollout.draining(status, proceed)) {
        rollout.kubeadmFirst(node, status, proceed);
        // kubeadm's order: kubeadm upgrade on the node still in service, then the drain, then the
        // kubelet. Done already, this is one look at the host; not done, the drain waits for it.
        Duration next = onHost(node, cluster, status, read.get(),
            new UpgradePlanner.Proceed(proceed.upgrade().kubeadmOnly(), true), null, away, context);
        if (!Rollout.kubeadmUpgraded(status)) {
          return next;
        }
      }
      Optional<Duration> draining = rollout.drained(node, cluster, status, proceed);
      if (draining.isPresent()) {
        return draining.get();
      }
      return onHost(node, cluster, status, read.get(), upgrade, null, away, context);
    }
    RenewalPlanner.Decision renewal = upgrade instanceof UpgradePlanner.Current && joined
        ? RenewalPlanner.decide(node, cluster, read.get().members(), clock.instant()) : new RenewalPlanner.NotDue();
    if (renewal instanceof RenewalPlanner.Renew renew) {
      gate.forgetConverged(node);
      return onHost(node, cluster, status, read.get(), upgrade, renew.renewal(), away, context);
    }
    if (renewal instanceof RenewalPlanner.Wait) {
      // due, and another control plane goes first: its turn is looked at again soon, not at the resync
      return NodeRules.soon(status, lookAgain(node, cluster, status, upgrade, joined, read, away, context));
    }
    if (renewal instanceof RenewalPlanner.Held held) {
      // renewed a moment ago and due again: looked at when the hold ends, not polled until then
      Duration next = lookAgain(node, cluster, status, upgrade, joined, read, away, context);
      Duration until = Duration.between(clock.instant(), held.until()).plusSeconds(1);
      return next.compareTo(until) < 0 ? next : until;
    }
    return lookAgain(node, cluster, status, upgrade, joined, read, away, context);
  }

  /** A member or joining node with nothing to move now: the host asked again, or a cheaper look while it was just seen. */
  private Duration lookAgain(N node, Cluster cluster, NodeStatus status, UpgradePlanner.Decision upgrade, boolean joined,
      Supplier<Standing> read, Optional<HostGate.Unanswered> away, Context<N> context) {
    Optional<HostGate.Fresh> fresh = gate.fresh(node, cluster, joined);
    if (fresh.isPresent()) {
      Duration next = null;
      if (joined) {
        next = memberNode(node, cluster, status, fresh.get().check().hostname(), upgrade);
      } else if (read.get().decision() instanceof JoinPlanner.Wait wait) {
        // still waiting on the rest of the cluster, and the host was ready for it: nothing to ask it
        next = rules.stillWaiting(node, status, wait);
      }
      if (next != null) {
        return next.compareTo(fresh.get().due()) < 0 ? next : fresh.get().due();
      }
    }
    gate.forgetConverged(node);
    return onHost(node, cluster, status, read.get(), upgrade, null, away, context);
  }

  /** One host plan, and what follows from it; returns when to look again. */
  private Duration onHost(N node, Cluster cluster, NodeStatus status, Standing standing,
      UpgradePlanner.Decision upgrade, NodePlan.Renewal renewal, Optional<HostGate.Unanswered> away,
      Context<N> context) {
    Optional<ClusterPki> pki = standing.pki();
    JoinPlanner.Decision decision = standing.decision();
    Redactor redactor = new Redactor();
    pki.ifPresent(p -> p.secrets().forEach(redactor::register));
    MembershipMaterial.Draft membership = decision instanceof JoinPlanner.Proceed proceed
        ? material.of(proceed.kind(), cluster, pki.get(), redactor)
        : null;
    long started = System.nanoTime();
    HostWork.Outcome outcome = hostWork.run(node, cluster, Standing.sshSecret(node, context.getClient()),
        standing.peers(node), pki.map(ClusterPki::fingerprint).orElse(null), membership,
        UpgradePlanner.hostStep(upgrade), renewal, redactor,
        steps -> progress(node, rules.progress(status, steps), context));
    NodeRules.installed(status, outcome, UpgradePlanner.installVersion(node, cluster));
    NodeRules.packagesAvailable(status, outcome);
    String unreadable = status.getCertificatesUnreadable();
    Duration renewBefore = cluster.getSpec().certificatesOrDefault().renewBeforeOrDefault();
    NodeRules.certificates(node, status, outcome).ifPresent(renewed -> {
      EventRecorder events = new EventRecorder(context.getClient(), clock);
      events.record(node, false, Reason.CERTIFICATES_RENEWED, renewed);
      RenewalPlanner.held(status, renewBefore, clock.instant())
          .ifPresent(held -> events.record(node, true, Reason.CERTIFICATES_DUE_AGAIN, held.message()));
    });
    NodeRules.unreadableCertificates(unreadable, status).ifPresent(warning ->
        new EventRecorder(context.getClient(), clock).record(node, true, Reason.CERTIFICATES_UNREADABLE, warning));
    if (outcome.connected()) {
      metrics.planRan(node.getKind(), outcome.plan(), Duration.ofNanos(System.nanoTime() - started));
    } else {
      metrics.refused(node.getKind(), outcome.refusedReason());
    }
    if (decision instanceof JoinPlanner.Wait && outcome.connected() && pki.isPresent()
        && pki.get().fingerprint().equals(outcome.plan().facts().get("cairn.member"))) {
      // the host is the truth: it is a member already, whatever a (possibly stale) status said
      decision = new JoinPlanner.Proceed(node.role() == HostNode.Role.CONTROL_PLANE
          ? Membership.Kind.JOIN_CONTROL_PLANE : Membership.Kind.JOIN_WORKER);
      rules.hostIsMember(node, status);
    }
    boolean unanswered = !outcome.connected() && (SshFailure.UNREACHABLE.reason().equals(outcome.refusedReason())
        || SshFailure.TRANSPORT.reason().equals(outcome.refusedReason()));
    Duration next = unanswered ? rules.unanswered(node, status, outcome, gate.unanswered(node, cluster, away))
        : rules.hostRan(node, status, outcome, decision);
    if (outcome.acceptedNewKey() && outcome.connected()) {
      NodeMetadata.forgetAcceptAnnotation(node, context.getClient());
    }
    if (outcome.connected() && outcome.plan().failure().filter(f -> !f.needsPerson()).isPresent()) {
      gate.failed(node, cluster, next);
    }
    if (outcome.connected() && outcome.plan().failure().isEmpty()) {
      String hostname = outcome.plan().facts().get("hostname");
      boolean member = Conditions.isTrue(status.getConditions(), ConditionType.JOINED);
      if (member) {
        next = memberNode(node, cluster, status, hostname, upgrade);
      }
      if (outcome.plan().applied().isEmpty() && (member || decision instanceof JoinPlanner.Wait)) {
        gate.converged(node, cluster, hostname, !member);
      }
    }
    if (renewal == null && CertificateDates.expiresAt(status).filter(t -> CertificateExpiry.due(t,
        clock.instant(), renewBefore)).isPresent() && RenewalPlanner.held(status, renewBefore, clock.instant()).isEmpty()) {
      // the host just said its certificates are due: their turn is decided soon, not at the resync
      next = NodeRules.soon(status, next);
    }
    List<String> drifted = NodeRules.drifted(node, outcome);
    if (!drifted.isEmpty()) {
      String message = "applied again on a converged host: " + String.join(", ", drifted);
      next = rules.drift(node, status, message, next);
      new EventRecorder(context.getClient(), clock).record(node, true, Reason.DRIFTED, message);
    }
    return next;
  }

  /** A member's Node in the workload cluster: labels and taints kept, readiness read; returns when to look again. */
  private Duration memberNode(N node, Cluster cluster, NodeStatus status, String hostname,
      UpgradePlanner.Decision upgrade) {
    WorkloadNode.Seen seen = WorkloadNode.look(workload.client(cluster), node, hostname,
        cluster.getSpec().getControlPlane().isSchedulable());
    return rollout.seen(node, cluster, status, upgrade, seen, rules.workloadNode(node, status, seen));
  }

  /** Events for what changed, then the status, patched and cached only if it changed. */
  private void report(N node, NodeStatus status, Context<N> context) {
    status.setPhase(NodeRules.phase(node, status));
    EventRecorder events = new EventRecorder(context.getClient(), clock);
    rules.transitions(node, status).forEach(t -> {
      log(node, t);
      events.record(node, t.warning(), t.reason(), t.message());
    });
    StatusPatches.patchIfChanged(node, status, factory, context);
  }

  /**
   * One line per condition transition, beside its Event: WARN for bad news, else INFO. The
   * message is the condition's, redacted where it was made (step output, SSH errors).
   */
  static void log(HostNode node, NodeRules.Transition t) {
    var c = t.condition();
    String format = "{} {}/{}: {}={} {}{}";
    Object[] args = {node.getKind(), node.getMetadata().getNamespace(), node.getMetadata().getName(), c.getType(),
        c.getStatus(), c.getReason(), c.getMessage().isEmpty() ? "" : ": " + c.getMessage()};
    if (t.warning()) {
      LOG.warn(format, args);
    } else {
      LOG.info(format, args);
    }
  }

  /** Shows a running plan (the step about to apply is Running); never fails the plan. */
  private void progress(N node, NodeStatus running, Context<N> context) {
    try {
      StatusPatches.patchIfChanged(node, running, factory, context);
    } catch (RuntimeException e) {
      LOG.debug("could not show progress of {}", node.getMetadata().getName(), e);
    }
  }

  @Override
  public ErrorStatusUpdateControl<N> updateErrorStatus(N node, Context<N> context, Exception e) {
    logError(node, e, errorRedactor(node, context));
    return StatusPatches.afterError(node, rules.internalError(node), factory, rules.resync());
  }

  /**
   * The unexpected error, logged with its stack trace but every message redacted: an exception
   * thrown on the way may quote a key, a passphrase or a token (see {@link Redactor#redacted}).
   */
  static void logError(HostNode node, Exception e, Redactor redactor) {
    LOG.error("reconciling {} {}/{} failed", node.getKind(), node.getMetadata().getNamespace(),
        node.getMetadata().getName(), redactor.redacted(e));
  }

  /** A redactor that knows the node's SSH key and passphrase when their Secret can be read now. */
  private static Redactor errorRedactor(HostNode node, Context<?> context) {
    Redactor redactor = new Redactor();
    try {
      io.fabric8.kubernetes.api.model.Secret secret = Standing.sshSecret(node, context.getClient());
      if (secret != null) {
        SecretData.get(secret, HostWork.KEY).ifPresent(redactor::register);
        SecretData.get(secret, HostWork.PASSPHRASE).ifPresent(redactor::register);
      }
    } catch (RuntimeException unreadable) {
      // the patterns (PEM private key blocks, tokens) still apply
    }
    return redactor;
  }
}
