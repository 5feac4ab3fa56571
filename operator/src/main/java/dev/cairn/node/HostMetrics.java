package dev.cairn.node;

import dev.cairn.bootstrap.PlanResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** What host work costs: SSH round trips, applies per step, plan wall time, failures per reason. */
public final class HostMetrics {
  private final MeterRegistry registry;

  public HostMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void planRan(String kind, PlanResult result, Duration took) {
    Counter.builder("cairn.ssh.round.trips").tag("kind", kind).register(registry).increment(result.roundTrips());
    for (String step : result.applied()) {
      Counter.builder("cairn.step.applies").tag("step", step).register(registry).increment();
    }
    Timer.builder("cairn.plan.duration").tag("kind", kind)
        .tag("outcome", result.converged() ? "converged" : "failed").register(registry).record(took);
  }

  void refused(String kind, String reason) {
    Counter.builder("cairn.host.refused").tag("kind", kind).tag("reason", reason).register(registry).increment();
  }
}
