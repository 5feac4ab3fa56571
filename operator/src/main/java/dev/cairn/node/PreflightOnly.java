package dev.cairn.node;

import static dev.cairn.status.Conditions.FALSE;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node in preflight-only mode (annotation {@value Annotations#PREFLIGHT_ONLY} on it or on its
 * Cluster): its host was reached and checked, nothing was changed (see {@link HostWork#preflight}).
 * This turns that check into status, on top of what {@link NodeRules#hostRan} says of any run:
 * HostReachable and PreflightPassed as usual, the host-preparation conditions that would change
 * False with what would, and Ready False with reason {@value Reason#PREFLIGHT_ONLY} and the whole
 * summary. Reconciling is False: nothing more happens until the annotation goes. Stalled stays
 * what the checks say (True only when a check no retry can pass failed, such as preflight).
 */
final class PreflightOnly {
  static final String HOW_TO_PROCEED = "remove the annotation " + Annotations.PREFLIGHT_ONLY + " to proceed";
  /** Stands in for the join decision: no kubeadm init or join while checking only. */
  static final JoinPlanner.Wait HELD = new JoinPlanner.Wait(Reason.PREFLIGHT_ONLY,
      "preflight only: no kubeadm init or join while the annotation " + Annotations.PREFLIGHT_ONLY + " is set", false);

  private final NodeRules rules;
  private final Conditions conditions;

  PreflightOnly(NodeRules rules, Conditions conditions) {
    this.rules = rules;
    this.conditions = conditions;
  }

  /** Folds a check-only run into the status; returns when to look again. */
  Duration hostChecked(HostNode node, NodeStatus status, HostWork.Outcome outcome) {
    Duration next = rules.hostRan(node, status, outcome, HELD);
    if (!outcome.connected()) {
      // not reached: said as for any run (HostReachable False and why), and tried again as usual
      return next;
    }
    long generation = NodeRules.generation(node);
    List<Condition> list = status.getConditions();
    PlanResult plan = outcome.plan();
    Map<String, List<String>> wouldChange = wouldChange(outcome);
    wouldChange.forEach((condition, steps) -> {
      if (!ConditionType.PREFLIGHT_PASSED.equals(condition) && !Conditions.isTrue(list, condition)) {
        conditions.set(list, condition, FALSE, Reason.PREFLIGHT_ONLY, StepRunner.WOULD_APPLY + String.join(", ", steps),
            generation);
      }
    });
    String message = summary(plan.failure(), wouldChange.values().stream().flatMap(List::stream).toList());
    conditions.set(list, ConditionType.READY, FALSE, Reason.PREFLIGHT_ONLY, message, generation);
    conditions.set(list, ConditionType.RECONCILING, FALSE, Reason.PREFLIGHT_ONLY,
        "nothing more happens until the annotation " + Annotations.PREFLIGHT_ONLY + " is removed", generation);
    return rules.resync();
  }

  /**
   * Ready's message: whether preflight passed, then the steps that would change the host, e.g.
   * "preflight only: preflight passed; 3 steps would change the host: swap-off, containerd,
   * kubernetes-packages; remove the annotation cairn.dev/preflight-only to proceed".
   */
  static String summary(Optional<PlanResult.Failure> failure, List<String> wouldApply) {
    String checks = failure.map(f -> f.step() + ": " + f.message()).orElse("preflight passed");
    String changes = wouldApply.isEmpty() ? "nothing would change on the host"
        : wouldApply.size() + (wouldApply.size() == 1 ? " step" : " steps") + " would change the host: "
            + String.join(", ", wouldApply);
    return "preflight only: " + checks + "; " + changes + "; " + HOW_TO_PROCEED;
  }

  /** The steps a check-only run left Pending (would apply), by the condition they serve, in plan order. */
  static Map<String, List<String>> wouldChange(HostWork.Outcome outcome) {
    List<String> pending = outcome.plan().steps().stream().filter(s -> s.state() == StepStatus.State.Pending)
        .map(StepStatus::name).toList();
    Map<String, List<String>> byCondition = new LinkedHashMap<>();
    for (Step step : outcome.steps()) {
      if (pending.contains(step.name())) {
        byCondition.computeIfAbsent(step.condition(), c -> new java.util.ArrayList<>()).add(step.name());
      }
    }
    return byCondition;
  }
}
