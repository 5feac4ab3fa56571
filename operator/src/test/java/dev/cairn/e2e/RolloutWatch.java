package dev.cairn.e2e;

import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches a version rollout from the workload cluster's side, sampling every few seconds what a
 * person would look at: the API server's version ({@code /version}) and each Node's kubelet
 * version, schedulability and readiness. It records, per node, when the rollout reached it
 * (Cairn's {@code status.upgradingTo}), when it was cordoned, when its kubelet reported the target
 * and when it was Ready and schedulable again; and every breach of kubeadm's rules it saw: a
 * kubelet newer than the API server, or a worker's kubelet at the target while a control plane's
 * was not. Samples the API server could not answer (it restarts during the upgrade) are counted,
 * not judged.
 */
final class RolloutWatch implements AutoCloseable {
  private static final Duration EVERY = Duration.ofSeconds(3);

  private final KubernetesClient workload;
  private final KubernetesVersion target;
  private final Function<String, String> upgradingTo;
  private final long start = System.nanoTime();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rollout-watch");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Map<String, Long>> timeline = new ConcurrentHashMap<>();
  private final List<String> violations = new ArrayList<>();
  private int samples;
  private int unanswered;

  /**
   * @param upgradingTo a Node's name to the version Cairn says it is upgrading to ("" if none)
   */
  RolloutWatch(KubernetesClient workload, KubernetesVersion target, Function<String, String> upgradingTo) {
    this.workload = workload;
    this.target = target;
    this.upgradingTo = upgradingTo;
    sampler.scheduleWithFixedDelay(this::sample, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sample() {
    long at = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    List<Node> nodes;
    KubernetesVersion api;
    try {
      api = KubernetesVersion.parse(workload.getKubernetesVersion().getGitVersion());
      nodes = workload.nodes().list().getItems();
    } catch (RuntimeException e) {
      synchronized (this) {
        samples++;
        unanswered++;
      }
      return;
    }
    boolean controlPlanesDone = true;
    List<String> workersAtTarget = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (Node n : nodes) {
      String name = n.getMetadata().getName();
      KubernetesVersion kubelet = KubernetesVersion.parse(n.getStatus().getNodeInfo().getKubeletVersion());
      boolean controlPlane = n.getMetadata().getLabels().containsKey("node-role.kubernetes.io/control-plane");
      boolean cordoned = Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      boolean ready = n.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      Map<String, Long> events = timeline.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
      try {
        if (target.toString().equals(upgradingTo.apply(name))) {
          events.putIfAbsent("started", at);
        }
      } catch (RuntimeException e) {
        // the management cluster's answer is only for the timeline
      }
      if (cordoned) {
        events.putIfAbsent("cordoned", at);
      }
      if (kubelet.equals(target)) {
        events.putIfAbsent("kubeletAtTarget", at);
        if (ready && !cordoned) {
          events.putIfAbsent("readyAtTarget", at);
        }
      }
      if (kubelet.compareTo(api) > 0) {
        found.add(at + " s: " + name + "'s kubelet " + kubelet + " is newer than the API server " + api);
      }
      if (controlPlane && !kubelet.equals(target)) {
        controlPlanesDone = false;
      }
      if (!controlPlane && kubelet.equals(target)) {
        workersAtTarget.add(name);
      }
    }
    if (!controlPlanesDone && !workersAtTarget.isEmpty()) {
      found.add(at + " s: worker " + workersAtTarget + " at " + target + " before every control plane");
    }
    synchronized (this) {
      samples++;
      violations.addAll(found);
    }
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** Per node, seconds from the start of the watch to each event, in the order they happen. */
  Map<String, Map<String, Long>> timeline() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    new java.util.TreeMap<>(timeline).forEach((node, events) -> {
      Map<String, Long> ordered = new LinkedHashMap<>();
      for (String e : List.of("started", "cordoned", "kubeletAtTarget", "readyAtTarget")) {
        if (events.containsKey(e)) {
          ordered.put(e, events.get(e));
        }
      }
      out.put(node, ordered);
    });
    return out;
  }

  synchronized Map<String, Object> summary() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("sampleEverySeconds", EVERY.toSeconds());
    s.put("samples", samples);
    s.put("samplesTheApiServerDidNotAnswer", unanswered);
    s.put("nodes", timeline());
    s.put("violations", List.copyOf(violations));
    return s;
  }

  /**
   * Stops the periodic sampling and samples the state the rollout ended in: the last step (the
   * uncordon, then Cairn's record) can fall between two samples and the caller's wait.
   */
  void finish() {
    close();
    // once a second, up to a minute, until every Node was seen Ready and schedulable at the target
    // (a Node's Ready can flap for a moment after its kubelet's restart); the caller's assertions
    // then say what is still missing
    try {
      org.awaitility.Awaitility.await("the last samples").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1)).until(() -> {
            sample();
            return !timeline.isEmpty() && timeline.values().stream().allMatch(e -> e.containsKey("readyAtTarget"));
          });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported by the caller's assertions on the timeline
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    try {
      sampler.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
