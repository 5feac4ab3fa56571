package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.time.Duration;
import java.util.Optional;

/**
 * Before a rollout starts: a member whose turn has not come asks its package source whether it
 * offers kubeadm, kubelet and kubectl at the target, and changes nothing else. With the upstream
 * source the target minor's repository is read beside the one the host uses (pkgs.k8s.io has one
 * per minor), not put in its place. The answer is kept in {@code /run/cairn/upgrade-source}
 * (fact {@code upgrade.source}); the first control plane starts once every member has said yes.
 * The script is {@code upgrade-source.<family>.sh}, then {@code kubernetes-available.sh}.
 */
public final class UpgradeSourceStep implements Step {
  @Override
  public StepId id() {
    return StepId.UPGRADE_SOURCE;
  }

  @Override
  public Duration timeout() {
    return Duration.ofMinutes(5);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    if (!StepScript.installs(plan)) {
      return Check.ok("packages.source is preinstalled: a person puts the packages of " + to + " on the host");
    }
    return to.equals(facts.get("upgrade.source")) ? Check.ok("the package source offers kubeadm, kubelet and kubectl "
        + to) : Check.missing("the package source has not been asked for " + to + " yet");
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    return Optional.of(new StepScript()
        .set("TO", to)
        .set("TO_BARE", plan.upgrade().to().bare())
        .set("KUBE_MINOR", plan.upgrade().to().minorLine())
        .packageManager(facts.osFamily(), plan)
        .file("upgrade-source", facts.osFamily())
        .file("kubernetes-available")
        .line("install -d -m 0755 /run/cairn && printf '%s\\n' \"$TO\" > /run/cairn/upgrade-source")
        .toString());
  }
}
