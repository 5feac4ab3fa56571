package dev.cairn.node;

import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import java.time.Clock;
import java.time.Duration;

@ControllerConfiguration(name = WorkerNodeReconciler.NAME, finalizerName = NodeReconciler.FINALIZER)
public class WorkerNodeReconciler extends NodeReconciler<WorkerNode> {
  public static final String NAME = "workernode";

  public WorkerNodeReconciler(Conditions conditions, Duration resync, SshConnector connector, Clock clock,
      HostMetrics metrics, WorkloadAccess workload) {
    super(conditions, resync, ConditionType.WORKER_NODE, WorkerNode::new, connector, clock, metrics, workload);
  }
}
