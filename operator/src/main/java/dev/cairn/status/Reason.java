package dev.cairn.status;

/**
 * CamelCase reasons for conditions and Events. Where Cluster API has a word for the same thing
 * we reuse it verbatim so tools and people that know it read ours the same way.
 */
public final class Reason {
  public static final String NOT_YET_REPORTED = "NotYetReported";
  public static final String INTERNAL_ERROR = "InternalError";
  public static final String CONNECTION_DOWN = "ConnectionDown";
  /** A member's version rollout: running it, waiting its turn, held, done. */
  public static final String UPGRADING = "Upgrading";
  /** A control plane's kubeadm certificates are being renewed, or wait for their turn. */
  public static final String RENEWING_CERTIFICATES = "RenewingCertificates";
  public static final String CERTIFICATES_RENEWED = "CertificatesRenewed";
  public static final String CERTIFICATES_DUE_AGAIN = "CertificatesDueAgain";
  public static final String CERTIFICATES_UNREADABLE = "CertificatesUnreadable";
  public static final String UPGRADE_PENDING = "UpgradePending";
  public static final String UPGRADE_BLOCKED = "UpgradeBlocked";
  public static final String UP_TO_DATE = "UpToDate";
  public static final String DRAINING_NODE = "DrainingNode";
  public static final String WAITING_FOR_WORKERS_DELETION = "WaitingForWorkersDeletion";
  public static final String WAITING_FOR_CONTROL_PLANE_DELETION = "WaitingForControlPlaneDeletion";
  public static final String DELETION_COMPLETED = "DeletionCompleted";
  public static final String RESETTING_HOST = "ResettingHost";
  public static final String DELETING_NODE = "DeletingNode";
  /** Deletion finished without resetting the host (it could not be reached in time). */
  public static final String HOST_NOT_RESET = "HostNotReset";
  /** A converged node's re-check had to apply a step again: something changed the host. */
  public static final String DRIFTED = "Drifted";

  public static final String PAUSED = "Paused";
  public static final String NOT_PAUSED = "NotPaused";
  public static final String DELETING = "Deleting";
  public static final String NOT_DELETING = "NotDeleting";
  public static final String RECONCILING = "Reconciling";
  public static final String CONVERGED = "Converged";
  public static final String NOT_STALLED = "NotStalled";
  public static final String WAITING_FOR_HOST_WORK = "WaitingForHostWork";
  public static final String CLUSTER_NOT_FOUND = "ClusterNotFound";

  public static final String CONNECTED = "Connected";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String INVALID_CREDENTIALS = "InvalidCredentials";
  public static final String PREFLIGHT_FAILED = "PreflightFailed";
  public static final String STEP_FAILED = "StepFailed";
  public static final String SUCCEEDED = "Succeeded";
  /** A plan is running on the host now (only while it runs; see NodeRules#progress). */
  public static final String RUNNING_PLAN = "RunningPlan";
  /**
   * A step failed or the host did not answer, and nothing runs until the next attempt, whose time
   * the message gives: Reconciling True (it will go on by itself), not running.
   */
  public static final String WAITING_TO_RETRY = "WaitingToRetry";
  public static final String WAITING_FOR_BOOTSTRAP = "WaitingForBootstrap";
  public static final String NEEDS_ATTENTION = "NeedsAttention";

  public static final String INVALID_SECRET = "InvalidSecret";

  // membership
  public static final String WAITING_FOR_CONTROL_PLANE = "WaitingForControlPlane";
  public static final String WAITING_FOR_CERTIFICATES = "WaitingForCertificates";
  public static final String CONTROL_PLANE_ENDPOINT_REQUIRED = "ControlPlaneEndpointRequired";
  public static final String INITIALIZED = "Initialized";
  public static final String JOINED = "Joined";
  public static final String NODE_NOT_FOUND = "NodeNotFound";
  public static final String NODE_NOT_READY = "NodeNotReady";
  public static final String KUBELET_READY = "KubeletReady";
  public static final String WORKLOAD_UNREACHABLE = "WorkloadUnreachable";

  // cluster roll-up
  public static final String AVAILABLE = "Available";
  public static final String NOT_INITIALIZED = "NotInitialized";
  public static final String CONTROL_PLANE_UNAVAILABLE = "ControlPlaneUnavailable";
  public static final String WORKERS_UNAVAILABLE = "WorkersUnavailable";
  public static final String CNI_NOT_READY = "CNINotReady";
  public static final String CNI_APPLY_FAILED = "CNIApplyFailed";
  public static final String UNSUPPORTED_CNI_VERSION = "UnsupportedCNIVersion";
  public static final String CNI_CONFIG_INVALID = "CNIConfigInvalid";

  // preflight-only mode (annotation cairn.dev/preflight-only): checked, nothing changed on the host
  public static final String PREFLIGHT_ONLY = "PreflightOnly";

  private Reason() {}
}
