package dev.cairn.testing;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.HostSpec;
import dev.cairn.api.v1alpha1.LocalObjectReference;
import dev.cairn.api.v1alpha1.NodeSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Node objects as tests write them: the one place a test's ControlPlaneNode or WorkerNode is put together. */
public final class NodeObjects {
  private NodeObjects() {}

  /**
   * {@code node} named {@code name} in {@code namespace}, of Cluster {@code cluster}, whose host
   * is {@code address} on {@code port} (22 when null), reached with the key in Secret
   * {@code sshSecret}. Tests add what else they need (drain timeout, advertise address, status).
   */
  public static <N extends HostNode> N node(N node, String namespace, String name, String cluster, String address,
      Integer port, String sshSecret) {
    node.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    NodeSpec spec = new NodeSpec();
    spec.setClusterName(cluster);
    HostSpec host = new HostSpec();
    host.setAddress(address);
    host.setPort(port);
    host.setSshKeySecretRef(new LocalObjectReference(sshSecret));
    spec.setHost(host);
    node.setSpec(spec);
    return node;
  }
}
