package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a node's plan as it ran on the host: visible in {@code status.steps} while the
 * plan runs. {@code message} is a short, redacted output tail on failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepStatus(
    String name,
    State state,
    Integer attempts,
    String startedAt,
    String finishedAt,
    String message) {

  public enum State {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped
  }

  public static StepStatus pending(String name) {
    return new StepStatus(name, State.Pending, 0, null, null, null);
  }
}
