package dev.cairn.bootstrap;

import dev.cairn.bootstrap.steps.ContainerdStep;
import dev.cairn.bootstrap.steps.KernelModulesStep;
import dev.cairn.bootstrap.steps.KubernetesPackagesStep;
import dev.cairn.bootstrap.steps.PreflightStep;
import dev.cairn.bootstrap.steps.RhelHostStep;
import dev.cairn.bootstrap.steps.SwapStep;
import dev.cairn.bootstrap.steps.SysctlStep;
import java.util.List;

/** The ordered steps that turn a bare machine into one kubeadm accepts (the seed's section 3). */
public final class Plans {
  private Plans() {}

  /** Steps hold no state, so one list serves every node and every reconcile. */
  private static final List<Step> HOST_PREPARATION = List.of(new PreflightStep(), new SwapStep(),
      new KernelModulesStep(), new SysctlStep(), new RhelHostStep(), new ContainerdStep(), new KubernetesPackagesStep());

  public static List<Step> hostPreparation() {
    return HOST_PREPARATION;
  }
}
