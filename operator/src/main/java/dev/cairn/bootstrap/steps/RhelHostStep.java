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

/** RHEL family only: SELinux permissive (kubeadm's static pods need it) and the role's ports open in firewalld. */
public final class RhelHostStep implements Step {
  static final List<String> CONTROL_PLANE_PORTS =
      List.of("6443/tcp", "2379-2380/tcp", "10250/tcp", "10257/tcp", "10259/tcp");
  static final List<String> WORKER_PORTS = List.of("10250/tcp", "30000-32767/tcp");

  @Override
  public StepId id() {
    return StepId.SELINUX_FIREWALL;
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (facts.osFamily() != OsFamily.RHEL) {
      return Check.ok("not a RHEL-family host");
    }
    List<String> wrong = new ArrayList<>();
    if ("Enforcing".equals(facts.get("selinux"))) {
      wrong.add("SELinux is enforcing");
    }
    if ("active".equals(facts.get("firewalld.active")) && !facts.list("firewall.ports").containsAll(ports(plan))) {
      wrong.add("firewalld does not open " + String.join(" ", ports(plan)));
    }
    return Check.unless(wrong);
  }

  static List<String> ports(NodePlan plan) {
    return plan.controlPlane() ? CONTROL_PLANE_PORTS : WORKER_PORTS;
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    if (facts.osFamily() != OsFamily.RHEL) {
      return Optional.empty();
    }
    StringBuilder s = new StringBuilder("""
        set -euo pipefail
        setenforce 0 || true
        sed -i 's/^SELINUX=enforcing$/SELINUX=permissive/' /etc/selinux/config
        if systemctl is-active --quiet firewalld; then
        """);
    for (String port : ports(plan)) {
      s.append("  firewall-cmd -q --permanent --add-port=").append(port).append('\n');
    }
    s.append("  firewall-cmd -q --reload\nfi\n");
    return Optional.of(s.toString());
  }
}
