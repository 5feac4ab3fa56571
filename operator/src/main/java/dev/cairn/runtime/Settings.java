package dev.cairn.runtime;

import java.time.Duration;
import java.util.Set;

/**
 * How the operator runs, from flags or environment (see {@link dev.cairn.Main}).
 *
 * @param namespaces namespaces to watch; empty means all
 * @param concurrency reconciliations that may run at once (each may hold an SSH session)
 * @param resync how often a converged object is looked at again; VMs send no events
 * @param leaderElection whether replicas elect a leader on a Lease before reconciling
 * @param leaseNamespace namespace of that Lease
 */
public record Settings(
    Set<String> namespaces,
    int concurrency,
    Duration resync,
    boolean leaderElection,
    String leaseNamespace) {

  public static final String LEASE_NAME = "cairn-operator";

  public Settings {
    namespaces = Set.copyOf(namespaces);
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    if (resync.isNegative() || resync.isZero()) {
      throw new IllegalArgumentException("resync interval must be positive, was " + resync);
    }
  }

  public static Settings defaults() {
    return new Settings(Set.of(), 10, Duration.ofMinutes(5), false, "default");
  }

  public Settings withResync(Duration value) {
    return new Settings(namespaces, concurrency, value, leaderElection, leaseNamespace);
  }

  public Settings withNamespaces(Set<String> value) {
    return new Settings(value, concurrency, resync, leaderElection, leaseNamespace);
  }

  public Settings withLeaderElection(boolean enabled, String namespace) {
    return new Settings(namespaces, concurrency, resync, enabled, namespace);
  }
}
