package dev.cairn.bootstrap;

import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.api.v1alpha1.StepStatus.State;
import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.Redactor;
import dev.cairn.ssh.SshException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a plan once: facts first (one round trip), then for each step check → apply → verify,
 * stopping at the first failure. It never sleeps or retries: a failure becomes status and the
 * reconciler requeues with backoff. A converged host costs one round trip and runs no apply.
 */
public final class StepRunner {
  static final Duration FACTS_TIMEOUT = Duration.ofSeconds(120);
  static final int TAIL_CHARS = 600;
  /** The message prefix of a step that a check-only run ({@link #check}) found would change the host. */
  public static final String WOULD_APPLY = "would apply: ";

  private final Clock clock;

  public StepRunner(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param previous the step records from status, so attempts and times carry over
   * @param progress called with the records before each apply, to show the plan while it runs
   */
  public PlanResult run(HostShell host, List<Step> steps, NodePlan plan, List<StepStatus> previous,
      Redactor redactor, Consumer<List<StepStatus>> progress) throws SshException {
    return run(host, facts(host), steps, plan, previous, redactor, progress);
  }

  /**
   * The host's facts: one round trip, read-only. A caller that needs them to make the plan (the
   * advertise address, whether kubeadm will run) reads them first and hands them to
   * {@link #run(HostShell, HostFacts, List, NodePlan, List, Redactor, Consumer)}.
   *
   * @throws IllegalStateException when the host answered nothing (gone mid-run)
   * @throws IllegalArgumentException when the answer was cut off
   */
  public HostFacts facts(HostShell host) throws SshException {
    return gather(host, new int[1]);
  }

  /** Runs the plan from {@code facts}, just read by {@link #facts}: that read counts as its first round trip. */
  public PlanResult run(HostShell host, HostFacts facts, List<Step> steps, NodePlan plan, List<StepStatus> previous,
      Redactor redactor, Consumer<List<StepStatus>> progress) throws SshException {
    Map<String, StepStatus> records = new LinkedHashMap<>();
    for (Step step : steps) {
      records.put(step.name(), previous.stream().filter(s -> s.name().equals(step.name())).findFirst()
          .orElse(StepStatus.pending(step.name())));
    }
    int[] roundTrips = {1};
    List<String> applied = new ArrayList<>();
    for (Step step : steps) {
      StepStatus before = records.get(step.name());
      Check check = step.check(facts, plan);
      if (check.satisfied()) {
        records.put(step.name(), succeeded(before, check.message()));
        continue;
      }
      int attempts = (before.attempts() == null ? 0 : before.attempts()) + 1;
      Optional<String> script;
      try {
        script = step.apply(facts, plan);
      } catch (Membership.Unavailable e) {
        String message = redactor.redact(e.getMessage());
        records.put(step.name(), new StepStatus(step.name(), State.Failed, attempts, now(), now(), message));
        return result(records, facts, new PlanResult.Failure(step.name(), step.condition(), message, false), applied,
            roundTrips[0]);
      }
      if (script.isEmpty()) {
        records.put(step.name(), new StepStatus(step.name(), State.Failed, attempts, now(), now(),
            redactor.redact(check.message())));
        return result(records, facts, new PlanResult.Failure(step.name(), step.condition(),
            redactor.redact(check.message()), true), applied, roundTrips[0]);
      }
      String started = now();
      records.put(step.name(), new StepStatus(step.name(), State.Running, attempts, started, null, null));
      progress.accept(List.copyOf(records.values()));
      ExecResult result = host.run(script.get(), step.timeout(plan));
      roundTrips[0]++;
      applied.add(step.name());
      if (!result.ok()) {
        String why = result.timedOut()
            ? "timed out after " + step.timeout(plan).toSeconds() + " s"
            : "exit code " + result.exitCode();
        String message = redactor.redact(why + ": " + result.tail(TAIL_CHARS)).strip();
        records.put(step.name(), new StepStatus(step.name(), State.Failed, attempts, started, now(), message));
        return result(records, facts, new PlanResult.Failure(step.name(), step.condition(), message, false), applied,
            roundTrips[0]);
      }
      HostFacts factsBefore = facts;
      facts = gather(host, roundTrips);
      Check verify = step.verify(factsBefore, facts, plan);
      if (!verify.satisfied()) {
        String message = redactor.redact("applied, but the check still fails: " + verify.message());
        records.put(step.name(), new StepStatus(step.name(), State.Failed, attempts, started, now(), message));
        return result(records, facts, new PlanResult.Failure(step.name(), step.condition(), message, false), applied,
            roundTrips[0]);
      }
      records.put(step.name(), new StepStatus(step.name(), State.Succeeded, attempts, started, now(),
          emptyToNull(verify.message())));
    }
    return result(records, facts, null, applied, roundTrips[0]);
  }

  /**
   * The plan checked, never applied (a node in preflight-only mode): every step's read-only check
   * on {@code facts}, just read by {@link #facts}, and nothing else; this method has no host to run
   * anything on. Every step is checked, not only those up to a first failure, so the result is the
   * whole picture:
   * <ul>
   *   <li>a step whose check passes is {@code Succeeded}, as in a run;</li>
   *   <li>a step that would change the host stays {@code Pending}, its message
   *       {@value #WOULD_APPLY} and what its check found;</li>
   *   <li>a check-only step that fails (preflight, the cluster identity) is {@code Failed} and the
   *       result's failure, needing a person, as in a run.</li>
   * </ul>
   * Whether a step would apply is what its {@link Step#apply} says on these facts: the script is
   * only rendered, to tell a step that can change the host from one that cannot.
   */
  public PlanResult check(HostFacts facts, List<Step> steps, NodePlan plan, List<StepStatus> previous,
      Redactor redactor) {
    Map<String, StepStatus> records = new LinkedHashMap<>();
    PlanResult.Failure failure = null;
    for (Step step : steps) {
      StepStatus before = previous.stream().filter(s -> s.name().equals(step.name())).findFirst()
          .orElse(StepStatus.pending(step.name()));
      Check check = step.check(facts, plan);
      if (check.satisfied()) {
        records.put(step.name(), succeeded(before, check.message()));
        continue;
      }
      String message = redactor.redact(check.message());
      if (wouldApply(step, facts, plan)) {
        records.put(step.name(), new StepStatus(step.name(), State.Pending, before.attempts() == null ? 0
            : before.attempts(), null, null, WOULD_APPLY + message));
        continue;
      }
      records.put(step.name(), new StepStatus(step.name(), State.Failed, before.attempts() == null ? 0
          : before.attempts(), now(), now(), message));
      if (failure == null) {
        failure = new PlanResult.Failure(step.name(), step.condition(), message, true);
      }
    }
    return result(records, facts, failure, List.of(), 1);
  }

  private static boolean wouldApply(Step step, HostFacts facts, NodePlan plan) {
    try {
      return step.apply(facts, plan).isPresent();
    } catch (Membership.Unavailable e) {
      return true;  // it would apply once what it needs is had
    }
  }

  /** A step that is satisfied keeps its earlier record, so a converged re-check writes nothing. */
  private StepStatus succeeded(StepStatus before, String message) {
    if (before.state() == State.Succeeded) {
      return before;
    }
    String time = now();
    return new StepStatus(before.name(), State.Succeeded, before.attempts() == null ? 0 : before.attempts(),
        before.startedAt() == null ? time : before.startedAt(), time, emptyToNull(message));
  }

  private static PlanResult result(Map<String, StepStatus> records, HostFacts facts, PlanResult.Failure failure,
      List<String> applied, int roundTrips) {
    return new PlanResult(List.copyOf(records.values()), facts, Optional.ofNullable(failure), List.copyOf(applied),
        roundTrips);
  }

  private static HostFacts gather(HostShell host, int[] roundTrips) throws SshException {
    ExecResult result = host.run(HostFacts.SCRIPT, FACTS_TIMEOUT);
    roundTrips[0]++;
    if (!result.ok() && result.stdout().isEmpty()) {
      throw new IllegalStateException("gathering facts failed with exit code " + result.exitCode());
    }
    return HostFacts.parse(result.stdout());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }
}
