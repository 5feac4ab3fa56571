package dev.cairn.status;

import java.util.List;

/**
 * Condition types Cairn owns. All are positive ("is it so?"); {@code Ready} is the summary that
 * {@code kubectl wait --for=condition=Ready} and Argo CD read, {@code Reconciling} and
 * {@code Stalled} are kstatus' abnormal-true conditions.
 */
public final class ConditionType {
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  public static final String DELETING = "Deleting";
  public static final String PAUSED = "Paused";

  // Cluster
  public static final String CONTROL_PLANE_INITIALIZED = "ControlPlaneInitialized";
  public static final String CONTROL_PLANE_AVAILABLE = "ControlPlaneAvailable";
  public static final String WORKERS_AVAILABLE = "WorkersAvailable";
  public static final String CNI_READY = "CNIReady";
  public static final String CERTIFICATES_AVAILABLE = "CertificatesAvailable";

  // Nodes
  public static final String HOST_REACHABLE = "HostReachable";
  public static final String PREFLIGHT_PASSED = "PreflightPassed";
  public static final String HOST_PREPARED = "HostPrepared";
  public static final String CONTAINER_RUNTIME_READY = "ContainerRuntimeReady";
  public static final String KUBERNETES_INSTALLED = "KubernetesInstalled";
  public static final String KUBEADM_INITIALIZED = "KubeadmInitialized";
  public static final String JOINED = "Joined";
  public static final String NODE_READY = "NodeReady";
  /** A member runs the Cluster's kubernetesVersion; on the Cluster: every member does. */
  public static final String UP_TO_DATE = "UpToDate";

  public static final List<String> CLUSTER =
      List.of(READY, CONTROL_PLANE_INITIALIZED, CONTROL_PLANE_AVAILABLE, WORKERS_AVAILABLE, CNI_READY,
          CERTIFICATES_AVAILABLE, UP_TO_DATE, RECONCILING, STALLED, DELETING, PAUSED);

  private static final List<String> HOST_PREPARATION =
      List.of(HOST_REACHABLE, PREFLIGHT_PASSED, HOST_PREPARED, CONTAINER_RUNTIME_READY, KUBERNETES_INSTALLED);

  /** The first control plane runs kubeadm init; the others join, so both kinds are owned. */
  public static final List<String> CONTROL_PLANE_NODE = concat(HOST_PREPARATION,
      List.of(KUBEADM_INITIALIZED, JOINED, NODE_READY, UP_TO_DATE, RECONCILING, STALLED, DELETING, PAUSED));

  public static final List<String> WORKER_NODE = concat(HOST_PREPARATION,
      List.of(JOINED, NODE_READY, UP_TO_DATE, RECONCILING, STALLED, DELETING, PAUSED));

  private static List<String> concat(List<String> a, List<String> b) {
    var all = new java.util.ArrayList<String>(1 + a.size() + b.size());
    all.add(READY);
    all.addAll(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private ConditionType() {}
}
