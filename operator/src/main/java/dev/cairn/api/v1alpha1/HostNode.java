package dev.cairn.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;

/** A machine Cairn manages over SSH; ControlPlaneNode and WorkerNode differ only in role. */
public abstract class HostNode extends CustomResource<NodeSpec, NodeStatus> implements Namespaced {

  public enum Role {
    CONTROL_PLANE,
    WORKER
  }

  public abstract Role role();
}
