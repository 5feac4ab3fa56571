package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The informer that maps a Cluster's events to its nodes (by an index on spec.clusterName) and back. */
final class ClusterEvents {
  private static final String BY_CLUSTER = "byCluster";

  private ClusterEvents() {}

  static <N extends HostNode> EventSource<?, N> source(EventSourceContext<N> context) {
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
    return new InformerEventSource<>(config, context);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
