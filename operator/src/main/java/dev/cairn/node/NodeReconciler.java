package dev.cairn.node;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import dev.cairn.status.StatusPatches;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ControlPlaneNode and WorkerNode reconcile alike: the node's conditions, its link to its
 * Cluster (watched, so pausing a Cluster reaches its nodes), observedGeneration and phase.
 */
public abstract class NodeReconciler<N extends HostNode> implements Reconciler<N> {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReconciler.class);
  private static final String BY_CLUSTER = "byCluster";

  private final Conditions conditions;
  private final Duration resync;
  private final List<String> ownedConditions;
  private final Supplier<N> factory;

  protected NodeReconciler(Conditions conditions, Duration resync, List<String> ownedConditions, Supplier<N> factory) {
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

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public UpdateControl<N> reconcile(N node, Context<N> context) {
    NodeStatus status = observe(node, context.getSecondaryResource(Cluster.class));
    if (status.equals(node.getStatus())) {
      return UpdateControl.<N>noUpdate().rescheduleAfter(resync);
    }
    return UpdateControl.patchStatus(StatusPatches.of(node, status, factory)).rescheduleAfter(resync);
  }

  /** The status this node should have, built on a copy of the current one. */
  NodeStatus observe(N node, Optional<Cluster> cluster) {
    long generation = node.getMetadata().getGeneration() == null ? 0 : node.getMetadata().getGeneration();
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
    status.setPhase(deleting ? "Deleting" : Conditions.isTrue(list, ConditionType.READY) ? "Running" : "Pending");
    return status;
  }

  private static NodeStatus copyOf(NodeStatus s) {
    NodeStatus c = new NodeStatus();
    c.setPhase(s.getPhase());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setHostKeyFingerprint(s.getHostKeyFingerprint());
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
    return ErrorStatusUpdateControl.patchStatus(StatusPatches.of(node, status, factory));
  }
}
