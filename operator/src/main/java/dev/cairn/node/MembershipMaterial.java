package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneSpec;
import dev.cairn.api.v1alpha1.KubeadmPatch;
import dev.cairn.bootstrap.Membership;
import dev.cairn.cluster.ClusterPki;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.kubeadm.BootstrapTokens;
import dev.cairn.kubeadm.KubeadmConfig;
import dev.cairn.kubeadm.KubeadmJoinConfig;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.pki.PkiFile;
import dev.cairn.ssh.Redactor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a host needs to become a member: the CA files, kubeadm's patch files, and the kubeadm
 * config. The config is made only when the host's facts show kubeadm will run (on the host's
 * advertise address), before the plan starts: a join token costs a call to the workload API, and
 * a member never needs one.
 */
final class MembershipMaterial {
  static final Duration TOKEN_TTL = Duration.ofHours(1);

  private final WorkloadAccess workload;
  private final BootstrapTokens tokens;

  MembershipMaterial(WorkloadAccess workload, Clock clock) {
    this.workload = workload;
    this.tokens = new BootstrapTokens(clock);
  }

  /**
   * What a host needs to join as {@code kind}, all but the kubeadm config; every secret in it is
   * registered with {@code redactor}. {@link Draft#complete} adds the config once the host's facts
   * show it is needed.
   */
  Draft of(Membership.Kind kind, Cluster cluster, ClusterPki pki, Redactor redactor) {
    var spec = cluster.getSpec();
    KubeadmTuning tuning = KubeadmTuning.of(spec);
    List<PkiFile> files = kind == Membership.Kind.JOIN_WORKER ? List.of() : pki.files();
    Map<String, String> patches = kind == Membership.Kind.JOIN_WORKER ? Map.of() : patchFiles(spec.getControlPlane());
    return new Draft(this, new Membership(kind, pki.fingerprint(), files, patches, tuning.runBudget(), null, null),
        cluster, pki, redactor);
  }

  /** A membership without its kubeadm config yet, and what making the config takes. */
  record Draft(MembershipMaterial material, Membership membership, Cluster cluster, ClusterPki pki,
      Redactor redactor) {
    /** The membership with the config for a host advertising {@code advertise}, or why it cannot be had now. */
    Membership complete(String advertise, KubernetesVersion version) {
      try {
        return membership.withConfig(material.config(this, advertise, version));
      } catch (Membership.Unavailable e) {
        return membership.withConfigUnavailable(e.getMessage());
      }
    }
  }

  /** The config for kubeadm of {@code version}: the one the node's packages are held at, not the spec's. */
  private String config(Draft draft, String advertise, KubernetesVersion version) {
    Cluster cluster = draft.cluster();
    var spec = cluster.getSpec();
    boolean schedulable = spec.getControlPlane().isSchedulable();
    KubeadmTuning tuning = KubeadmTuning.of(spec);
    Membership.Kind kind = draft.membership().kind();
    if (kind == Membership.Kind.INIT) {
      String token = tokens.generate();
      draft.redactor().register(token);
      return new KubeadmConfig(cluster.getMetadata().getName(), version, advertise, spec.getControlPlaneEndpoint(),
          spec.getNetwork().getPodSubnet(), spec.getNetwork().getServiceSubnet(), spec.getImageRepository(),
          schedulable, token, TOKEN_TTL, tuning).render();
    }
    String endpoint = cluster.getStatus() == null ? null : cluster.getStatus().getControlPlaneEndpoint();
    if (endpoint == null) {
      throw new Membership.Unavailable("the Cluster reports no control-plane endpoint yet");
    }
    KubernetesClient client = workload.client(cluster).orElseThrow(() -> new Membership.Unavailable(
        "the Cluster's admin kubeconfig is not available yet"));
    String token;
    try {
      token = tokens.ensure(client, TOKEN_TTL);
    } catch (KubernetesClientException e) {
      throw new Membership.Unavailable("could not get a join token from the workload API at " + endpoint + ": "
          + e.getMessage());
    }
    draft.redactor().register(token);
    return new KubeadmJoinConfig(version, endpoint, token, draft.pki().discoveryHash(), advertise,
        kind == Membership.Kind.JOIN_CONTROL_PLANE, schedulable, tuning).render();
  }

  /** kubeadm's patch file names, target + order + type, so the spec's order is kubeadm's too. */
  static Map<String, String> patchFiles(ControlPlaneSpec controlPlane) {
    Map<String, String> files = new LinkedHashMap<>();
    List<KubeadmPatch> patches = controlPlane.getPatches() == null ? List.of() : controlPlane.getPatches();
    for (int i = 0; i < patches.size(); i++) {
      KubeadmPatch p = patches.get(i);
      files.put("%s%02d+%s.yaml".formatted(p.target().value(), i, p.typeOrDefault().name().toLowerCase(Locale.ROOT)),
          p.patch());
    }
    return files;
  }
}
