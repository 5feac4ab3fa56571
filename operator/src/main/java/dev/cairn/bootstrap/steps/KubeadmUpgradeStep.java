package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import dev.cairn.kubeadm.KubeadmTuning;
import java.time.Duration;
import java.util.Optional;

/**
 * The first half of a member's upgrade, as kubeadm documents it: kubeadm at the target version,
 * then {@code kubeadm upgrade apply} on the first control plane (the cluster's configuration, the
 * control-plane static Pods, etcd, CoreDNS and kube-proxy, certificates renewed) or
 * {@code kubeadm upgrade node} on every other member, with the patches the node was set up with.
 * Done when kubeadm is at the target and the host's marker ({@code /etc/cairn/upgraded}) names
 * it, so a restarted operator never runs it again for that version; the script itself asks the
 * cluster whether apply already ran (another control plane, or this one before a crash) and
 * then runs {@code upgrade node} instead. The script is {@code kubeadm-upgrade.<family>.sh}.
 */
public final class KubeadmUpgradeStep implements Step {
  @Override
  public StepId id() {
    return StepId.KUBEADM_UPGRADE;
  }

  @Override
  public Duration timeout(NodePlan plan) {
    return plan.kubeadmRunBudget();
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    String kubeadm = facts.get("kubeadm.version");
    if (!to.equals(kubeadm)) {
      return Check.missing("kubeadm is " + (kubeadm.isEmpty() ? "not installed" : kubeadm) + ", the upgrade needs " + to);
    }
    if (!to.equals(facts.get("cairn.upgraded"))) {
      return Check.missing("kubeadm upgrade " + (plan.upgrade().apply() ? "apply" : "node") + " to " + to
          + " has not run on this host");
    }
    return Check.ok("kubeadm upgrade to " + to + " done");
  }

  /**
   * With {@code packages.source: preinstalled} Cairn installs nothing: a person puts kubeadm at
   * the target version (the check says so), then Cairn runs the upgrade itself.
   */
  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    String to = plan.upgrade().to().toString();
    if (!StepScript.installs(plan) && !to.equals(facts.get("kubeadm.version"))) {
      return Optional.empty();
    }
    StepScript script = new StepScript()
        .set("TO", to)
        .set("TO_BARE", plan.upgrade().to().bare())
        .set("MODE", plan.upgrade().apply() ? "apply" : "node")
        .set("PATCHES_DIR", KubeadmTuning.PATCHES_DIR)
        .set("UPGRADE_CONFIG", plan.upgrade().kubeadmConfig());
    if (StepScript.installs(plan)) {
      // upstream: the repository of the target's minor replaces the one of the version the node runs
      script.set("KUBE_MINOR", plan.upgrade().to().minorLine()).packageManager(facts.osFamily(), plan)
          .file("kubernetes-repo", facts.osFamily()).file("kubernetes-available")
          .file("kubeadm-upgrade", facts.osFamily());
    }
    return Optional.of(script.file("kubeadm-upgrade").toString());
  }
}
