package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.StepId;
import java.util.ArrayList;
import java.util.List;

/** Bridged traffic seen by iptables and IPv4 forwarding, set now and persisted. */
public final class SysctlStep extends FixedScriptStep {
  static final List<String> KEYS =
      List.of("net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables", "net.ipv4.ip_forward");
  static final String SCRIPT = """
      set -euo pipefail
      install -d -m 0755 /etc/sysctl.d
      cat > /etc/sysctl.d/k8s.conf <<'CONF'
      net.bridge.bridge-nf-call-iptables = 1
      net.bridge.bridge-nf-call-ip6tables = 1
      net.ipv4.ip_forward = 1
      CONF
      modprobe br_netfilter
      sysctl -q -p /etc/sysctl.d/k8s.conf
      """;

  public SysctlStep() {
    super(StepId.SYSCTL, SCRIPT);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> wrong = new ArrayList<>();
    for (String key : KEYS) {
      if (!"1".equals(facts.get("sysctl." + key))) {
        wrong.add(key + " = " + facts.get("sysctl." + key));
      }
      if (!facts.list("sysctl.persisted").contains(key + "=1")) {
        wrong.add(key + " not persisted");
      }
    }
    return Check.unless(wrong);
  }
}
