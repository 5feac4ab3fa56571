package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code kubeadm init} on the first control plane, once. A host marked a member of this cluster
 * is not initialised again; what a failed or interrupted run left is reset before the retry
 * (never a host of another cluster: {@link ClusterIdentityStep} stops those first).
 */
public final class KubeadmInitStep implements Step {
  static final String CONFIG = "/etc/cairn/kubeadm.yaml";

  @Override
  public String name() {
    return "kubeadm-init";
  }

  @Override
  public String condition() {
    return ConditionType.KUBEADM_INITIALIZED;
  }

  /** Pulling images and starting etcd and the API server is slow on small or emulated hosts. */
  @Override
  public Duration timeout() {
    return Duration.ofMinutes(20);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (MembershipScripts.member(facts, plan.caFingerprint())) {
      return Check.ok("initialised this cluster");
    }
    Optional<String> foreign = MembershipScripts.foreign(facts, plan.caFingerprint());
    if (foreign.isPresent()) {
      return Check.missing(foreign.get());
    }
    return facts.list("kubernetes.leftovers").isEmpty()
        ? Check.missing("not initialised")
        : Check.missing("an earlier kubeadm run did not finish (" + String.join(", ", facts.list("kubernetes.leftovers"))
            + "); it is reset first");
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    if (MembershipScripts.foreign(facts, plan.caFingerprint()).isPresent()) {
      return Optional.empty();
    }
    String config = plan.membership().kubeadmConfig().apply(plan.advertiseAddressOn(facts));
    return Optional.of(MembershipScripts.PREAMBLE
        + MembershipScripts.RESET_LEFTOVERS
        + MembershipScripts.putPki(plan.membership().pkiFiles())
        + MembershipScripts.put(CONFIG, config)
        + "kubeadm init --config " + CONFIG + "\n"
        + MembershipScripts.markMember(plan.caFingerprint()));
  }
}
