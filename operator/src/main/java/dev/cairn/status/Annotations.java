package dev.cairn.status;

import dev.cairn.api.v1alpha1.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The annotations a person sets on Cairn objects to steer them. */
public final class Annotations {
  /** Any value: stop all host work for this object. */
  public static final String PAUSED = "cairn.dev/paused";
  /** Accept the host key presented on the next connection once, replacing the recorded one. */
  public static final String ACCEPT_NEW_HOST_KEY = "cairn.dev/accept-new-host-key";
  /**
   * Any value but {@code false}: connect, gather facts and run only the read-only checks; report
   * what would change on the host, change nothing. On a Cluster it holds for all its members.
   */
  public static final String PREFLIGHT_ONLY = "cairn.dev/preflight-only";

  private Annotations() {}

  /** A Cluster is paused by its spec or by the annotation; its nodes are paused with it. */
  public static boolean paused(Cluster cluster) {
    return cluster.getSpec().isPaused() || has(cluster, PAUSED);
  }

  /** A node only checks its host, by its own annotation or its Cluster's. */
  public static boolean preflightOnly(HasMetadata node, java.util.Optional<Cluster> cluster) {
    return has(node, PREFLIGHT_ONLY) || cluster.map(c -> has(c, PREFLIGHT_ONLY)).orElse(false);
  }

  public static boolean has(HasMetadata resource, String annotation) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations != null && annotations.containsKey(annotation)
        && !"false".equalsIgnoreCase(annotations.get(annotation));
  }
}
