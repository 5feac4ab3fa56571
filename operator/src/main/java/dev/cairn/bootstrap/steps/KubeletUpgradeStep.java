package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The second half of a member's upgrade, once kubeadm's is done and the Node is drained: kubelet
 * and kubectl at the target version, held, and the kubelet restarted on the new binary and the
 * configuration {@code kubeadm upgrade} wrote. The script is {@code kubelet-upgrade.<family>.sh}.
 */
public final class KubeletUpgradeStep implements Step {
  @Override
  public StepId id() {
    return StepId.KUBELET_UPGRADE;
  }

  @Override
  public Duration timeout() {
    return Duration.ofMinutes(10);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    List<String> wrong = new ArrayList<>();
    for (String pkg : List.of("kubelet", "kubectl")) {
      String have = facts.get(pkg + ".version");
      if (!to.equals(have)) {
        wrong.add(pkg + " is " + (have.isEmpty() ? "not installed" : have) + ", the upgrade needs " + to);
      }
    }
    if (!"active".equals(facts.get("kubelet.active"))) {
      wrong.add("kubelet is " + facts.get("kubelet.active"));
    } else if ("yes".equals(facts.get("kubelet.stale"))) {
      wrong.add("the running kubelet started before its binary was replaced: it needs a restart");
    }
    return wrong.isEmpty() ? Check.ok("kubelet and kubectl at " + to) : Check.unless(wrong);
  }

  /** With {@code packages.source: preinstalled} a person installs the packages; Cairn restarts the kubelet on them. */
  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    if (!StepScript.installs(plan)) {
      boolean installed = to.equals(facts.get("kubelet.version")) && to.equals(facts.get("kubectl.version"));
      return installed
          ? Optional.of(new StepScript().line("systemctl daemon-reload").line("systemctl restart kubelet").toString())
          : Optional.empty();
    }
    return Optional.of(new StepScript()
        .set("TO", to)
        .set("TO_BARE", plan.upgrade().to().bare())
        .set("KUBE_MINOR", plan.upgrade().to().minorLine())
        .packageManager(facts.osFamily(), plan)
        .file("kubernetes-repo", facts.osFamily())
        .file("kubelet-upgrade", facts.osFamily())
        .toString());
  }
}
