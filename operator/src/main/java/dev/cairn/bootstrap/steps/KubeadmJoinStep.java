package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code kubeadm join}, as a worker or (with the CA material placed first) as another control
 * plane. A host marked a member of this cluster is not joined again; an interrupted join is reset
 * and retried; a host of another cluster is refused by {@link ClusterIdentityStep}.
 */
public final class KubeadmJoinStep implements Step {
  static final String CONFIG = "/etc/cairn/kubeadm-join.yaml";

  @Override
  public String name() {
    return "kubeadm-join";
  }

  @Override
  public String condition() {
    return ConditionType.JOINED;
  }

  @Override
  public Duration timeout() {
    return Duration.ofMinutes(20);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (MembershipScripts.member(facts, plan.caFingerprint())) {
      return Check.ok("member of this cluster");
    }
    Optional<String> foreign = MembershipScripts.foreign(facts, plan.caFingerprint());
    if (foreign.isPresent()) {
      return Check.missing(foreign.get());
    }
    return facts.list("kubernetes.leftovers").isEmpty()
        ? Check.missing("not joined")
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
        + "kubeadm join --config " + CONFIG + "\n"
        + MembershipScripts.markMember(plan.caFingerprint()));
  }
}
