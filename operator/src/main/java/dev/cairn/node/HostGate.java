package dev.cairn.node;

import static dev.cairn.node.NodeRules.generation;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a reconcile may send anything over SSH, from what this operator remembers of each host
 * (in memory: a restart forgets it, and then every host is asked once).
 * <ul>
 *   <li>A host that checked out converged (as a member, or prepared and waiting to join) is not
 *       asked again until the resync is due, while neither the node's nor the Cluster's spec
 *       changed: facts cost a busy control plane seconds of CPU each time, and a waiting worker's
 *       facts take CPU from a control plane emulated on the same machine.</li>
 *   <li>A host that did not answer (no connection, or a script cut off) is not asked again before
 *       its retry time: a host too busy to answer gets room rather than one more script for every
 *       Cluster status change.</li>
 *   <li>A host whose plan failed a step that a retry may pass is not asked again before the next
 *       attempt its status names ("next attempt at …"), while neither spec changed: the status
 *       says the truth, and an event (a Cluster status write, a Secret) does not run the failing
 *       plan again early.</li>
 * </ul>
 */
final class HostGate {
  private final Clock clock;
  private final Duration resync;
  private final Map<ResourceID, Converged> converged = new ConcurrentHashMap<>();
  private final Map<ResourceID, Unanswered> unanswered = new ConcurrentHashMap<>();
  private final Map<ResourceID, Retry> retrying = new ConcurrentHashMap<>();

  /** @param waiting the host was ready but not yet a member: it waited on the rest of the cluster */
  record Converged(Instant at, long nodeGeneration, long clusterGeneration, String hostname, boolean waiting) {}

  /** @param since when the host stopped answering, as far as this operator saw it */
  record Unanswered(String uid, Instant since, Instant retryAt, long nodeGeneration, long clusterGeneration) {}

  /** A failed plan's next attempt, for this object at these specs. */
  record Retry(String uid, Instant at, long nodeGeneration, long clusterGeneration) {}

  /** A recent converged check that still holds, and how long until the resync is due. */
  record Fresh(Converged check, Duration due) {}

  HostGate(Clock clock, Duration resync) {
    this.clock = clock;
    this.resync = resync;
  }

  /**
   * The host's unanswered record if it still applies to this object and these specs (another
   * object of that name, or a changed spec: try at once, and count afresh). Taken out of the gate:
   * {@link #stillAway} or {@link #unanswered} puts it back.
   */
  Optional<Unanswered> away(HostNode node, Cluster cluster) {
    Unanswered away = unanswered.remove(ResourceID.fromResource(node));
    if (away != null && !(Objects.equals(away.uid(), node.getMetadata().getUid())
        && away.nodeGeneration() == generation(node) && away.clusterGeneration() == generation(cluster))) {
      away = null;
    }
    return Optional.ofNullable(away);
  }

  /** How long until an away host may be asked again; empty when it may be asked now. */
  Optional<Duration> stillAway(HostNode node, Unanswered away) {
    if (!away.retryAt().isAfter(clock.instant())) {
      return Optional.empty();
    }
    unanswered.put(ResourceID.fromResource(node), away);
    return Optional.of(Duration.between(clock.instant(), away.retryAt()));
  }

  /** The host did not answer again; returns when to try it next (see {@link NodeRules#unreachableRetry}). */
  Duration unanswered(HostNode node, Cluster cluster, Optional<Unanswered> before) {
    Instant now = clock.instant();
    Instant since = before.map(Unanswered::since).orElse(now);
    Duration next = NodeRules.unreachableRetry(since, now, resync);
    unanswered.put(ResourceID.fromResource(node), new Unanswered(node.getMetadata().getUid(), since, now.plus(next),
        generation(node), generation(cluster)));
    return next;
  }

  /**
   * The last converged check, when it was made in the same state ({@code joined} as then, same
   * specs) and the resync is not yet due; otherwise forgotten, and the host is to be asked.
   */
  Optional<Fresh> fresh(HostNode node, Cluster cluster, boolean joined) {
    Converged last = converged.get(ResourceID.fromResource(node));
    if (last != null && last.waiting() != joined
        && last.nodeGeneration() == generation(node) && last.clusterGeneration() == generation(cluster)) {
      Duration due = resync.minus(Duration.between(last.at(), clock.instant()));
      if (!due.isNegative() && !due.isZero()) {
        return Optional.of(new Fresh(last, due));
      }
    }
    return Optional.empty();
  }

  void forgetConverged(HostNode node) {
    converged.remove(ResourceID.fromResource(node));
  }

  /** The host checked out converged just now. */
  void converged(HostNode node, Cluster cluster, String hostname, boolean waiting) {
    converged.put(ResourceID.fromResource(node), new Converged(clock.instant(), generation(node), generation(cluster),
        hostname, waiting));
  }

  /** The plan failed a step that a retry may pass; its next attempt is {@code next} from now. */
  void failed(HostNode node, Cluster cluster, Duration next) {
    retrying.put(ResourceID.fromResource(node), new Retry(node.getMetadata().getUid(), clock.instant().plus(next),
        generation(node), generation(cluster)));
  }

  /**
   * How long until a failed plan's next attempt, while it is ahead and neither spec changed (a
   * changed spec, or another object of that name: try at once); empty when the plan may run now.
   */
  Optional<Duration> retryLater(HostNode node, Cluster cluster) {
    ResourceID id = ResourceID.fromResource(node);
    Retry retry = retrying.get(id);
    if (retry == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (retry.at().isAfter(now) && Objects.equals(retry.uid(), node.getMetadata().getUid())
        && retry.nodeGeneration() == generation(node) && retry.clusterGeneration() == generation(cluster)) {
      return Optional.of(Duration.between(now, retry.at()));
    }
    retrying.remove(id);
    return Optional.empty();
  }

  /** The node is going: nothing of it is remembered. */
  void forget(HostNode node) {
    converged.remove(ResourceID.fromResource(node));
    unanswered.remove(ResourceID.fromResource(node));
    retrying.remove(ResourceID.fromResource(node));
  }
}
