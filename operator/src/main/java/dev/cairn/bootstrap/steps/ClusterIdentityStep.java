package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.util.Optional;

/**
 * Refuses a host that already belongs to another Kubernetes cluster before anything touches it:
 * preparing it would change packages and containerd under a running node of someone else's.
 * Check-only; a person decides whether to reset that host.
 */
public final class ClusterIdentityStep implements Step {
  @Override
  public StepId id() {
    return StepId.CLUSTER_IDENTITY;
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    return MembershipScripts.foreign(facts, plan.caFingerprint()).map(Check::missing)
        .orElseGet(() -> Check.ok(MembershipScripts.member(facts, plan.caFingerprint())
            ? "member of this cluster" : "not a member of any cluster"));
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.empty();
  }
}
