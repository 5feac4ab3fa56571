package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.cluster.ClusterPki;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node's cluster as the management API shows it, read before any host work: its nodes, its
 * CAs, and whether this node may join now.
 */
record Standing(List<HostNode> members, Optional<ClusterPki> pki, JoinPlanner.Decision decision) {

  static Standing read(HostNode node, Cluster cluster, KubernetesClient client) {
    List<HostNode> members = members(node, client);
    List<ControlPlaneNode> controlPlanes = members.stream()
        .filter(ControlPlaneNode.class::isInstance).map(ControlPlaneNode.class::cast).toList();
    Optional<ClusterPki> pki = ClusterPki.read(client, node.getMetadata().getNamespace(),
        cluster.getMetadata().getName());
    JoinPlanner.Decision decision = pki.isEmpty()
        ? new JoinPlanner.Wait(Reason.WAITING_FOR_CERTIFICATES, "the Cluster's CA Secrets are not available yet", false)
        : JoinPlanner.decide(node, cluster, controlPlanes);
    return new Standing(members, pki, decision);
  }

  /** The identities of the other nodes of the same cluster, for the uniqueness preflight. */
  List<NodePlan.Identity> peers(HostNode node) {
    return members.stream()
        .filter(n -> !(n.getKind().equals(node.getKind()) && n.getMetadata().getName().equals(node.getMetadata().getName())))
        .filter(n -> n.getStatus() != null && n.getStatus().getHostIdentity() != null)
        .map(n -> new NodePlan.Identity(n.getKind() + "/" + n.getMetadata().getName(),
            n.getStatus().getHostIdentity().hostname(), n.getStatus().getHostIdentity().productUUID(),
            n.getStatus().getHostIdentity().macAddresses()))
        .toList();
  }

  /** All nodes of this node's cluster, itself included. */
  static List<HostNode> members(HostNode node, KubernetesClient client) {
    List<HostNode> all = new ArrayList<>();
    String ns = node.getMetadata().getNamespace();
    all.addAll(client.resources(ControlPlaneNode.class).inNamespace(ns).list().getItems());
    all.addAll(client.resources(WorkerNode.class).inNamespace(ns).list().getItems());
    return all.stream().filter(n -> node.getSpec().getClusterName().equals(n.getSpec().getClusterName())).toList();
  }

  /** The node's SSH key Secret, or null when it does not exist. */
  static Secret sshSecret(HostNode node, KubernetesClient client) {
    return client.secrets().inNamespace(node.getMetadata().getNamespace())
        .withName(node.getSpec().getHost().getSshKeySecretRef().name()).get();
  }
}
