package dev.cairn.bootstrap;

import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.pki.PkiFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
 * @param kubeadmConfig the kubeadm config file for this node, given its advertise address; may
 *     throw {@link Unavailable} when what it needs (a join token) cannot be had right now
 */
public record Membership(Kind kind, String caFingerprint, List<PkiFile> pkiFiles, Map<String, String> patches,
    Duration runBudget, Function<String, String> kubeadmConfig) {

  /** No patches and the default budget. */
  public Membership(Kind kind, String caFingerprint, List<PkiFile> pkiFiles, Function<String, String> kubeadmConfig) {
    this(kind, caFingerprint, pkiFiles, Map.of(), KubeadmTuning.DEFAULTS.runBudget(), kubeadmConfig);
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
