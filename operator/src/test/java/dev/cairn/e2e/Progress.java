package dev.cairn.e2e;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.WorkerNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the e2e's log says while it waits: every few seconds, the Cairn objects' conditions that
 * are not in their good state (True, or False for Reconciling, Stalled, Deleting and Paused; with
 * reason and message), their versions, and every new Event in the namespace,
 * each printed once when it changes. A run that times out then shows where it stood, instead of
 * only "condition not fulfilled". Conditions and Events carry no secrets (Cairn redacts them
 * before they are written), so printing them is safe.
 */
final class Progress implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final long t0 = System.nanoTime();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "e2e-progress");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> seenEvents = new HashSet<>();
  private String last = "";

  private Progress(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  static Progress start(KubernetesClient client, String namespace) {
    Progress p = new Progress(client, namespace);
    p.timer.scheduleWithFixedDelay(p::report, 5, 10, TimeUnit.SECONDS);
    return p;
  }

  private synchronized void report() {
    try {
      String now = state();
      if (!now.equals(last)) {
        print("state " + now);
        last = now;
      }
      for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
        String key = e.getMetadata().getUid() + "/" + e.getCount();
        if (seenEvents.add(key)) {
          print("event " + e.getType() + " " + e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName()
              + " " + e.getReason() + ": " + e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      print("could not read progress: " + e);
    }
  }

  private String state() {
    List<String> parts = new ArrayList<>();
    for (Cluster c : client.resources(Cluster.class).inNamespace(namespace).list().getItems()) {
      String version = c.getStatus() == null ? null : c.getStatus().getKubernetesVersion();
      parts.add("Cluster/" + c.getMetadata().getName() + " gen " + c.getMetadata().getGeneration() + " at " + version
          + notTrue(c.getStatus() == null ? List.of() : c.getStatus().getConditions()));
    }
    for (Class<? extends HostNode> kind : List.of(ControlPlaneNode.class, WorkerNode.class)) {
      for (HostNode n : client.resources(kind).inNamespace(namespace).list().getItems()) {
        NodeStatus s = n.getStatus();
        parts.add(kind.getSimpleName() + "/" + n.getMetadata().getName() + (s == null ? " (no status)"
            : " at " + s.getKubernetesVersion() + (s.getUpgradingTo() == null ? "" : " upgradingTo " + s.getUpgradingTo())
                + notTrue(s.getConditions())));
      }
    }
    return String.join("\n    ", parts);
  }

  private static String notTrue(List<Condition> conditions) {
    StringBuilder b = new StringBuilder();
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      boolean abnormalTrue = Set.of("Reconciling", "Stalled", "Deleting", "Paused").contains(c.getType());
      if ("True".equals(c.getStatus()) == abnormalTrue) {
        b.append("\n      ").append(c.getType()).append('=').append(c.getStatus()).append('/').append(c.getReason())
            .append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }

  private void print(String line) {
    System.out.printf("e2e +%ds %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), line);
  }

  @Override
  public void close() {
    report();
    timer.shutdownNow();
  }
}
