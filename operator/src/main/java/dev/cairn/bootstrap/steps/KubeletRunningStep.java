package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.util.Optional;

/**
 * On a member, kubelet runs: one stopped by hand or by a crash loop that systemd gave up on is
 * started again (drift), without touching the membership itself.
 */
public final class KubeletRunningStep implements Step {
  static final String START = """
      set -euo pipefail
      systemctl enable kubelet >/dev/null 2>&1
      systemctl restart kubelet
      systemctl is-active --quiet kubelet
      """;

  @Override
  public StepId id() {
    return StepId.KUBELET;
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (!MembershipScripts.member(facts, plan.caFingerprint())) {
      return Check.ok("not a member yet");
    }
    String state = facts.get("kubelet.active");
    return "active".equals(state) ? Check.ok("kubelet running") : Check.missing("kubelet is " + state);
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(START);
  }
}
