package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code kubeadm init} and {@code kubeadm join} share: a host marked a member of this
 * cluster is left alone, a host of another cluster is refused (apply is empty: a person decides),
 * and what an unfinished run left is reset before the config is written and kubeadm runs again.
 */
abstract class KubeadmMembershipStep implements Step {
  private final String configPath;
  private final String command;
  private final String memberMessage;
  private final String notMemberMessage;

  KubeadmMembershipStep(String configPath, String command, String memberMessage, String notMemberMessage) {
    this.configPath = configPath;
    this.command = command;
    this.memberMessage = memberMessage;
    this.notMemberMessage = notMemberMessage;
  }

  @Override
  public Duration timeout(NodePlan plan) {
    return plan.kubeadmRunBudget();
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (MembershipScripts.member(facts, plan.caFingerprint())) {
      return Check.ok(memberMessage);
    }
    Optional<String> foreign = MembershipScripts.foreign(facts, plan.caFingerprint());
    if (foreign.isPresent()) {
      return Check.missing(foreign.get());
    }
    return facts.list("kubernetes.leftovers").isEmpty()
        ? Check.missing(notMemberMessage)
        : Check.missing("an earlier kubeadm run did not finish (" + String.join(", ", facts.list("kubernetes.leftovers"))
            + "); it is reset first");
  }

  /** A host that is neither a member nor another cluster's is about to run kubeadm with a config. */
  @Override
  public boolean needsKubeadmConfig(HostFacts facts, NodePlan plan) {
    return !MembershipScripts.member(facts, plan.caFingerprint())
        && MembershipScripts.foreign(facts, plan.caFingerprint()).isEmpty();
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    if (MembershipScripts.foreign(facts, plan.caFingerprint()).isPresent()) {
      return Optional.empty();
    }
    String config = plan.membership().config();
    return Optional.of(MembershipScripts.PREAMBLE
        + MembershipScripts.RESET_LEFTOVERS
        + MembershipScripts.putPki(plan.membership().pkiFiles())
        + (plan.membership().controlPlane() ? MembershipScripts.putPatches(plan.membership().patches()) : "")
        + MembershipScripts.put(configPath, config)
        + command + " --config " + configPath + "\n"
        + MembershipScripts.markMember(plan.caFingerprint()));
  }
}
