package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.status.Annotations;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The edits a node's reconcile makes to the node object itself (never to its spec). */
final class NodeMetadata {
  private static final Logger LOG = LoggerFactory.getLogger(NodeMetadata.class);

  private NodeMetadata() {}

  /**
   * The node's Cluster as an owner, so tools see what belongs together; it never blocks the
   * Cluster's deletion (the Cluster's finalizer deletes its nodes in order instead).
   */
  static void ensureOwner(HostNode node, Cluster cluster, KubernetesClient client) {
    String uid = cluster.getMetadata().getUid();
    List<OwnerReference> owners = node.getMetadata().getOwnerReferences();
    if (uid == null || owners != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()))) {
      return;
    }
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion())
        .withKind(cluster.getKind()).withName(cluster.getMetadata().getName()).withUid(uid)
        .withBlockOwnerDeletion(false).withController(false).build();
    try {
      client.resource(node).edit(n -> {
        n.getMetadata().getOwnerReferences().removeIf(o -> "Cluster".equals(o.getKind())
            && cluster.getApiVersion().equals(o.getApiVersion()));
        n.getMetadata().getOwnerReferences().add(owner);
        return n;
      });
    } catch (KubernetesClientException e) {
      LOG.debug("could not add the owner reference to {}; next time", node.getMetadata().getName(), e);
    }
  }

  static void forgetAcceptAnnotation(HostNode node, KubernetesClient client) {
    client.resource(node).edit(n -> {
      if (n.getMetadata().getAnnotations() != null) {
        n.getMetadata().getAnnotations().remove(Annotations.ACCEPT_NEW_HOST_KEY);
      }
      return n;
    });
  }
}
