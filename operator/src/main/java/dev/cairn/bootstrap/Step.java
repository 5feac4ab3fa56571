package dev.cairn.bootstrap;

import java.time.Duration;
import java.util.Optional;

/**
 * One idempotent piece of host work: a cheap read-only {@link #check} decided from facts, an
 * {@link #apply} script, and a {@link #verify} that is the check again on fresh facts unless the
 * step says otherwise.
 */
public interface Step {
  /** Which step this is: its name in status and the condition it serves. */
  StepId id();

  default String name() {
    return id().stepName();
  }

  /** The node condition this step contributes to. */
  default String condition() {
    return id().condition();
  }

  Check check(HostFacts facts, NodePlan plan);

  /**
   * Whether the apply did its work, from the facts read before it and after: by default the check
   * again on the facts after. A step whose check can still fail after a successful apply (a
   * certificate renewal under a renewBefore longer than the renewal leaves) says what done means.
   */
  default Check verify(HostFacts before, HostFacts after, NodePlan plan) {
    return check(after, plan);
  }

  /**
   * The script that makes the check pass, or empty for a check-only step (preflight,
   * preinstalled packages) whose failure needs a person.
   */
  Optional<String> apply(HostFacts facts, NodePlan plan);

  /**
   * Whether this step's apply, on these facts, will write the kubeadm config of the plan's
   * membership: the config is rendered (and a join token had) only then, before the plan runs.
   */
  default boolean needsKubeadmConfig(HostFacts facts, NodePlan plan) {
    return false;
  }

  default Duration timeout() {
    return Duration.ofMinutes(2);
  }

  /** How long the apply script may run for this plan; {@link #timeout()} unless the plan changes it. */
  default Duration timeout(NodePlan plan) {
    return timeout();
  }
}
