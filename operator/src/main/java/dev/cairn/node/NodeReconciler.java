package dev.cairn.node;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.ControlPlaneSpec;
import dev.cairn.api.v1alpha1.HostIdentity;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.KubeadmPatch;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.bootstrap.Membership;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Plans;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.cluster.ClusterPki;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.kubeadm.BootstrapTokens;
import dev.cairn.kubeadm.KubeadmConfig;
import dev.cairn.kubeadm.KubeadmJoinConfig;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.pki.PkiFile;
import dev.cairn.ssh.Redactor;
import dev.cairn.ssh.SshFailure;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.EventRecorder;
import dev.cairn.status.Reason;
import dev.cairn.status.StatusPatches;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ControlPlaneNode and WorkerNode reconcile alike: the node's conditions, its link to its
 * Cluster (watched, so pausing a Cluster reaches its nodes), observedGeneration and phase.
 */
public abstract class NodeReconciler<N extends HostNode> implements Reconciler<N>, Cleaner<N> {
  /** Held on every node until what joining did is undone (see {@link NodeDeletion}). */
  public static final String FINALIZER = "cairn.dev/cleanup";
  private static final Logger LOG = LoggerFactory.getLogger(NodeReconciler.class);
  private static final String BY_CLUSTER = "byCluster";

  private final Conditions conditions;
  private final Duration resync;
  private final List<String> ownedConditions;
  private final Supplier<N> factory;
  private final HostWork hostWork;
  private final java.time.Clock clock;
  private final HostMetrics metrics;
  static final Duration HOST_RETRY = Duration.ofSeconds(30);
  private static final Set<String> NEGATIVE_WHEN_TRUE =
      Set.of(ConditionType.STALLED, ConditionType.DELETING, ConditionType.PAUSED, ConditionType.RECONCILING);

  private final WorkloadAccess workload;
  private final NodeDeletion deletion;
  private final BootstrapTokens tokens;
  /** How soon to look again while waiting on something outside this node (the first control plane, the kubelet). */
  static final Duration WAIT_RETRY = Duration.ofSeconds(20);
  static final Duration TOKEN_TTL = Duration.ofHours(1);
  /**
   * When each host last checked out converged, as a member or as a prepared host waiting to join,
   * for what generations. Until the resync is due, and while neither the node's nor the Cluster's
   * spec changed, a reconcile (a Cluster status event, a wait for the kubelet or for the first
   * control plane) looks at the workload cluster or at the other nodes only and sends nothing
   * over SSH: facts cost a busy control plane seconds of CPU each time, and a waiting worker's
   * facts take CPU from a control plane emulated on the same machine.
   */
  private final Map<ResourceID, HostCheck> converged = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * When each host that did not answer (no connection, or a script cut off) may be asked again,
   * for what generations: until then an event sends nothing over SSH. A host too busy to answer
   * gets room rather than one more script for every Cluster status change.
   */
  private final Map<ResourceID, Unanswered> unanswered = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param since when the host stopped answering, as far as this operator saw it */
  record Unanswered(String uid, Instant since, Instant retryAt, long nodeGeneration, long clusterGeneration) {}

  /** @param waiting the host was ready but not yet a member: it waited on the rest of the cluster */
  record HostCheck(java.time.Instant at, long nodeGeneration, long clusterGeneration, String hostname,
      boolean waiting) {}

  protected NodeReconciler(Conditions conditions, Duration resync, List<String> ownedConditions, Supplier<N> factory,
      SshConnector connector, java.time.Clock clock, HostMetrics metrics, WorkloadAccess workload) {
    this.hostWork = new HostWork(connector, new StepRunner(clock));
    this.deletion = new NodeDeletion(hostWork, workload, clock);
    this.workload = workload;
    this.tokens = new BootstrapTokens(clock);
    this.metrics = metrics;
    this.clock = clock;
    this.conditions = conditions;
    this.resync = resync;
    this.ownedConditions = ownedConditions;
    this.factory = factory;
  }

  @Override
  public List<EventSource<?, N>> prepareEventSources(EventSourceContext<N> context) {
    context.getPrimaryCache().addIndexer(BY_CLUSTER, node -> node.getSpec() == null
        ? List.of()
        : List.of(key(node.getMetadata().getNamespace(), node.getSpec().getClusterName())));
    var config = InformerEventSourceConfiguration.from(Cluster.class, context.getPrimaryResourceClass())
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((Cluster cluster) -> context.getPrimaryCache()
            .byIndex(BY_CLUSTER, key(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName()))
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper((N node) -> Set.of(
            new ResourceID(node.getSpec().getClusterName(), node.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  private static long generation(io.fabric8.kubernetes.api.model.HasMetadata resource) {
    Long g = resource.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public UpdateControl<N> reconcile(N node, Context<N> context) {
    Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
    NodeStatus status = observe(node, cluster);
    Duration next = resync;
    boolean idle = cluster.isEmpty() || Conditions.isTrue(status.getConditions(), ConditionType.PAUSED)
        || node.getMetadata().getDeletionTimestamp() != null;
    if (!idle) {
      ensureOwner(node, cluster.get(), context);
      next = work(node, cluster.get(), status, context);
    }
    status.setPhase(phase(node, status));
    recordTransitions(node, status, new EventRecorder(context.getClient(), clock));
    if (!status.equals(node.getStatus())) {
      // patched and cached: the next reconcile must read this status, not an older one the
      // informer still holds (a stale "not joined" would undo a join)
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(node, StatusPatches.of(node, status, factory), context);
    }
    return UpdateControl.<N>noUpdate().rescheduleAfter(next);
  }

  /**
   * A node being deleted: undone one stage per look (see {@link NodeDeletion}), with Deleting
   * naming the stage; the finalizer goes when nothing is left to undo or wait for.
   */
  @Override
  public DeleteControl cleanup(N node, Context<N> context) {
    converged.remove(ResourceID.fromResource(node));
    unanswered.remove(ResourceID.fromResource(node));
    Optional<Cluster> cluster = context.getSecondaryResource(Cluster.class);
    NodeStatus status = observe(node, cluster);
    long generation = status.getObservedGeneration();
    List<Condition> list = status.getConditions();
    EventRecorder events = new EventRecorder(context.getClient(), clock);
    NodeDeletion.Result result;
    if (Conditions.isTrue(list, ConditionType.PAUSED)) {
      result = new NodeDeletion.Wait(Reason.PAUSED, "deletion waits while the node or its Cluster is paused", resync);
    } else {
      result = deletion.next(node, cluster, () -> clusterNodes(node, context), () -> secret(node, context));
    }
    if (result instanceof NodeDeletion.Done done) {
      LOG.info("{} {}/{} deleted: {}", node.getKind(), node.getMetadata().getNamespace(), node.getMetadata().getName(),
          done.message());
      events.record(node, done.warning(), done.reason(), done.message());
      return DeleteControl.defaultDelete();
    }
    NodeDeletion.Wait wait = (NodeDeletion.Wait) result;
    conditions.set(list, ConditionType.DELETING, TRUE, wait.stage(), wait.message(), generation);
    conditions.set(list, ConditionType.RECONCILING, TRUE, wait.stage(), wait.message(), generation);
    conditions.set(list, ConditionType.READY, FALSE, wait.stage(), wait.message(), generation);
    status.setPhase(phase(node, status));
    recordTransitions(node, status, events);
    if (!status.equals(node.getStatus())) {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(node, StatusPatches.of(node, status, factory), context);
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(wait.retry());
  }

  /**
   * The node's Cluster as an owner, so tools see what belongs together; it never blocks the
   * Cluster's deletion (the Cluster's finalizer deletes its nodes in order instead).
   */
  private static void ensureOwner(HostNode node, Cluster cluster, Context<?> context) {
    String uid = cluster.getMetadata().getUid();
    List<OwnerReference> owners = node.getMetadata().getOwnerReferences();
    if (uid == null || owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()))) {
      return;
    }
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind()).withName(cluster.getMetadata().getName()).withUid(uid)
        .withBlockOwnerDeletion(false).withController(false).build();
    try {
      context.getClient().resource(node).edit(n -> {
        n.getMetadata().getOwnerReferences().removeIf(o -> "Cluster".equals(o.getKind())
            && cluster.getApiVersion().equals(o.getApiVersion()));
        n.getMetadata().getOwnerReferences().add(owner);
        return n;
      });
    } catch (KubernetesClientException e) {
      LOG.debug("could not add the owner reference to {}; next time", node.getMetadata().getName(), e);
    }
  }

  /** The node's cluster as the management API shows it: its nodes, its CAs, and whether this node may join. */
  private record Standing(List<HostNode> members, Optional<ClusterPki> pki, JoinPlanner.Decision decision) {}

  private Standing standing(N node, Cluster cluster, Context<N> context) {
    List<HostNode> members = clusterNodes(node, context);
    List<ControlPlaneNode> controlPlanes = members.stream()
        .filter(ControlPlaneNode.class::isInstance).map(ControlPlaneNode.class::cast).toList();
    Optional<ClusterPki> pki = ClusterPki.read(context.getClient(), node.getMetadata().getNamespace(),
        cluster.getMetadata().getName());
    JoinPlanner.Decision decision = pki.isEmpty()
        ? new JoinPlanner.Wait(Reason.WAITING_FOR_CERTIFICATES, "the Cluster's CA Secrets are not available yet", false)
        : JoinPlanner.decide(node, cluster, controlPlanes);
    return new Standing(members, pki, decision);
  }

  /** One reconcile's host work and, for a member, the Node in the workload cluster; returns when to look again. */
  private Duration work(N node, Cluster cluster, NodeStatus status, Context<N> context) {
    ResourceID id = ResourceID.fromResource(node);
    Unanswered away = unanswered.remove(id);
    if (away != null && !(java.util.Objects.equals(away.uid(), node.getMetadata().getUid())
        && away.nodeGeneration() == generation(node) && away.clusterGeneration() == generation(cluster))) {
      away = null; // another object of that name, or a changed spec: try at once, and count afresh
    }
    if (away != null && away.retryAt().isAfter(clock.instant())) {
      unanswered.put(id, away);
      return Duration.between(clock.instant(), away.retryAt());
    }
    HostCheck last = converged.get(id);
    boolean joined = Conditions.isTrue(status.getConditions(), ConditionType.JOINED);
    Standing standing = null;
    if (last != null && last.waiting() != joined
        && last.nodeGeneration() == generation(node) && last.clusterGeneration() == generation(cluster)) {
      Duration due = resync.minus(Duration.between(last.at(), clock.instant()));
      if (!due.isNegative() && !due.isZero()) {
        Duration next = null;
        if (joined) {
          next = syncWorkloadNode(node, cluster, status, last.hostname());
        } else {
          standing = standing(node, cluster, context);
          if (standing.decision() instanceof JoinPlanner.Wait wait) {
            // still waiting on the rest of the cluster, and the host was ready for it: nothing to ask it
            notYetMember(node, status.getConditions(), wait, generation(node));
            next = waiting(status.getConditions(), generation(node), wait);
          }
        }
        if (next != null) {
          return next.compareTo(due) < 0 ? next : due;
        }
      }
    }
    converged.remove(id);
    if (standing == null) {
      standing = standing(node, cluster, context);
    }
    List<HostNode> members = standing.members();
    Optional<ClusterPki> pki = standing.pki();
    JoinPlanner.Decision decision = standing.decision();
    Redactor redactor = new Redactor();
    pki.ifPresent(p -> p.secrets().forEach(redactor::register));
    Membership membership = decision instanceof JoinPlanner.Proceed proceed
        ? membership(proceed.kind(), node, cluster, pki.get(), redactor)
        : null;
    long started = System.nanoTime();
    HostWork.Outcome outcome = hostWork.run(node, cluster, secret(node, context), peers(node, members),
        pki.map(ClusterPki::fingerprint).orElse(null), membership, redactor,
        steps -> showProgress(node, status, steps, context));
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
      long generation = generation(node);
      if (node.role() == HostNode.Role.CONTROL_PLANE) {
        setTrueOnce(status.getConditions(), ConditionType.KUBEADM_INITIALIZED, Reason.JOINED, "the host is a member",
            generation);
      }
      setTrueOnce(status.getConditions(), ConditionType.JOINED, Reason.JOINED, "the host is a member", generation);
    }
    Duration next = applyOutcome(node, status, outcome, decision);
    if (!outcome.connected() && (SshFailure.UNREACHABLE.reason().equals(outcome.refusedReason())
        || SshFailure.TRANSPORT.reason().equals(outcome.refusedReason()))) {
      Instant now = clock.instant();
      Instant since = away == null ? now : away.since();
      next = unreachableRetry(since, now, resync);
      unanswered.put(id, new Unanswered(node.getMetadata().getUid(), since, now.plus(next), generation(node),
          generation(cluster)));
    }
    if (outcome.acceptedNewKey() && outcome.connected()) {
      forgetAcceptAnnotation(node, context);
    }
    if (outcome.connected() && outcome.plan().failure().isEmpty()
        && Conditions.isTrue(status.getConditions(), ConditionType.JOINED)) {
      next = syncWorkloadNode(node, cluster, status, outcome.plan().facts().get("hostname"));
    }
    if (outcome.connected() && outcome.plan().failure().isEmpty() && outcome.plan().applied().isEmpty()) {
      boolean member = Conditions.isTrue(status.getConditions(), ConditionType.JOINED);
      if (member || decision instanceof JoinPlanner.Wait) {
        converged.put(id, new HostCheck(clock.instant(), generation(node), generation(cluster),
            outcome.plan().facts().get("hostname"), !member));
      }
    }
    List<String> drifted = outcome.connected() ? drifted(node, outcome) : List.of();
    if (!drifted.isEmpty()) {
      String message = "applied again on a converged host: " + String.join(", ", drifted);
      long generation = generation(node);
      // clears on the next converged check, which this run asks for soon
      conditions.set(status.getConditions(), ConditionType.RECONCILING, TRUE, Reason.DRIFTED, message, generation);
      new EventRecorder(context.getClient(), clock).record(node, true, Reason.DRIFTED, message);
      next = next.compareTo(WAIT_RETRY) < 0 ? next : WAIT_RETRY;
    }
    return next;
  }

  /**
   * The steps this run applied although the condition they serve was already True: something
   * changed the host behind Cairn's back (swap back on, a package replaced).
   */
  private static List<String> drifted(HostNode node, HostWork.Outcome outcome) {
    List<Condition> before = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
    if (!Conditions.isTrue(before, ConditionType.HOST_PREPARED)) {
      return List.of();
    }
    return outcome.steps().stream()
        .filter(s -> outcome.plan().applied().contains(s.name()) && Conditions.isTrue(before, s.condition()))
        .map(Step::name).toList();
  }

  /**
   * The material for joining as {@code kind}. The kubeadm config is made only when a step needs
   * it: a join token costs a call to the workload API, and a member never needs one.
   */
  private Membership membership(Membership.Kind kind, HostNode node, Cluster cluster, ClusterPki pki,
      Redactor redactor) {
    var spec = cluster.getSpec();
    boolean schedulable = spec.getControlPlane().isSchedulable();
    KubeadmTuning tuning = KubeadmTuning.of(spec);
    Function<String, String> config = switch (kind) {
      case INIT -> advertise -> {
        String token = tokens.generate();
        redactor.register(token);
        return new KubeadmConfig(cluster.getMetadata().getName(), KubernetesVersion.parse(spec.getKubernetesVersion()), advertise,
            spec.getControlPlaneEndpoint(), spec.getNetwork().getPodSubnet(), spec.getNetwork().getServiceSubnet(),
            spec.getImageRepository(), schedulable, token, TOKEN_TTL, tuning).render();
      };
      case JOIN_CONTROL_PLANE, JOIN_WORKER -> advertise -> {
        String endpoint = cluster.getStatus() == null ? null : cluster.getStatus().getControlPlaneEndpoint();
        if (endpoint == null) {
          throw new Membership.Unavailable("the Cluster reports no control-plane endpoint yet");
        }
        KubernetesClient client = workload.client(cluster).orElseThrow(() -> new Membership.Unavailable(
            "the Cluster's admin kubeconfig is not available yet"));
        String token;
        try {
          token = tokens.ensure(client, TOKEN_TTL);
        } catch (KubernetesClientException e) {
          throw new Membership.Unavailable("could not get a join token from the workload API at " + endpoint + ": "
              + e.getMessage());
        }
        redactor.register(token);
        return new KubeadmJoinConfig(KubernetesVersion.parse(spec.getKubernetesVersion()), endpoint, token, pki.discoveryHash(), advertise,
            kind == Membership.Kind.JOIN_CONTROL_PLANE, schedulable, tuning).render();
      };
    };
    List<PkiFile> files = kind == Membership.Kind.JOIN_WORKER ? List.of() : pki.files();
    Map<String, String> patches = kind == Membership.Kind.JOIN_WORKER ? Map.of() : patchFiles(spec.getControlPlane());
    return new Membership(kind, pki.fingerprint(), files, patches, tuning.runBudget(), config);
  }

  /** kubeadm's patch file names, target + order + type, so the spec's order is kubeadm's too. */
  static Map<String, String> patchFiles(ControlPlaneSpec controlPlane) {
    Map<String, String> files = new LinkedHashMap<>();
    List<KubeadmPatch> patches = controlPlane.getPatches() == null ? List.of() : controlPlane.getPatches();
    for (int i = 0; i < patches.size(); i++) {
      KubeadmPatch p = patches.get(i);
      files.put("%s%02d+%s.yaml".formatted(p.target().value(), i, p.typeOrDefault().name().toLowerCase(Locale.ROOT)),
          p.patch());
    }
    return files;
  }

  /**
   * A member's Node in the workload cluster: its readiness into NodeReady and Ready, and the
   * spec's labels and taints onto it.
   */
  private Duration syncWorkloadNode(N node, Cluster cluster, NodeStatus status, String hostname) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    String nodeName = hostname.toLowerCase(Locale.ROOT);
    status.setNodeName(nodeName);
    Optional<KubernetesClient> client = workload.client(cluster);
    if (client.isEmpty()) {
      return notReady(list, generation, UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the Cluster's admin kubeconfig is not available yet");
    }
    try {
      Node found = client.get().nodes().withName(nodeName).get();
      if (found == null) {
        return notReady(list, generation, FALSE, Reason.NODE_NOT_FOUND,
            "no Node " + nodeName + " in the workload cluster yet");
      }
      if (WorkloadNode.reconcile(found, node, cluster.getSpec().getControlPlane().isSchedulable())) {
        client.get().nodes().resource(found).update();
      }
      WorkloadNode.Readiness readiness = WorkloadNode.readiness(found);
      status.setKubeletVersion(readiness.kubeletVersion());
      if (!readiness.ready()) {
        return notReady(list, generation, FALSE, readiness.reason(), readiness.message());
      }
      conditions.set(list, ConditionType.NODE_READY, TRUE, Reason.KUBELET_READY, readiness.message(), generation);
      conditions.set(list, ConditionType.RECONCILING, FALSE, Reason.CONVERGED, "", generation);
      conditions.set(list, ConditionType.READY, TRUE, Reason.KUBELET_READY, "Node " + nodeName + " is Ready", generation);
      return resync;
    } catch (KubernetesClientException e) {
      return notReady(list, generation, UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the workload API did not answer: " + e.getMessage());
    }
  }

  private Duration notReady(List<Condition> list, long generation, String status, String reason, String message) {
    conditions.set(list, ConditionType.NODE_READY, status, reason, message, generation);
    conditions.set(list, ConditionType.RECONCILING, TRUE, reason, message, generation);
    conditions.set(list, ConditionType.READY, FALSE, reason, message, generation);
    return WAIT_RETRY;
  }

  private static Secret secret(HostNode node, Context<?> context) {
    return context.getClient().secrets().inNamespace(node.getMetadata().getNamespace())
        .withName(node.getSpec().getHost().getSshKeySecretRef().name()).get();
  }

  /** All nodes of this node's cluster, itself included. */
  private static List<HostNode> clusterNodes(HostNode node, Context<?> context) {
    List<HostNode> all = new ArrayList<>();
    String ns = node.getMetadata().getNamespace();
    all.addAll(context.getClient().resources(ControlPlaneNode.class).inNamespace(ns).list().getItems());
    all.addAll(context.getClient().resources(WorkerNode.class).inNamespace(ns).list().getItems());
    return all.stream().filter(n -> node.getSpec().getClusterName().equals(n.getSpec().getClusterName())).toList();
  }

  /** The identities of the other nodes of the same cluster, for the uniqueness preflight. */
  private static List<NodePlan.Identity> peers(HostNode node, List<HostNode> members) {
    return members.stream()
        .filter(n -> !(n.getKind().equals(node.getKind()) && n.getMetadata().getName().equals(node.getMetadata().getName())))
        .filter(n -> n.getStatus() != null && n.getStatus().getHostIdentity() != null)
        .map(n -> new NodePlan.Identity(n.getKind() + "/" + n.getMetadata().getName(),
            n.getStatus().getHostIdentity().hostname(), n.getStatus().getHostIdentity().productUUID(),
            n.getStatus().getHostIdentity().macAddresses()))
        .toList();
  }

  /** Shows the plan while it runs: the step about to apply is Running in status. */
  private void showProgress(N node, NodeStatus status, List<StepStatus> steps, Context<N> context) {
    NodeStatus copy = copyOf(status);
    copy.setSteps(steps);
    conditions.set(copy.getConditions(), ConditionType.RECONCILING, TRUE, Reason.RUNNING_PLAN,
        "running step " + steps.stream().filter(s -> s.state() == StepStatus.State.Running).map(StepStatus::name)
            .findFirst().orElse(""), status.getObservedGeneration() == null ? 0 : status.getObservedGeneration());
    try {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(node, StatusPatches.of(node, copy, factory), context);
    } catch (RuntimeException e) {
      LOG.debug("could not show progress of {}", node.getMetadata().getName(), e);
    }
  }

  private static void forgetAcceptAnnotation(HostNode node, Context<?> context) {
    context.getClient().resource(node).edit(n -> {
      if (n.getMetadata().getAnnotations() != null) {
        n.getMetadata().getAnnotations().remove(Annotations.ACCEPT_NEW_HOST_KEY);
      }
      return n;
    });
  }

  /** Folds one run of host work into the conditions; returns when to look again. */
  Duration applyOutcome(N node, NodeStatus status, HostWork.Outcome outcome, JoinPlanner.Decision decision) {
    long generation = generation(node);
    List<Condition> list = status.getConditions();
    if (!outcome.connected()) {
      conditions.set(list, ConditionType.HOST_REACHABLE, FALSE, outcome.refusedReason(), outcome.refusedMessage(),
          generation);
      if (outcome.hostKeyFingerprint() != null && status.getHostKeyFingerprint() == null) {
        status.setHostKeyFingerprint(outcome.hostKeyFingerprint());
      }
      settle(list, generation, outcome.refusedReason(), outcome.refusedMessage(), outcome.needsPerson(), false);
      return outcome.needsPerson() ? resync : HOST_RETRY;
    }
    status.setHostKeyFingerprint(outcome.hostKeyFingerprint());
    conditions.set(list, ConditionType.HOST_REACHABLE, TRUE, Reason.CONNECTED,
        "host key " + outcome.hostKeyFingerprint(), generation);
    PlanResult plan = outcome.plan();
    status.setSteps(plan.steps());
    status.setHostIdentity(new HostIdentity(plan.facts().get("hostname"), plan.facts().get("product_uuid"),
        plan.facts().list("macs")));
    for (String type : List.of(ConditionType.PREFLIGHT_PASSED, ConditionType.HOST_PREPARED,
        ConditionType.CONTAINER_RUNTIME_READY, ConditionType.KUBERNETES_INSTALLED)) {
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
    membershipConditions(node, list, plan, decision, generation);
    if (plan.failure().isPresent()) {
      PlanResult.Failure f = plan.failure().get();
      settle(list, generation, failureReason(f.condition()), f.step() + ": " + f.message(), f.needsPerson(), false);
      int attempts = plan.steps().stream().filter(s -> s.name().equals(f.step())).findFirst()
          .map(StepStatus::attempts).orElse(1);
      return f.needsPerson() ? resync : backoff(attempts);
    }
    if (decision instanceof JoinPlanner.Wait wait) {
      return waiting(list, generation, wait);
    }
    settle(list, generation, Reason.NODE_NOT_READY, "joined; waiting for the Node to be Ready", false, false);
    return WAIT_RETRY;
  }

  /** Shows what the node waits for; returns when to look again. */
  private Duration waiting(List<Condition> list, long generation, JoinPlanner.Wait wait) {
    settle(list, generation, wait.reason(), wait.message(), wait.needsPerson(), false);
    if (!wait.needsPerson()) {
      conditions.set(list, ConditionType.RECONCILING, TRUE, wait.reason(), wait.message(), generation);
    }
    return wait.needsPerson() ? resync : WAIT_RETRY;
  }

  /**
   * KubeadmInitialized (control planes) and Joined from the membership steps. Once True they keep
   * the reason they first had: the first control plane stays "Initialized" on later reconciles.
   */
  private void membershipConditions(N node, List<Condition> list, PlanResult plan, JoinPlanner.Decision decision,
      long generation) {
    boolean controlPlane = node.role() == HostNode.Role.CONTROL_PLANE;
    if (decision instanceof JoinPlanner.Wait wait) {
      notYetMember(node, list, wait, generation);
      return;
    }
    Membership.Kind kind = ((JoinPlanner.Proceed) decision).kind();
    String stepName = kind == Membership.Kind.INIT ? "kubeadm-init" : "kubeadm-join";
    String failedType = kind == Membership.Kind.JOIN_WORKER ? ConditionType.JOINED
        : kind == Membership.Kind.INIT ? ConditionType.KUBEADM_INITIALIZED : ConditionType.JOINED;
    for (StepStatus s : plan.steps()) {
      if ((s.name().equals(stepName) || s.name().equals("certificates")) && s.state() == StepStatus.State.Failed) {
        conditions.set(list, failedType, FALSE, Reason.STEP_FAILED, s.name() + ": " + s.message(), generation);
      }
      if (s.name().equals(stepName) && s.state() == StepStatus.State.Succeeded) {
        String reason = kind == Membership.Kind.INIT ? Reason.INITIALIZED : Reason.JOINED;
        String message = kind == Membership.Kind.INIT ? "ran kubeadm init for the cluster" : "joined the cluster";
        if (controlPlane) {
          setTrueOnce(list, ConditionType.KUBEADM_INITIALIZED, reason, message, generation);
        }
        setTrueOnce(list, ConditionType.JOINED, reason, message, generation);
      }
    }
  }

  private void notYetMember(N node, List<Condition> list, JoinPlanner.Wait wait, long generation) {
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

  private void settle(List<Condition> list, long generation, String reason, String message, boolean needsPerson,
      boolean converged) {
    conditions.set(list, ConditionType.STALLED, needsPerson ? TRUE : FALSE,
        needsPerson ? Reason.NEEDS_ATTENTION : Reason.NOT_STALLED, needsPerson ? message : "", generation);
    conditions.set(list, ConditionType.RECONCILING, converged || needsPerson ? FALSE : TRUE,
        converged ? Reason.CONVERGED : needsPerson ? Reason.NEEDS_ATTENTION : Reason.RUNNING_PLAN,
        converged || needsPerson ? "" : message, generation);
    conditions.set(list, ConditionType.READY, FALSE, reason, message, generation);
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

  private void recordTransitions(N node, NodeStatus status, EventRecorder events) {
    List<Condition> before = node.getStatus() == null ? List.of() : node.getStatus().getConditions();
    for (Condition c : status.getConditions()) {
      if (!ownedConditions.contains(c.getType()) || Reason.NOT_YET_REPORTED.equals(c.getReason())) {
        continue;
      }
      Optional<Condition> old = Conditions.find(before, c.getType());
      if (old.isPresent() && old.get().getStatus().equals(c.getStatus()) && old.get().getReason().equals(c.getReason())) {
        continue;
      }
      boolean warning = FALSE.equals(c.getStatus()) && !NEGATIVE_WHEN_TRUE.contains(c.getType())
          || TRUE.equals(c.getStatus()) && ConditionType.STALLED.equals(c.getType());
      if (ConditionType.READY.equals(c.getType()) || ConditionType.RECONCILING.equals(c.getType())) {
        continue;
      }
      events.record(node, warning, c.getType() + (TRUE.equals(c.getStatus()) ? "" : c.getStatus()),
          c.getReason() + (c.getMessage().isEmpty() ? "" : ": " + c.getMessage()));
    }
  }

  /** The status this node should have, built on a copy of the current one. */
  NodeStatus observe(N node, Optional<Cluster> cluster) {
    long generation = generation(node);
    NodeStatus status = copyOf(node.getStatus() == null ? new NodeStatus() : node.getStatus());
    List<Condition> list = status.getConditions();
    conditions.initialize(list, ownedConditions, generation);

    boolean paused = Annotations.has(node, Annotations.PAUSED)
        || cluster.map(c -> c.getSpec().isPaused() || Annotations.has(c, Annotations.PAUSED)).orElse(false);
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
    conditions.observe(list, ownedConditions, generation);
    status.setObservedGeneration(generation);
    status.setPhase(phase(node, status));
    return status;
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

  private static NodeStatus copyOf(NodeStatus s) {
    NodeStatus c = new NodeStatus();
    c.setPhase(s.getPhase());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setHostKeyFingerprint(s.getHostKeyFingerprint());
    c.setHostIdentity(s.getHostIdentity());
    c.setNodeName(s.getNodeName());
    c.setKubeletVersion(s.getKubeletVersion());
    c.setSteps(new ArrayList<>(s.getSteps() == null ? List.of() : s.getSteps()));
    c.setConditions(Conditions.copy(s.getConditions()));
    return c;
  }

  @Override
  public ErrorStatusUpdateControl<N> updateErrorStatus(N node, Context<N> context, Exception e) {
    LOG.error("reconciling {} {}/{} failed", node.getKind(), node.getMetadata().getNamespace(),
        node.getMetadata().getName(), e);
    NodeStatus status = copyOf(node.getStatus() == null ? new NodeStatus() : node.getStatus());
    long generation = node.getMetadata().getGeneration();
    conditions.initialize(status.getConditions(), ownedConditions, generation);
    conditions.set(status.getConditions(), ConditionType.READY, UNKNOWN, Reason.INTERNAL_ERROR,
        "unexpected error in the operator; see its log", generation);
    // also after JOSDK's retries are spent: a VM sends no event, so look again on the resync
    return ErrorStatusUpdateControl.patchStatus(StatusPatches.of(node, status, factory)).rescheduleAfter(resync);
  }
}
