package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.StepId;
import java.util.ArrayList;
import java.util.List;

/** overlay (containerd's snapshotter) and br_netfilter (bridged traffic through iptables), loaded and persisted. */
public final class KernelModulesStep extends FixedScriptStep {
  static final List<String> MODULES = List.of("overlay", "br_netfilter");
  static final String SCRIPT = """
      set -euo pipefail
      install -d -m 0755 /etc/modules-load.d
      printf 'overlay\\nbr_netfilter\\n' > /etc/modules-load.d/k8s.conf
      modprobe overlay
      modprobe br_netfilter
      """;

  public KernelModulesStep() {
    super(StepId.KERNEL_MODULES, SCRIPT);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> wrong = new ArrayList<>();
    for (String module : MODULES) {
      if (!"loaded".equals(facts.get("module." + module))) {
        wrong.add(module + " not loaded");
      }
      if (!facts.list("modules.persisted").contains(module)) {
        wrong.add(module + " not in /etc/modules-load.d/k8s.conf");
      }
    }
    return Check.unless(wrong);
  }
}
