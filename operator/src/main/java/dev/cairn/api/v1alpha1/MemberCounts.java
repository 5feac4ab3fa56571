package dev.cairn.api.v1alpha1;

/**
 * How many nodes of one role a cluster has and how many are ready; {@code summary} is
 * "ready/desired" for the printer columns.
 */
public record MemberCounts(Integer desired, Integer ready, String summary) {
  public static MemberCounts of(int desired, int ready) {
    return new MemberCounts(desired, ready, ready + "/" + desired);
  }
}
