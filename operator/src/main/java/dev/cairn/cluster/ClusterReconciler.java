package dev.cairn.cluster;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.LocalObjectReference;
import dev.cairn.api.v1alpha1.MemberCounts;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.pki.Pki;
import dev.cairn.status.Annotations;
import dev.cairn.status.CertificateDates;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.status.StatusPatches;
import dev.cairn.status.Versions;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Cluster's status true: its conditions, the roll-up of its nodes, and its phase.
 * Watches ControlPlaneNodes and WorkerNodes so that a node becoming Ready updates the Cluster.
 */
@ControllerConfiguration(name = ClusterReconciler.NAME, finalizerName = ClusterReconciler.FINALIZER)
public class ClusterReconciler implements Reconciler<Cluster>, Cleaner<Cluster> {
  /** Held until the Cluster's nodes are gone, workers first (see {@link #cleanup}). */
  public static final String FINALIZER = "cairn.dev/cleanup";
  public static final String NAME = "cluster";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);

  private final Conditions conditions;
  private final Duration resync;
  private final ClusterSecrets secrets;
  private final AdminKubeconfig kubeconfig;
  private final CniAddon cni;

  private final WorkloadAccess workload;
  /** How soon to look again while the cluster is not Ready: the workload cluster sends no events. */
  static final Duration NOT_READY_RETRY = Duration.ofSeconds(20);

  public ClusterReconciler(Conditions conditions, Duration resync, Pki pki, java.time.Clock clock,
      WorkloadAccess workload) {
    this.workload = workload;
    this.conditions = conditions;
    this.resync = resync;
    this.secrets = new ClusterSecrets(pki);
    this.kubeconfig = new AdminKubeconfig(pki, clock);
    this.cni = new CniAddon(conditions);
  }

  @Override
  public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> context) {
    return List.of(nodeSource(ControlPlaneNode.class, context), nodeSource(WorkerNode.class, context));
  }

  private static <N extends HostNode> EventSource<?, Cluster> nodeSource(Class<N> kind,
      EventSourceContext<Cluster> context) {
    var config = InformerEventSourceConfiguration.from(kind, Cluster.class)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper((N node) -> node.getSpec() == null || node.getSpec().getClusterName() == null
            ? Set.of()
            : Set.of(new ResourceID(node.getSpec().getClusterName(), node.getMetadata().getNamespace())))
        .build();
    return new InformerEventSource<>(config, context);
  }

  @Override
  public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
    Set<ControlPlaneNode> controlPlanes = context.getSecondaryResources(ControlPlaneNode.class);
    Set<WorkerNode> workers = context.getSecondaryResources(WorkerNode.class);
    ClusterStatus status = observe(cluster, controlPlanes, workers);
    if (cluster.getMetadata().getDeletionTimestamp() == null) {
      long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
      ClusterSecrets.State pki = secrets.ensure(context.getClient(), cluster);
      conditions.set(status.getConditions(), ConditionType.CERTIFICATES_AVAILABLE, pki.available() ? TRUE : FALSE,
          pki.available() ? Reason.SUCCEEDED : Reason.INVALID_SECRET, pki.message(), generation);
      Optional<String> endpoint = endpoint(cluster, controlPlanes);
      status.setControlPlaneEndpoint(endpoint.orElse(null));
      if (pki.available() && endpoint.isPresent()
          && kubeconfig.ensure(context.getClient(), cluster, pki.clusterCa(), endpoint.get())) {
        status.setKubeconfigSecretRef(new LocalObjectReference(AdminKubeconfig.secretName(cluster)));
      }
      versions(cluster, status, controlPlanes, workers, generation);
      rollUp(cluster, status, controlPlanes, workers, generation);
      PreflightOnlyMembers.note(cluster, status, java.util.stream.Stream.concat(controlPlanes.stream(),
          workers.stream()), conditions, generation);
      boolean started = controlPlanes.stream().anyMatch(n -> n.getStatus() != null
          && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.HOST_REACHABLE));
      status.setPhase(phase(status.getConditions(), false, started));
    }
    Duration next = Conditions.isTrue(status.getConditions(), ConditionType.READY)
        || Conditions.isTrue(status.getConditions(), ConditionType.STALLED) ? resync : NOT_READY_RETRY;
    // cached as written: a stale status must not make ControlPlaneInitialized look False again
    if (StatusPatches.patchIfChanged(cluster, status, Cluster::new, context)) {
      LOG.debug("status of cluster {}/{} changed", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
    }
    return UpdateControl.<Cluster>noUpdate().rescheduleAfter(next);
  }

  /**
   * A Cluster being deleted takes its nodes with it in order: its WorkerNodes first, then (when
   * they are gone) its ControlPlaneNodes, each undone by its own finalizer; then its Secrets.
   * They are owned by the Cluster and the garbage collector would take them, but only after the
   * Cluster is gone and only where a controller-manager runs: deleting them here leaves nothing
   * behind wherever Cairn runs.
   */
  @Override
  public DeleteControl cleanup(Cluster cluster, Context<Cluster> context) {
    Set<ControlPlaneNode> controlPlanes = context.getSecondaryResources(ControlPlaneNode.class);
    Set<WorkerNode> workers = context.getSecondaryResources(WorkerNode.class);
    ClusterStatus status = observe(cluster, controlPlanes, workers);
    long generation = status.getObservedGeneration();
    String reason;
    String message;
    if (!workers.isEmpty()) {
      deleteAll(workers, context);
      reason = Reason.WAITING_FOR_WORKERS_DELETION;
      message = "waiting for " + workers.size() + " WorkerNode(s) to go: " + names(workers);
    } else if (!controlPlanes.isEmpty()) {
      deleteAll(controlPlanes, context);
      reason = Reason.WAITING_FOR_CONTROL_PLANE_DELETION;
      message = "waiting for " + controlPlanes.size() + " ControlPlaneNode(s) to go: " + names(controlPlanes);
    } else {
      // one by one: a collection delete would need the deletecollection verb
      context.getClient().secrets().inNamespace(cluster.getMetadata().getNamespace())
          .withLabel(ClusterSecrets.CLUSTER_LABEL, cluster.getMetadata().getName()).list().getItems()
          .forEach(secret -> context.getClient().resource(secret).delete());
      LOG.info("cluster {}/{} deleted", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    conditions.set(status.getConditions(), ConditionType.DELETING, TRUE, reason, message, generation);
    conditions.set(status.getConditions(), ConditionType.READY, FALSE, reason, message, generation);
    StatusPatches.patchIfChanged(cluster, status, Cluster::new, context);
    // the nodes' own deletion moves on without events from here (hosts, timeouts): look again
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(NOT_READY_RETRY);
  }

  private static void deleteAll(Set<? extends HostNode> nodes, Context<Cluster> context) {
    nodes.stream().filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .forEach(n -> context.getClient().resource(n).delete());
  }

  private static String names(Set<? extends HostNode> nodes) {
    return String.join(", ", nodes.stream().map(n -> n.getMetadata().getName()).sorted().toList());
  }

  /**
   * The conditions that summarise the cluster: initialised (once True, forever), control plane
   * available (a quorum of control planes Ready), workers available, the CNI, and Ready over all.
   */
  private void rollUp(Cluster cluster, ClusterStatus status, Set<ControlPlaneNode> controlPlanes,
      Set<WorkerNode> workers, long generation) {
    List<Condition> list = status.getConditions();
    Optional<ControlPlaneNode> initializer = controlPlanes.stream()
        .filter(n -> n.getStatus() != null && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.JOINED))
        .min(Comparator.comparing((ControlPlaneNode n) -> n.getMetadata().getCreationTimestamp()));
    if (!Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED)) {
      if (initializer.isPresent()) {
        conditions.set(list, ConditionType.CONTROL_PLANE_INITIALIZED, TRUE, Reason.INITIALIZED,
            "initialised by " + initializer.get().getMetadata().getName(), generation);
      } else {
        conditions.set(list, ConditionType.CONTROL_PLANE_INITIALIZED, FALSE, Reason.NOT_INITIALIZED,
            "no control plane has run kubeadm init yet", generation);
      }
    }
    MemberCounts cp = status.getControlPlane();
    int quorum = cp.desired() / 2 + 1;
    boolean cpAvailable = Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED) && cp.ready() >= quorum;
    conditions.set(list, ConditionType.CONTROL_PLANE_AVAILABLE, cpAvailable ? TRUE : FALSE,
        cpAvailable ? Reason.AVAILABLE : Reason.CONTROL_PLANE_UNAVAILABLE,
        cp.ready() + " of " + cp.desired() + " control planes Ready" + (cpAvailable ? "" : ", need " + quorum),
        generation);
    MemberCounts wk = status.getWorkers();
    boolean workersAvailable = wk.ready() >= wk.desired();
    conditions.set(list, ConditionType.WORKERS_AVAILABLE, workersAvailable ? TRUE : FALSE,
        workersAvailable ? Reason.AVAILABLE : Reason.WORKERS_UNAVAILABLE,
        wk.ready() + " of " + wk.desired() + " workers Ready", generation);
    cni.observe(cluster, status, workload, generation);

    String endpoint = cluster.getSpec().getControlPlaneEndpoint();
    Condition cniReady = Conditions.find(list, ConditionType.CNI_READY).orElseThrow();
    boolean endpointMissing = cp.desired() > 1 && (endpoint == null || endpoint.isBlank());
    Optional<Stall> memberStalled = stalledMember(controlPlanes, workers);
    Optional<Stall> stall = endpointMissing
        ? Optional.of(new Stall(Reason.CONTROL_PLANE_ENDPOINT_REQUIRED,
            cp.desired() + " control planes need spec.controlPlaneEndpoint (a VIP or load balancer)"))
        : CniAddon.needsPerson(cniReady.getReason()) ? Optional.of(new Stall(cniReady.getReason(), cniReady.getMessage()))
        : memberStalled;
    boolean stalled = stall.isPresent();
    conditions.set(list, ConditionType.STALLED, stalled ? TRUE : FALSE,
        stall.map(Stall::reason).orElse(Reason.NOT_STALLED), stall.map(Stall::message).orElse(""), generation);

    Optional<Condition> blocking = READY_NEEDS.stream()
        .map(type -> Conditions.find(list, type).orElseThrow())
        .filter(c -> !TRUE.equals(c.getStatus())).findFirst();
    if (blocking.isEmpty() && memberStalled.isEmpty()) {
      conditions.set(list, ConditionType.READY, TRUE, Reason.AVAILABLE, "", generation);
      conditions.set(list, ConditionType.RECONCILING, FALSE, Reason.CONVERGED, "", generation);
    } else {
      // a stalled cluster says first what needs a person, so `kubectl wait` users see it at once;
      // one still converging says where its members stand, and which of them is furthest behind
      String reason = stall.map(Stall::reason).orElseGet(() -> blocking.get().getReason());
      String message = stall.map(st -> "Stalled: " + st.message())
          .orElseGet(() -> standing(cp, wk, blocking, controlPlanes, workers));
      conditions.set(list, ConditionType.READY, FALSE, reason, message, generation);
      conditions.set(list, ConditionType.RECONCILING, stalled ? FALSE : TRUE,
          stalled ? Reason.NEEDS_ATTENTION : reason, stalled ? "" : message, generation);
    }
  }

  /**
   * Where a converging cluster stands: its counts, what blocks Ready (unless the counts say it
   * already), and the member furthest behind, e.g. "control planes 0/1 Ready, workers 1/2 Ready;
   * furthest behind: cp1 (HostPrepared: running step containerd)". Only what the members' status
   * says, in a stable order: it changes when the standing does, not on every pass.
   */
  static String standing(MemberCounts cp, MemberCounts wk, Optional<Condition> blocking,
      Set<ControlPlaneNode> controlPlanes, Set<WorkerNode> workers) {
    StringBuilder message = new StringBuilder("control planes " + cp.summary() + " Ready, workers " + wk.summary()
        + " Ready");
    blocking.filter(c -> !COUNTED.contains(c.getType()))
        .ifPresent(c -> message.append("; ").append(c.getType())
            .append(c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage()));
    furthestBehind(controlPlanes, workers).ifPresent(m -> message.append("; furthest behind: ").append(m));
    return message.toString();
  }

  /** Blocking conditions that only repeat the counts. */
  private static final Set<String> COUNTED = Set.of(ConditionType.CONTROL_PLANE_AVAILABLE,
      ConditionType.WORKERS_AVAILABLE);

  /**
   * A node's way to Ready, in order; the first of these that is not True is where it stands.
   * (KubeadmInitialized is left out: a control plane gets it with Joined, and workers have none.)
   */
  static final List<String> PROGRESS = List.of(ConditionType.HOST_REACHABLE, ConditionType.PREFLIGHT_PASSED,
      ConditionType.HOST_PREPARED, ConditionType.CONTAINER_RUNTIME_READY, ConditionType.KUBERNETES_INSTALLED,
      ConditionType.JOINED, ConditionType.NODE_READY, ConditionType.UP_TO_DATE);

  /** Where one member stands on its way to Ready. */
  private record Place(HostNode node, boolean joined, int at, long succeeded) {
    static Place of(HostNode n) {
      List<Condition> list = n.getStatus() == null ? List.of() : n.getStatus().getConditions();
      int at = 0;
      while (at < PROGRESS.size() && Conditions.isTrue(list, PROGRESS.get(at))) {
        at++;
      }
      long succeeded = n.getStatus() == null ? 0
          : n.getStatus().getSteps().stream().filter(s -> s.state() == StepStatus.State.Succeeded).count();
      return new Place(n, Conditions.isTrue(list, ConditionType.JOINED), at, succeeded);
    }
  }

  /**
   * The member not Ready that has come least far, named with where it stands and what it says:
   * not joined before joined, then the earliest condition on its way (see {@link #PROGRESS}), then
   * the fewest succeeded steps; control planes before workers, then by name. Members being
   * deleted do not count.
   */
  static Optional<String> furthestBehind(Set<ControlPlaneNode> controlPlanes, Set<WorkerNode> workers) {
    return java.util.stream.Stream.<HostNode>concat(controlPlanes.stream(), workers.stream())
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .filter(n -> n.getStatus() == null || !Conditions.isTrue(n.getStatus().getConditions(), ConditionType.READY))
        .map(Place::of)
        .min(Comparator.comparing(Place::joined).thenComparingInt(Place::at).thenComparingLong(Place::succeeded)
            .thenComparing(p -> p.node().role() == HostNode.Role.CONTROL_PLANE ? 0 : 1)
            .thenComparing(p -> p.node().getMetadata().getName()))
        .map(p -> p.node().getMetadata().getName() + " (" + where(p) + ")");
  }

  /** "HostPrepared: running step containerd": the condition it stands at, and what it does or waits for. */
  private static String where(Place p) {
    if (p.node().getStatus() == null) {
      return "no status yet";
    }
    List<Condition> list = p.node().getStatus().getConditions();
    String type = p.at() < PROGRESS.size() ? PROGRESS.get(p.at()) : ConditionType.READY;
    Optional<Condition> at = Conditions.find(list, type);
    // what it is doing now; else what the condition itself says; else its Ready, reason first.
    // Not a Reconciling that waits to retry: its message carries the next attempt's time, and a
    // Cluster message that moved with every attempt would wake every member each time
    String says = Conditions.find(list, ConditionType.RECONCILING)
        .filter(c -> TRUE.equals(c.getStatus()) && Reason.RUNNING_PLAN.equals(c.getReason())
            && c.getMessage() != null && !c.getMessage().isBlank())
        .map(Condition::getMessage)
        .or(() -> at.filter(c -> c.getMessage() != null && !c.getMessage().isBlank()).map(Condition::getMessage))
        .or(() -> Conditions.find(list, ConditionType.READY).map(c -> c.getReason()
            + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage())))
        .orElse(at.map(Condition::getReason).orElse(""));
    return says.isEmpty() ? type : type + ": " + says;
  }

  /** Why the cluster cannot go on without a person. */
  record Stall(String reason, String message) {}

  /**
   * A member that needs a person (its Stalled is True) stalls the Cluster: its reason, and a message
   * naming it ("cp1: AuthenticationFailed: …"), plus how many others are stalled too.
   */
  static Optional<Stall> stalledMember(Set<ControlPlaneNode> controlPlanes, Set<WorkerNode> workers) {
    List<HostNode> stalled = java.util.stream.Stream.<HostNode>concat(controlPlanes.stream(), workers.stream())
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null && n.getStatus() != null
            && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.STALLED))
        .sorted(Comparator.comparing((HostNode n) -> n.role() == HostNode.Role.CONTROL_PLANE ? 0 : 1)
            .thenComparing(n -> n.getMetadata().getName()))
        .toList();
    if (stalled.isEmpty()) {
      return Optional.empty();
    }
    HostNode first = stalled.get(0);
    Condition c = Conditions.find(first.getStatus().getConditions(), ConditionType.STALLED).orElseThrow();
    // a node's Stalled says NeedsAttention; its Ready carries the reason itself (AuthenticationFailed, …)
    String reason = Conditions.find(first.getStatus().getConditions(), ConditionType.READY)
        .filter(r -> !TRUE.equals(r.getStatus()) && r.getReason() != null && !r.getReason().isBlank())
        .map(Condition::getReason).orElse(c.getReason());
    return Optional.of(new Stall(reason, first.getMetadata().getName() + ": " + reason
        + (c.getMessage() == null || c.getMessage().isEmpty() ? "" : ": " + c.getMessage())
        + (stalled.size() > 1 ? " (and " + (stalled.size() - 1) + " more stalled: "
            + String.join(", ", stalled.subList(1, stalled.size()).stream().map(n -> n.getMetadata().getName()).toList())
            + ")" : "")));
  }

  /** Ready is these, in this order; the first that is not True says why the cluster is not Ready. */
  static final List<String> READY_NEEDS = List.of(ConditionType.CERTIFICATES_AVAILABLE,
      ConditionType.CONTROL_PLANE_INITIALIZED, ConditionType.CONTROL_PLANE_AVAILABLE, ConditionType.CNI_READY,
      ConditionType.WORKERS_AVAILABLE, ConditionType.UP_TO_DATE);

  /**
   * The version every member runs (the oldest any joined node records: where a rollout stands, and
   * what a new node joins at; a node that never joined does not hold it back) and UpToDate: all members at the spec's version, or how far the rollout is
   * ("upgrading to v1.37.2: 2/3 control planes, 1/4 workers"), with a member's reason when one holds it.
   */
  private void versions(Cluster cluster, ClusterStatus status, Set<ControlPlaneNode> controlPlanes,
      Set<WorkerNode> workers, long generation) {
    KubernetesVersion target = KubernetesVersion.parse(cluster.getSpec().getKubernetesVersion());
    List<HostNode> members = java.util.stream.Stream.concat(controlPlanes.stream(), workers.stream())
        .map(HostNode.class::cast)
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null && n.getStatus() != null
            && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.JOINED) && Versions.running(n).isPresent())
        .sorted(Comparator.comparing((HostNode n) -> n.getMetadata().getName())).toList();
    Optional<KubernetesVersion> oldest = members.stream().map(n -> Versions.running(n).orElseThrow())
        .min(Comparator.naturalOrder());
    status.setKubernetesVersion(oldest.map(KubernetesVersion::toString).orElse(null));
    // the first of the control planes' certificate expiries; a status that says something else is skipped
    status.setCertificatesExpireAt(controlPlanes.stream()
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null && n.getStatus() != null)
        .flatMap(n -> CertificateDates.expiresAt(n.getStatus()).stream())
        .min(Comparator.naturalOrder()).map(java.time.Instant::toString).orElse(null));
    List<Condition> list = status.getConditions();
    if (oldest.isEmpty()) {
      conditions.set(list, ConditionType.UP_TO_DATE, FALSE, Reason.NOT_INITIALIZED,
          "no node has joined the cluster yet", generation);
      return;
    }
    if (oldest.get().compareTo(target) >= 0) {
      conditions.set(list, ConditionType.UP_TO_DATE, TRUE, Reason.UP_TO_DATE,
          members.size() + " node(s) run " + target, generation);
      return;
    }
    long cpAt = members.stream().filter(n -> n.role() == HostNode.Role.CONTROL_PLANE && atLeast(n, target)).count();
    long cps = members.stream().filter(n -> n.role() == HostNode.Role.CONTROL_PLANE).count();
    long wkAt = members.stream().filter(n -> n.role() == HostNode.Role.WORKER && atLeast(n, target)).count();
    String progress = "upgrading to " + target + ": " + cpAt + "/" + cps + " control planes, " + wkAt + "/"
        + (members.size() - cps) + " workers at " + target;
    Optional<String> held = members.stream()
        .flatMap(n -> Conditions.find(n.getStatus().getConditions(), ConditionType.UP_TO_DATE)
            .filter(c -> Reason.UPGRADE_BLOCKED.equals(c.getReason()))
            .map(c -> n.getMetadata().getName() + ": " + c.getMessage()).stream())
        .findFirst();
    conditions.set(list, ConditionType.UP_TO_DATE, FALSE, held.isPresent() ? Reason.UPGRADE_BLOCKED : Reason.UPGRADING,
        progress + held.map(m -> "; held: " + m).orElse(""), generation);
  }

  private static boolean atLeast(HostNode n, KubernetesVersion target) {
    return Versions.running(n).map(v -> v.compareTo(target) >= 0).orElse(false);
  }

  /**
   * Where every node reaches the API server: the spec's endpoint (a VIP or load balancer), else
   * the first control plane's advertise address on 6443. Empty until there is one.
   */
  static Optional<String> endpoint(Cluster cluster, Set<ControlPlaneNode> controlPlanes) {
    String fromSpec = cluster.getSpec().getControlPlaneEndpoint();
    if (fromSpec != null && !fromSpec.isBlank()) {
      return Optional.of(fromSpec);
    }
    return controlPlanes.stream()
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .min(Comparator.comparing((ControlPlaneNode n) -> n.getMetadata().getCreationTimestamp())
            .thenComparing(n -> n.getMetadata().getName()))
        .map(n -> {
          String a = n.getSpec().getAdvertiseAddress() != null && !n.getSpec().getAdvertiseAddress().isBlank()
              ? n.getSpec().getAdvertiseAddress() : n.getSpec().getHost().getAddress();
          return (a.contains(":") ? "[" + a + "]" : a) + ":6443";
        });
  }

  /** The status this Cluster should have, built on a copy of the current one. */
  ClusterStatus observe(Cluster cluster, Set<ControlPlaneNode> controlPlanes, Set<WorkerNode> workers) {
    long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
    ClusterStatus current = cluster.getStatus() == null ? new ClusterStatus() : cluster.getStatus();
    ClusterStatus status = copyOf(current);
    List<Condition> list = status.getConditions();
    conditions.initialize(list, ConditionType.CLUSTER, generation);

    boolean paused = Annotations.paused(cluster);
    conditions.set(list, ConditionType.PAUSED, paused ? TRUE : FALSE, paused ? Reason.PAUSED : Reason.NOT_PAUSED,
        paused ? "host work for this cluster is paused" : "", generation);
    boolean deleting = cluster.getMetadata().getDeletionTimestamp() != null;
    conditions.set(list, ConditionType.DELETING, deleting ? TRUE : FALSE,
        deleting ? Reason.DELETING : Reason.NOT_DELETING, "", generation);

    MemberCounts cp = MemberCounts.of(controlPlanes.size(), countReady(controlPlanes));
    MemberCounts wk = MemberCounts.of(workers.size(), countReady(workers));
    status.setControlPlane(cp);
    status.setWorkers(wk);

    conditions.observe(list, ConditionType.CLUSTER, generation);
    status.setObservedGeneration(generation);
    status.setPhase(phase(list, deleting, Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED)));
    return status;
  }

  /** Ready and not on its way out: a node being deleted no longer counts toward quorum. */
  private static int countReady(Set<? extends HostNode> nodes) {
    return (int) nodes.stream()
        .filter(n -> n.getMetadata().getDeletionTimestamp() == null)
        .filter(n -> n.getStatus() != null && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.READY))
        .count();
  }

  /**
   * Informational only: Provisioned when Ready, Provisioning once a control plane's host answers
   * or the cluster is initialised, Pending before.
   */
  static String phase(List<Condition> list, boolean deleting, boolean started) {
    if (deleting) {
      return "Deleting";
    }
    if (Conditions.isTrue(list, ConditionType.READY)) {
      return "Provisioned";
    }
    if (Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED) || started) {
      return "Provisioning";
    }
    return "Pending";
  }

  static ClusterStatus copyOf(ClusterStatus s) {
    ClusterStatus c = new ClusterStatus();
    c.setPhase(s.getPhase());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setControlPlaneEndpoint(s.getControlPlaneEndpoint());
    c.setKubernetesVersion(s.getKubernetesVersion());
    c.setCertificatesExpireAt(s.getCertificatesExpireAt());
    c.setKubeconfigSecretRef(s.getKubeconfigSecretRef());
    c.setControlPlane(s.getControlPlane());
    c.setWorkers(s.getWorkers());
    c.setCni(s.getCni());
    c.setConditions(Conditions.copy(s.getConditions()));
    return c;
  }

  @Override
  public ErrorStatusUpdateControl<Cluster> updateErrorStatus(Cluster cluster, Context<Cluster> context, Exception e) {
    LOG.error("reconciling cluster {}/{} failed", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), e);
    ClusterStatus status = copyOf(cluster.getStatus() == null ? new ClusterStatus() : cluster.getStatus());
    long generation = cluster.getMetadata().getGeneration();
    conditions.initialize(status.getConditions(), ConditionType.CLUSTER, generation);
    conditions.set(status.getConditions(), ConditionType.READY, UNKNOWN, Reason.INTERNAL_ERROR,
        "unexpected error in the operator; see its log", generation);
    return StatusPatches.afterError(cluster, status, Cluster::new, resync);
  }
}
