package dev.cairn.bootstrap.steps;

import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.OsFamily;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kubeadm, kubelet and kubectl at exactly the Cluster's version, from the upstream repository of
 * that minor version or the mirror, held against upgrades, kubelet enabled. With
 * {@code preinstalled} nothing is installed: the versions are verified and a mismatch needs a
 * person. The scripts are {@code kubernetes-repo.<family>.sh} (upstream only) and
 * {@code kubernetes-packages.<family>.sh} beside this class.
 */
public final class KubernetesPackagesStep implements Step {
  static final List<String> PACKAGES = List.of("kubeadm", "kubelet", "kubectl");

  @Override
  public StepId id() {
    return StepId.KUBERNETES_PACKAGES;
  }

  @Override
  public Duration timeout() {
    return Duration.ofMinutes(10);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> wrong = new ArrayList<>();
    for (String pkg : PACKAGES) {
      String have = facts.get(pkg + ".version");
      if (!accepted(plan).contains(have)) {
        wrong.add(pkg + " is " + (have.isEmpty() ? "not installed" : have) + ", want " + String.join(" or ", accepted(plan)));
      }
    }
    if (!wrong.isEmpty() && changedOnMember(facts, plan)) {
      return Check.missing(String.join("; ", wrong) + ": changed outside Cairn on a member of the cluster. Cairn"
          + " does not reinstall a member's Kubernetes packages: put " + plan.kubernetesVersion() + " back, or change"
          + " the Cluster's kubernetesVersion to roll every node forward in order");
    }
    boolean preinstalled = plan.packageSource() == PackagesSpec.Source.PREINSTALLED;
    if (!preinstalled && facts.osFamily() == OsFamily.DEBIAN && !facts.list("held").containsAll(PACKAGES)) {
      wrong.add("not held against upgrades");
    }
    if (!"enabled".equals(facts.get("kubelet.enabled"))) {
      wrong.add("kubelet is not enabled");
    }
    return Check.unless(wrong);
  }

  /**
   * The versions a package may have: the node's own, and during its upgrade the target as well
   * (kubeadm goes first, then kubelet and kubectl; the upgrade steps move them).
   */
  static List<String> accepted(NodePlan plan) {
    return plan.upgrade() == null
        ? List.of(plan.kubernetesVersion().toString())
        : List.of(plan.upgrade().from().toString(), plan.upgrade().to().toString());
  }

  /**
   * A member whose packages are not at its version: installing here would move one node of a
   * running cluster alone (a kubelet newer than its API server, a kubeadm that no longer matches
   * its static Pods); only a rollout moves a member's version.
   */
  private static boolean changedOnMember(HostFacts facts, NodePlan plan) {
    return plan.caFingerprint() != null && MembershipScripts.member(facts, plan.caFingerprint());
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    if (plan.packageSource() == PackagesSpec.Source.PREINSTALLED || plan.upgrade() != null
        || changedOnMember(facts, plan) && PACKAGES.stream()
            .anyMatch(pkg -> !accepted(plan).contains(facts.get(pkg + ".version")))) {
      return Optional.empty();
    }
    return Optional.of(script(facts.osFamily(), plan));
  }

  static String script(OsFamily family, NodePlan plan) {
    return new StepScript()
        .set("KUBE_VERSION", plan.kubernetesVersion().bare())
        .set("KUBE_MINOR", plan.kubernetesVersion().minorLine())
        .packageManager(family, plan)
        .file("kubernetes-repo", family)
        .file("kubernetes-packages", family)
        .toString();
  }
}
