package dev.cairn.status;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sets conditions the way Kubernetes conventions (and Cluster API's {@code conditions.Set}) want:
 * upsert by type, {@code observedGeneration} stamped on every condition,
 * {@code lastTransitionTime} moved only when the status flips, {@code Ready} listed first.
 * The list is edited in place, never rebuilt from scratch, so conditions another writer owns
 * survive.
 */
public final class Conditions {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  /**
   * Upserts one condition.
   *
   * @return true when anything in the list changed
   */
  public boolean set(List<Condition> conditions, String type, String status, String reason, String message,
      long generation) {
    Objects.requireNonNull(reason, "a condition always carries a reason");
    String msg = message == null ? "" : message;
    Optional<Condition> existing = find(conditions, type);
    if (existing.isEmpty()) {
      conditions.add(new Condition(now(), msg, generation, reason, status, type));
      sort(conditions);
      return true;
    }
    Condition c = existing.get();
    boolean changed = false;
    if (!Objects.equals(c.getStatus(), status)) {
      c.setStatus(status);
      c.setLastTransitionTime(now());
      changed = true;
    }
    if (!Objects.equals(c.getReason(), reason)) {
      c.setReason(reason);
      changed = true;
    }
    if (!Objects.equals(c.getMessage(), msg)) {
      c.setMessage(msg);
      changed = true;
    }
    if (!Objects.equals(c.getObservedGeneration(), generation)) {
      c.setObservedGeneration(generation);
      changed = true;
    }
    return changed;
  }

  /** Adds every type not yet present as {@code Unknown/NotYetReported}; leaves the others alone. */
  public boolean initialize(List<Condition> conditions, List<String> types, long generation) {
    boolean changed = false;
    for (String type : types) {
      if (find(conditions, type).isEmpty()) {
        changed |= set(conditions, type, UNKNOWN, Reason.NOT_YET_REPORTED, "", generation);
      }
    }
    return changed;
  }

  /**
   * Stamps {@code generation} on every owned condition: the reconciler looked at this generation
   * and still holds what those conditions say.
   */
  public boolean observe(List<Condition> conditions, List<String> types, long generation) {
    boolean changed = false;
    for (Condition c : conditions) {
      if (types.contains(c.getType()) && !Objects.equals(c.getObservedGeneration(), generation)) {
        c.setObservedGeneration(generation);
        changed = true;
      }
    }
    return changed;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  /** Deep copy, so a status built for comparison never aliases the cached resource's. */
  public static List<Condition> copy(List<Condition> conditions) {
    List<Condition> out = new ArrayList<>();
    if (conditions != null) {
      for (Condition c : conditions) {
        out.add(new Condition(c.getLastTransitionTime(), c.getMessage(), c.getObservedGeneration(), c.getReason(),
            c.getStatus(), c.getType()));
      }
    }
    return out;
  }

  private static void sort(List<Condition> conditions) {
    conditions.sort(Comparator.comparing((Condition c) -> !ConditionType.READY.equals(c.getType())));
  }

  private String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }
}
