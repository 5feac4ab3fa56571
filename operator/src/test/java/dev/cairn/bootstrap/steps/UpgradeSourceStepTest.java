package dev.cairn.bootstrap.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Plans;
import dev.cairn.bootstrap.StepId;
import dev.cairn.common.KubernetesVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A waiting member only asks its package source for the target: nothing else is in its upgrade. */
class UpgradeSourceStepTest {
  static final KubernetesVersion FROM = KubernetesVersion.parse("v1.36.3");
  static final KubernetesVersion TO = KubernetesVersion.parse("v1.37.2");

  static NodePlan plan(PackagesSpec.Source source) {
    return new NodePlan(HostNode.Role.WORKER, FROM, source, "http://10.78.0.1:8080", null, List.of(), null, null,
        "10.78.0.12", List.of(), null, null).withUpgrade(NodePlan.Upgrade.sourceOnly(FROM, TO));
  }

  @Test
  void aWaitingMemberAsksItsSourceAndNothingElseOfTheUpgradeRuns() {
    assertThat(Plans.forNode(plan(PackagesSpec.Source.MIRROR))).extracting(s -> s.id())
        .contains(StepId.UPGRADE_SOURCE).doesNotContain(StepId.KUBEADM_UPGRADE, StepId.KUBELET_UPGRADE);
    // the pause image stays the running minor's while only the source is asked
    assertThat(plan(PackagesSpec.Source.MIRROR).sandboxImage()).endsWith("/pause:3.10.2");
  }

  @Test
  void theCheckHoldsOnceTheSourceWasSeenToOfferTheTarget() {
    UpgradeSourceStep step = new UpgradeSourceStep();
    HostFacts asked = HostFacts.parse("os.id=debian\nupgrade.source=v1.37.2\nfacts.end=ok\n");
    HostFacts older = HostFacts.parse("os.id=debian\nupgrade.source=v1.36.3\nfacts.end=ok\n");
    assertThat(step.check(asked, plan(PackagesSpec.Source.MIRROR)).satisfied()).isTrue();
    assertThat(step.check(older, plan(PackagesSpec.Source.MIRROR)).satisfied()).isFalse();
    assertThat(step.check(older, plan(PackagesSpec.Source.MIRROR)).message()).contains("not been asked for v1.37.2");
    // preinstalled: nothing to ask, a person puts the packages there
    assertThat(step.check(older, plan(PackagesSpec.Source.PREINSTALLED)).satisfied()).isTrue();
    String script = step.apply(older, plan(PackagesSpec.Source.UPSTREAM)).orElseThrow();
    // upstream: the target minor's repository is read beside the host's, which is not rewritten
    assertThat(script).contains("KUBE_MINOR='1.37'", "Dir::State::Lists=\"$look/lists\"", "pkg_available \"$p\" \"$TO_BARE\"",
        "> /run/cairn/upgrade-source").doesNotContain("/etc/apt/sources.list.d/kubernetes.list");
  }
}
