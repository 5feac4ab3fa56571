package dev.cairn.bootstrap;

import dev.cairn.api.v1alpha1.StepStatus;
import java.util.List;
import java.util.Optional;

/**
 * What one run of a plan did: every step's record, the facts last seen, the first failure (the
 * runner stops there) and how many SSH round trips it took.
 */
public record PlanResult(
    List<StepStatus> steps,
    HostFacts facts,
    Optional<Failure> failure,
    List<String> applied,
    int roundTrips) {

  /**
   * A step that did not reach its goal.
   *
   * @param needsPerson true when retrying cannot help (a check-only step failed)
   */
  public record Failure(String step, String condition, String message, boolean needsPerson) {}

  public boolean converged() {
    return failure.isEmpty();
  }
}
