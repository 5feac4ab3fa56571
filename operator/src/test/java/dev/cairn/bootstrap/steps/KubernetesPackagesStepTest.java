package dev.cairn.bootstrap.steps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.common.KubernetesVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only a rollout moves a member's version: the packages step installs on a host that is no member yet. */
class KubernetesPackagesStepTest {
  private static final String FP = "f".repeat(64);
  private final KubernetesPackagesStep step = new KubernetesPackagesStep();
  private final NodePlan plan = new NodePlan(HostNode.Role.WORKER, KubernetesVersion.parse("v1.34.4"),
      PackagesSpec.Source.MIRROR, "http://mirror", null, null, null, null, "192.168.56.31", List.of(), FP, null);

  @Test
  void aHostThatIsNoMemberYetGetsTheVersionInstalled() {
    HostFacts facts = facts("", "v1.34.3", "v1.34.3", "v1.34.3");
    Check check = step.check(facts, plan);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.message()).contains("kubelet is v1.34.3, want v1.34.4");
    assertThat(step.apply(facts, plan)).hasValueSatisfying(s -> assertThat(s).contains("KUBE_VERSION='1.34.4'"));
  }

  @Test
  void aMemberWhosePackagesChangedBehindCairnIsReportedNotReinstalled() {
    HostFacts facts = facts(FP, "v1.34.4", "v1.34.5", "v1.34.4");
    Check check = step.check(facts, plan);
    assertThat(check.satisfied()).isFalse();
    assertThat(check.message()).contains("kubelet is v1.34.5, want v1.34.4", "changed outside Cairn",
        "change the Cluster's kubernetesVersion");
    assertThat(step.apply(facts, plan)).isEmpty();
  }

  @Test
  void aMemberAtItsVersionMayStillBeHeldAndEnabled() {
    HostFacts facts = HostFacts.parse("os.id=debian\ncairn.member=" + FP + "\nkubeadm.version=v1.34.4\n"
        + "kubelet.version=v1.34.4\nkubectl.version=v1.34.4\nheld=\nkubelet.enabled=disabled\nfacts.end=ok\n");
    assertThat(step.check(facts, plan).message()).contains("not held", "kubelet is not enabled");
    assertThat(step.apply(facts, plan)).isPresent();
  }

  @Test
  void duringItsUpgradeAMemberMayRunEitherVersionAndTheUpgradeStepsMoveIt() {
    NodePlan upgrading = plan.withUpgrade(new NodePlan.Upgrade(KubernetesVersion.parse("v1.34.4"),
        KubernetesVersion.parse("v1.35.1"), false));
    HostFacts halfway = facts(FP, "v1.35.1", "v1.34.4", "v1.34.4");
    assertThat(step.check(halfway, upgrading).satisfied()).isTrue();
    assertThat(new KubeadmUpgradeStep().check(halfway, upgrading).message())
        .isEqualTo("kubeadm upgrade node to v1.35.1 has not run on this host");
    assertThat(new KubeletUpgradeStep().check(halfway, upgrading).message())
        .contains("kubelet is v1.34.4, the upgrade needs v1.35.1", "kubectl is v1.34.4");
    // installed but never restarted (the script cut off between the two): the step is not done
    HostFacts notRestarted = HostFacts.parse("os.id=debian\ncairn.member=" + FP + "\nkubeadm.version=v1.35.1\n"
        + "kubelet.version=v1.35.1\nkubectl.version=v1.35.1\nkubelet.active=active\nkubelet.stale=yes\nfacts.end=ok\n");
    assertThat(new KubeletUpgradeStep().check(notRestarted, upgrading).message()).contains("needs a restart");
    HostFacts stray = facts(FP, "v1.36.0", "v1.34.4", "v1.34.4");
    assertThat(step.check(stray, upgrading).satisfied()).isFalse();
    assertThat(step.apply(stray, upgrading)).isEmpty();
  }

  private static HostFacts facts(String member, String kubeadm, String kubelet, String kubectl) {
    return HostFacts.parse("os.id=debian\ncairn.member=" + member + "\nkubeadm.version=" + kubeadm
        + "\nkubelet.version=" + kubelet + "\nkubectl.version=" + kubectl
        + "\nheld=kubeadm,kubelet,kubectl\nkubelet.enabled=enabled\nkubelet.active=active\nfacts.end=ok\n");
  }
}
