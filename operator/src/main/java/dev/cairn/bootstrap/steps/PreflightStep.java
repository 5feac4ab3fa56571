package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.OsFamily;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kubeadm's preflight, asked before anything changes on the host and reported per item: what
 * fails here needs a person (a bigger VM, a freed port, a cloned VM's identity), so there is no
 * apply. Runtime state and cgroup driver are reported, not blocking: later steps set them.
 */
public final class PreflightStep implements Step {
  static final List<Integer> CONTROL_PLANE_PORTS = List.of(6443, 2379, 2380, 10250, 10257, 10259);
  static final List<Integer> WORKER_PORTS = List.of(10250);

  @Override
  public StepId id() {
    return StepId.PREFLIGHT;
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> failed = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!facts.isRoot()) {
      failed.add("commands do not run as root (uid " + facts.get("uid") + ")");
    }
    if (facts.osFamily() == OsFamily.UNSUPPORTED) {
      failed.add("unsupported OS " + facts.get("os.id") + " (Debian/Ubuntu or RHEL family)");
    }
    if (!List.of("x86_64", "aarch64").contains(facts.get("arch"))) {
      failed.add("unsupported architecture " + facts.get("arch"));
    }
    if (plan.controlPlane()) {
      if (facts.integer("cpus") < 2) {
        failed.add("cpus " + facts.integer("cpus") + " < 2");
      }
      if (facts.integer("mem_mb") < 1700) {
        failed.add("memory " + facts.integer("mem_mb") + " MB < 1700 MB");
      }
    }
    for (NodePlan.Identity peer : plan.peers()) {
      if (!facts.get("hostname").isEmpty() && facts.get("hostname").equals(peer.hostname())) {
        failed.add("hostname " + facts.get("hostname") + " also used by " + peer.node());
      }
      if (!facts.get("product_uuid").isEmpty() && facts.get("product_uuid").equalsIgnoreCase(peer.productUuid())) {
        failed.add("product_uuid also used by " + peer.node() + " (a cloned VM?)");
      }
      for (String mac : facts.list("macs")) {
        if (peer.macs().contains(mac)) {
          failed.add("MAC " + mac + " also used by " + peer.node());
        }
      }
    }
    // kubeadm's own leftovers hold these ports; kubeadm init or join resets them first
    boolean kubeadmRan = "present".equals(facts.get("kubernetes.kubelet_conf"))
        || !facts.list("kubernetes.leftovers").isEmpty();
    if (!kubeadmRan) {
      List<String> busy = busyPorts(facts, plan);
      if (!busy.isEmpty()) {
        failed.add("ports in use: " + String.join(", ", busy));
      }
    }
    String advertise = plan.advertiseAddressOn(facts);
    if (advertise.isEmpty()) {
      failed.add("no address of the host is inside nodeSubnet " + plan.nodeSubnet() + " (have "
          + String.join(", ", facts.list("addresses")) + ")");
    } else if (!facts.list("addresses").contains(advertise)) {
      failed.add("advertise address " + advertise + " is on no interface of the host (have "
          + String.join(", ", facts.list("addresses")) + ")");
    }
    if (!facts.get("containerd.version").isEmpty() && !"active".equals(facts.get("containerd.active"))) {
      notes.add("containerd installed but " + facts.get("containerd.active"));
    }
    if (!facts.get("containerd.systemd_cgroup").isEmpty() && !"true".equals(facts.get("containerd.systemd_cgroup"))) {
      notes.add("containerd uses the cgroupfs driver; will switch to systemd");
    }
    if (failed.isEmpty()) {
      return Check.ok(String.join("; ", notes));
    }
    return Check.missing("failed: " + String.join("; ", failed));
  }

  private static List<String> busyPorts(HostFacts facts, NodePlan plan) {
    List<String> busy = new ArrayList<>();
    List<Integer> listening = facts.list("listening").stream().map(Integer::parseInt).toList();
    for (int port : plan.controlPlane() ? CONTROL_PLANE_PORTS : WORKER_PORTS) {
      if (listening.contains(port)) {
        busy.add(String.valueOf(port));
      }
    }
    if (!plan.controlPlane()) {
      listening.stream().filter(p -> p >= 30000 && p <= 32767).map(p -> p + " (NodePort range)").forEach(busy::add);
    }
    return busy;
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.empty();
  }
}
