package dev.cairn.node;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.Taint;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Cairn keeps true on a member's Node object in the workload cluster: the spec's labels and
 * taints (and no longer the ones removed from the spec), and the control-plane taint present or
 * absent as {@code spec.controlPlane.schedulable} says. Keys Cairn set are remembered in an
 * annotation on the Node, so labels and taints of others are never touched.
 */
final class WorkloadNode {
  static final String CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane";
  static final String MANAGED_LABELS = "cairn.dev/managed-labels";
  static final String MANAGED_TAINTS = "cairn.dev/managed-taints";

  /** What the Node looks like to Cairn: ready or not, and why. */
  record Readiness(boolean ready, String reason, String message, String kubeletVersion) {}

  /**
   * What Cairn saw of a member's Node: found or not, ready or not, and why; {@code status} is
   * NodeReady's (Unknown when the workload API could not be asked).
   */
  record Seen(String nodeName, boolean found, boolean ready, String status, String reason, String message,
      String kubeletVersion) {}

  private WorkloadNode() {}

  /**
   * Reads a member's Node (named after its host) from the workload API and brings its labels and
   * taints in line with the spec.
   */
  static Seen look(Optional<KubernetesClient> client, HostNode node, String hostname, boolean schedulable) {
    String nodeName = hostname.toLowerCase(Locale.ROOT);
    if (client.isEmpty()) {
      return new Seen(nodeName, false, false, Conditions.UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the Cluster's admin kubeconfig is not available yet", null);
    }
    try {
      Node found = client.get().nodes().withName(nodeName).get();
      // the kubelet writes its Node's status every few seconds: a write that lost that race (409)
      // reads the Node again and tries again, rather than call the workload API unreachable
      for (int attempt = 1; found != null && reconcile(found, node, schedulable); attempt++) {
        try {
          client.get().nodes().resource(found).update();
          break;
        } catch (KubernetesClientException e) {
          if (e.getCode() != java.net.HttpURLConnection.HTTP_CONFLICT || attempt == 3) {
            throw e;
          }
          found = client.get().nodes().withName(nodeName).get();
        }
      }
      if (found == null) {
        return new Seen(nodeName, false, false, Conditions.FALSE, Reason.NODE_NOT_FOUND,
            "no Node " + nodeName + " in the workload cluster yet", null);
      }
      Readiness readiness = readiness(found);
      return new Seen(nodeName, true, readiness.ready(), readiness.ready() ? Conditions.TRUE : Conditions.FALSE,
          readiness.reason(), readiness.message(), readiness.kubeletVersion());
    } catch (KubernetesClientException e) {
      return new Seen(nodeName, false, false, Conditions.UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the workload API did not answer: " + e.getMessage(), null);
    }
  }

  static Readiness readiness(Node node) {
    String version = node.getStatus() == null || node.getStatus().getNodeInfo() == null
        ? null : node.getStatus().getNodeInfo().getKubeletVersion();
    Optional<NodeCondition> ready = node.getStatus() == null || node.getStatus().getConditions() == null
        ? Optional.empty()
        : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    if (ready.isEmpty()) {
      return new Readiness(false, "NodeNotReady", "the kubelet has not reported yet", version);
    }
    boolean isReady = "True".equals(ready.get().getStatus());
    String reason = ready.get().getReason() == null || ready.get().getReason().isBlank()
        ? (isReady ? "KubeletReady" : "NodeNotReady") : ready.get().getReason();
    return new Readiness(isReady, reason, ready.get().getMessage() == null ? "" : ready.get().getMessage(), version);
  }

  /**
   * Brings the Node's labels and taints in line with the spec; returns true when it changed
   * anything, so the caller writes the Node only then.
   */
  static boolean reconcile(Node node, HostNode spec, boolean controlPlaneSchedulable) {
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(node.getMetadata().getAnnotations());
    Map<String, String> labels = node.getMetadata().getLabels() == null
        ? new LinkedHashMap<>() : new LinkedHashMap<>(node.getMetadata().getLabels());
    List<io.fabric8.kubernetes.api.model.Taint> taints = node.getSpec().getTaints() == null
        ? new ArrayList<>() : new ArrayList<>(node.getSpec().getTaints());

    Map<String, String> wantLabels = spec.getSpec().getLabels() == null ? Map.of() : spec.getSpec().getLabels();
    for (String key : split(annotations.get(MANAGED_LABELS))) {
      if (!wantLabels.containsKey(key)) {
        labels.remove(key);
      }
    }
    labels.putAll(wantLabels);

    List<Taint> wantTaints = new ArrayList<>(spec.getSpec().getTaints() == null ? List.of() : spec.getSpec().getTaints());
    Set<String> wantKeys = wantTaints.stream().map(t -> t.key() + ":" + t.effect()).collect(Collectors.toSet());
    for (String managed : split(annotations.get(MANAGED_TAINTS))) {
      if (!wantKeys.contains(managed)) {
        taints.removeIf(t -> managed.equals(t.getKey() + ":" + t.getEffect()));
      }
    }
    for (Taint want : wantTaints) {
      taints.removeIf(t -> want.key().equals(t.getKey()) && want.effect().name().equals(t.getEffect()));
      taints.add(new io.fabric8.kubernetes.api.model.Taint(want.effect().name(), want.key(), null,
          want.value() == null || want.value().isEmpty() ? null : want.value()));
    }
    if (spec.role() == HostNode.Role.CONTROL_PLANE) {
      boolean has = taints.stream().anyMatch(WorkloadNode::isControlPlaneTaint);
      if (controlPlaneSchedulable) {
        taints.removeIf(WorkloadNode::isControlPlaneTaint);
      } else if (!has) {
        taints.add(new io.fabric8.kubernetes.api.model.Taint("NoSchedule", CONTROL_PLANE_TAINT, null, null));
      }
    }
    annotations.put(MANAGED_LABELS, String.join(",", new LinkedHashSet<>(wantLabels.keySet())));
    annotations.put(MANAGED_TAINTS, String.join(",", wantKeys.stream().sorted().toList()));

    boolean changed = !labels.equals(orEmpty(node.getMetadata().getLabels()))
        || !taints.equals(node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints())
        || !annotations.equals(orEmpty(node.getMetadata().getAnnotations()));
    node.getMetadata().setLabels(labels);
    node.getMetadata().setAnnotations(annotations);
    node.getSpec().setTaints(taints);
    return changed;
  }

  static boolean isControlPlaneTaint(io.fabric8.kubernetes.api.model.Taint t) {
    return CONTROL_PLANE_TAINT.equals(t.getKey()) && "NoSchedule".equals(t.getEffect());
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  private static List<String> split(String value) {
    return value == null || value.isBlank() ? List.of() : Arrays.asList(value.split(","));
  }
}
