package dev.cairn.node;

import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.time.Duration;

@ControllerConfiguration(name = ControlPlaneNodeReconciler.NAME, finalizerName = NodeReconciler.FINALIZER)
public class ControlPlaneNodeReconciler extends NodeReconciler<ControlPlaneNode> {
  public static final String NAME = "controlplanenode";

  public ControlPlaneNodeReconciler(Conditions conditions, Duration resync, SshConnector connector, Clock clock,
      HostMetrics metrics, WorkloadAccess workload) {
    super(conditions, resync, ConditionType.CONTROL_PLANE_NODE, ControlPlaneNode::new, connector, clock, metrics, workload);
  }
}
