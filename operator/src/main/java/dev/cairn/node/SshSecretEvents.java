package dev.cairn.node;

import dev.cairn.api.v1alpha1.HostNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The informer that maps an SSH key Secret's events to the nodes that name it (by an index on
 * {@code spec.host.sshKeySecretRef}): a Secret created late, a key corrected or a passphrase
 * added reaches its nodes at once, not at the resync. The reconcile still reads the Secret
 * itself; this informer's cache keeps only the Secrets' metadata, so no private key of any
 * Secret in the watched namespaces sits in the operator's memory for it.
 */
final class SshSecretEvents {
  static final String NAME = "sshKeySecrets";
  private static final String BY_SECRET = "bySshKeySecret";

  private SshSecretEvents() {}

  static <N extends HostNode> EventSource<?, N> source(EventSourceContext<N> context) {
    context.getPrimaryCache().addIndexer(BY_SECRET, node -> secretName(node) == null
        ? List.of()
        : List.of(key(node.getMetadata().getNamespace(), secretName(node))));
    var config = InformerEventSourceConfiguration.from(Secret.class, context.getPrimaryResourceClass())
        .withName(NAME)
        .withNamespacesInheritedFromController()
        .withItemStore(new MetadataOnly())
        .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
            .byIndex(BY_SECRET, key(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static String secretName(HostNode node) {
    return node.getSpec() == null || node.getSpec().getHost() == null
        || node.getSpec().getHost().getSshKeySecretRef() == null
        ? null : node.getSpec().getHost().getSshKeySecretRef().name();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The informer's store: each Secret kept as its metadata (name, namespace, resourceVersion), never its data. */
  static final class MetadataOnly extends BasicItemStore<Secret> {
    MetadataOnly() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Secret put(String key, Secret secret) {
      return super.put(key, new SecretBuilder().withMetadata(new ObjectMetaBuilder()
          .withName(secret.getMetadata().getName()).withNamespace(secret.getMetadata().getNamespace())
          .withUid(secret.getMetadata().getUid()).withResourceVersion(secret.getMetadata().getResourceVersion())
          .build()).withType(secret.getType()).build());
    }
  }
}
