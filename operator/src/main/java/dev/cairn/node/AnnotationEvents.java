package dev.cairn.node;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.status.Annotations;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;

/**
 * Nodes' own steering annotations, noticed at once. The controller filters its events by
 * generation, and an annotation does not move the generation: without this, removing
 * {@value Annotations#PREFLIGHT_ONLY} or {@value Annotations#PAUSED}, or adding
 * {@value Annotations#ACCEPT_NEW_HOST_KEY}, would wait for the node's next look (up to the
 * resync). This informer watches the node kind itself and passes only those changes, each to the
 * node it was made on; the controller's own filtering stays as it is.
 */
final class AnnotationEvents {
  static final String NAME = "steeringAnnotations";

  private AnnotationEvents() {}

  static <N extends HostNode> EventSource<?, N> source(EventSourceContext<N> context) {
    Class<N> kind = context.getPrimaryResourceClass();
    var config = InformerEventSourceConfiguration.from(kind, kind)
        .withName(NAME)
        .withNamespacesInheritedFromController()
        .withOnAddFilter(node -> false)
        .withOnDeleteFilter((node, unknown) -> false)
        .withOnUpdateFilter((now, before) -> steered(now, before))
        .withSecondaryToPrimaryMapper((N node) -> Set.of(ResourceID.fromResource(node)))
        .build();
    return new InformerEventSource<>(config, context);
  }

  /** Whether a person changed how the node is steered between {@code before} and {@code now}. */
  static boolean steered(HasMetadata now, HasMetadata before) {
    return Annotations.has(now, Annotations.PREFLIGHT_ONLY) != Annotations.has(before, Annotations.PREFLIGHT_ONLY)
        || Annotations.has(now, Annotations.PAUSED) != Annotations.has(before, Annotations.PAUSED)
        || Annotations.has(now, Annotations.ACCEPT_NEW_HOST_KEY) && !Annotations.has(before,
            Annotations.ACCEPT_NEW_HOST_KEY);
  }
}
