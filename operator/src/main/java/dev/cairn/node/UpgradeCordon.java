package dev.cairn.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Optional;

/**
 * Cairn's mark on a Node it cordoned for an upgrade: the target version and when the drain began
 * ({@code v1.35.1@2026-12-07T01:00:00Z}), kept on the Node itself so a restarted operator knows
 * it; {@code @kept} at the end when the Node was cordoned already, by somebody else, so the
 * uncordon afterwards never undoes a cordon Cairn did not make.
 */
final class UpgradeCordon {
  static final String ANNOTATION = "cairn.dev/upgrade-drain";
  private static final String KEPT = "@kept";

  private UpgradeCordon() {}

  /** When the drain for {@code to} began: now, if this is the first look (the mark is written then). */
  static Instant mark(KubernetesClient api, String nodeName, String to, Instant now) {
    Node node = api.nodes().withName(nodeName).get();
    Optional<Instant> since = since(node);
    if (since.isPresent()) {
      return since.get();
    }
    if (node != null) {
      boolean cordonedBefore = Boolean.TRUE.equals(node.getSpec().getUnschedulable());
      api.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + to + "@" + now
              + (cordonedBefore ? KEPT : "") + "\"}}}");
    }
    return now;
  }

  /** When the drain began, from the mark, whatever version it names (an upgrade re-aimed keeps its drain). */
  static Optional<Instant> since(Node node) {
    String value = node == null || node.getMetadata().getAnnotations() == null
        ? null : node.getMetadata().getAnnotations().get(ANNOTATION);
    if (value == null || value.indexOf('@') < 0) {
      return Optional.empty();
    }
    try {
      String time = value.substring(value.indexOf('@') + 1);
      return Optional.of(Instant.parse(time.endsWith(KEPT) ? time.substring(0, time.length() - KEPT.length()) : time));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Uncordons a Node Cairn cordoned for an upgrade and drops the mark; a Node cordoned before
   * Cairn's drain only loses the mark, and a Node without one is left alone.
   */
  static void release(KubernetesClient api, String nodeName) {
    Node node = api.nodes().withName(nodeName).get();
    String value = node == null || node.getMetadata().getAnnotations() == null
        ? null : node.getMetadata().getAnnotations().get(ANNOTATION);
    if (value == null) {
      return;
    }
    api.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":null}}"
            + (value.endsWith(KEPT) ? "" : ",\"spec\":{\"unschedulable\":null}") + "}");
  }
}
