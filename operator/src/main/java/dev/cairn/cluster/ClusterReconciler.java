package dev.cairn.cluster;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.MemberCounts;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.pki.Pki;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.status.StatusPatches;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import dev.cairn.api.v1alpha1.LocalObjectReference;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a Cluster's status true: its conditions, the roll-up of its nodes, and its phase.
 * Watches ControlPlaneNodes and WorkerNodes so that a node becoming Ready updates the Cluster.
 */
@ControllerConfiguration(name = ClusterReconciler.NAME)
public class ClusterReconciler implements Reconciler<Cluster> {
  public static final String NAME = "cluster";
  private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);

  private final Conditions conditions;
  private final Duration resync;
  private final ClusterSecrets secrets;
  private final AdminKubeconfig kubeconfig;

  public ClusterReconciler(Conditions conditions, Duration resync, Pki pki, java.time.Clock clock) {
    this.conditions = conditions;
    this.resync = resync;
    this.secrets = new ClusterSecrets(pki);
    this.kubeconfig = new AdminKubeconfig(pki, clock);
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
    ClusterStatus status = observe(cluster, controlPlanes, context.getSecondaryResources(WorkerNode.class));
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
    }
    if (status.equals(cluster.getStatus())) {
      return UpdateControl.<Cluster>noUpdate().rescheduleAfter(resync);
    }
    LOG.debug("status of cluster {}/{} changed", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
    return UpdateControl.patchStatus(StatusPatches.of(cluster, status, Cluster::new)).rescheduleAfter(resync);
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

    boolean paused = cluster.getSpec().isPaused() || Annotations.has(cluster, Annotations.PAUSED);
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
    status.setPhase(phase(list, deleting));
    return status;
  }

  private static int countReady(Set<? extends HostNode> nodes) {
    return (int) nodes.stream()
        .filter(n -> n.getStatus() != null && Conditions.isTrue(n.getStatus().getConditions(), ConditionType.READY))
        .count();
  }

  static String phase(List<Condition> list, boolean deleting) {
    if (deleting) {
      return "Deleting";
    }
    if (Conditions.isTrue(list, ConditionType.READY)) {
      return "Provisioned";
    }
    if (Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED)
        || Conditions.isTrue(list, ConditionType.RECONCILING)) {
      return "Provisioning";
    }
    return "Pending";
  }

  private static ClusterStatus copyOf(ClusterStatus s) {
    ClusterStatus c = new ClusterStatus();
    c.setPhase(s.getPhase());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setControlPlaneEndpoint(s.getControlPlaneEndpoint());
    c.setKubeconfigSecretRef(s.getKubeconfigSecretRef());
    c.setControlPlane(s.getControlPlane());
    c.setWorkers(s.getWorkers());
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
    return ErrorStatusUpdateControl.patchStatus(StatusPatches.of(cluster, status, Cluster::new)).rescheduleAfter(resync);
  }
}
