package dev.cairn.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Optional;

/**
 * Cairn's mark on a Node it cordoned for an upgrade: the target version and when the drain began,
 * kept on the Node itself so a restarted operator knows it, and so the uncordon afterwards never
 * undoes a cordon somebody else made.
 */
final class UpgradeCordon {
  static final String ANNOTATION = "cairn.dev/upgrade-drain";

  private UpgradeCordon() {}

  /** When the drain for {@code to} began: now, if this is the first look (the mark is written then). */
  static Instant mark(KubernetesClient api, String nodeName, String to, Instant now) {
    Node node = api.nodes().withName(nodeName).get();
    Optional<Instant> since = since(node, to);
    if (since.isPresent()) {
      return since.get();
    }
    if (node != null) {
      api.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
          "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + to + "@" + now + "\"}}}");
    }
    return now;
  }

  static Optional<Instant> since(Node node, String to) {
    String value = node == null || node.getMetadata().getAnnotations() == null
        ? null : node.getMetadata().getAnnotations().get(ANNOTATION);
    if (value == null || !value.startsWith(to + "@")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.substring(to.length() + 1)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Uncordons a Node Cairn cordoned for an upgrade and drops the mark; a Node without it is left alone. */
  static void release(KubernetesClient api, String nodeName) {
    Node node = api.nodes().withName(nodeName).get();
    if (node == null || node.getMetadata().getAnnotations() == null
        || !node.getMetadata().getAnnotations().containsKey(ANNOTATION)) {
      return;
    }
    api.nodes().withName(nodeName).patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":null}},\"spec\":{\"unschedulable\":null}}");
  }
}
