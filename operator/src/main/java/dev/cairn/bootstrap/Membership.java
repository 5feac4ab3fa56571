package dev.cairn.bootstrap;

import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.pki.PkiFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a prepared host becomes a member of its cluster, and how to tell that it already is one.
 * Holds secrets (CA keys, a bootstrap token inside the kubeadm config), so {@link #toString}
 * names only what is not secret.
 *
 * @param caFingerprint SHA-256 (hex) of the cluster CA certificate's DER: the cluster's identity
 *     on a host, compared with the CA inside the host's admin.conf and kubelet.conf
 * @param pkiFiles the CA material for a control plane; empty for a worker
 * @param patches kubeadm patch files for a control plane (file name to content), written to
 *     {@link dev.cairn.kubeadm.KubeadmTuning#PATCHES_DIR}; empty for none
 * @param runBudget how long one kubeadm run may take, from the Cluster's kubeadm timeouts
 * @param kubeadmConfig the kubeadm config file for this node, rendered on its advertise address
 *     before the plan runs and only when the host is not a member yet (a join token costs a call
 *     to the workload API); null when it was not needed or could not be had
 * @param unavailable why the config could not be had right now (no join token, say); null otherwise
 */
public record Membership(Kind kind, String caFingerprint, List<PkiFile> pkiFiles, Map<String, String> patches,
    Duration runBudget, String kubeadmConfig, String unavailable) {

  /** No patches, the default budget, and no config yet. */
  public Membership(Kind kind, String caFingerprint, List<PkiFile> pkiFiles) {
    this(kind, caFingerprint, pkiFiles, Map.of(), KubeadmTuning.DEFAULTS.runBudget(), null, null);
  }

  /** This membership with its kubeadm config. */
  public Membership withConfig(String config) {
    return new Membership(kind, caFingerprint, pkiFiles, patches, runBudget, config, null);
  }

  /** This membership without a config, and why it cannot be had right now. */
  public Membership withConfigUnavailable(String why) {
    return new Membership(kind, caFingerprint, pkiFiles, patches, runBudget, null, why);
  }

  /**
   * The kubeadm config for the membership step's script.
   *
   * @throws Unavailable when it could not be had right now: the step fails and is tried again
   */
  public String config() {
    if (kubeadmConfig != null) {
      return kubeadmConfig;
    }
    throw new Unavailable(unavailable != null ? unavailable
        : "no kubeadm config was rendered for this " + kind + " (a Cairn bug: report it)");
  }

  public enum Kind {
    /** kubeadm init: the first control plane of a cluster not yet initialised. */
    INIT,
    /** kubeadm join --control-plane, with the CA material placed first. */
    JOIN_CONTROL_PLANE,
    /** kubeadm join of a worker. */
    JOIN_WORKER
  }

  /** What a step needs is missing for now (the workload API is down, say); try again later. */
  public static final class Unavailable extends RuntimeException {
    public Unavailable(String message) {
      super(message);
    }
  }

  public boolean controlPlane() {
    return kind != Kind.JOIN_WORKER;
  }

  @Override
  public String toString() {
    return "Membership[" + kind + ", ca sha256:" + caFingerprint + ", "
        + pkiFiles.stream().map(PkiFile::path).toList() + "]";
  }
}
