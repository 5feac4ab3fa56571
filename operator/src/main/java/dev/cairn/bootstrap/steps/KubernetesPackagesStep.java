package dev.cairn.bootstrap.steps;

import static dev.cairn.ssh.Shell.quote;

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
 * person.
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
      if (!plan.kubernetesVersion().toString().equals(have)) {
        wrong.add(pkg + " is " + (have.isEmpty() ? "not installed" : have) + ", want " + plan.kubernetesVersion());
      }
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

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    if (plan.packageSource() == PackagesSpec.Source.PREINSTALLED) {
      return Optional.empty();
    }
    return Optional.of(script(facts.osFamily(), plan));
  }

  static String script(OsFamily family, NodePlan plan) {
    StringBuilder s = new StringBuilder("set -euo pipefail\n");
    s.append("KUBE_VERSION=").append(quote(plan.kubernetesVersion().bare())).append('\n');
    s.append("KUBE_MINOR=").append(quote(plan.kubernetesVersion().minorLine())).append('\n');
    s.append(PackageScripts.preamble(family, plan));
    boolean upstream = plan.packageSource() == PackagesSpec.Source.UPSTREAM;
    if (family == OsFamily.RHEL) {
      if (upstream) {
        s.append("""
            cat > /etc/yum.repos.d/kubernetes.repo <<REPO
            [kubernetes]
            name=Kubernetes
            baseurl=https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/
            enabled=1
            gpgcheck=1
            gpgkey=https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/rpm/repodata/repomd.xml.key
            exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
            REPO
            """);
      }
      s.append("""
          pkg_refresh
          pkg_install "kubelet-$KUBE_VERSION" "kubeadm-$KUBE_VERSION" "kubectl-$KUBE_VERSION"
          pkg_hold kubelet kubeadm kubectl
          systemctl enable kubelet >/dev/null 2>&1
          """);
      return s.toString();
    }
    if (upstream) {
      s.append("""
          install -d -m 0755 /etc/apt/keyrings
          repo="https://pkgs.k8s.io/core:/stable:/v$KUBE_MINOR/deb/"
          if ! grep -qsF "$repo" /etc/apt/sources.list.d/kubernetes.list; then
            curl -fsSL "${repo}Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
            echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] $repo /" > /etc/apt/sources.list.d/kubernetes.list
          fi
          """);
    }
    s.append("""
        pkg_refresh
        pkg_install "kubelet=$KUBE_VERSION-*" "kubeadm=$KUBE_VERSION-*" "kubectl=$KUBE_VERSION-*"
        pkg_hold kubelet kubeadm kubectl
        systemctl enable kubelet >/dev/null 2>&1
        """);
    return s.toString();
  }
}
