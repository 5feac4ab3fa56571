package dev.cairn.bootstrap;

import dev.cairn.ssh.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A host for step tests: answers the facts script from a mutable fact map, matches apply scripts
 * by a marker they contain, applies their effect to the facts and records what ran.
 */
public final class FakeHost implements HostShell {
  public final Map<String, String> facts = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  public final List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Rule> rules = new java.util.concurrent.CopyOnWriteArrayList<>();

  private record Rule(Predicate<String> matches, Function<Map<String, String>, ExecResult> effect) {}

  public static FakeHost convergedDebianControlPlane() {
    FakeHost h = new FakeHost();
    h.facts.putAll(Map.ofEntries(
        Map.entry("os.id", "debian"), Map.entry("os.version", "12"), Map.entry("arch", "x86_64"),
        Map.entry("uid", "0"), Map.entry("hostname", "cp1"), Map.entry("product_uuid", "uuid-cp1"),
        Map.entry("macs", "52:54:00:00:00:01"), Map.entry("cpus", "2"), Map.entry("mem_mb", "1967"),
        Map.entry("addresses", "127.0.0.1,10.0.2.15,192.168.56.30"), Map.entry("listening", "22"),
        Map.entry("cgroup", "cgroup2fs"), Map.entry("selinux", "absent"),
        Map.entry("swap.active", ""), Map.entry("swap.fstab", ""), Map.entry("swap.units", ""),
        Map.entry("module.overlay", "loaded"), Map.entry("module.br_netfilter", "loaded"),
        Map.entry("modules.persisted", "overlay,br_netfilter"),
        Map.entry("sysctl.net.bridge.bridge-nf-call-iptables", "1"),
        Map.entry("sysctl.net.bridge.bridge-nf-call-ip6tables", "1"), Map.entry("sysctl.net.ipv4.ip_forward", "1"),
        Map.entry("sysctl.persisted",
            "net.bridge.bridge-nf-call-iptables=1,net.bridge.bridge-nf-call-ip6tables=1,net.ipv4.ip_forward=1"),
        Map.entry("containerd.version", "1.6.20"), Map.entry("containerd.active", "active"),
        Map.entry("containerd.enabled", "enabled"), Map.entry("containerd.systemd_cgroup", "true"),
        Map.entry("containerd.sandbox", "registry.k8s.io/pause:3.10.1"),
        Map.entry("kubeadm.version", "v1.34.4"), Map.entry("kubelet.version", "v1.34.4"),
        Map.entry("kubectl.version", "v1.34.4"), Map.entry("kubelet.enabled", "enabled"),
        Map.entry("held", "kubeadm,kubectl,kubelet"), Map.entry("kubernetes.kubelet_conf", "absent")));
    return h;
  }

  /** A Debian host as the test image boots: swap on, nothing of Kubernetes installed. */
  public static FakeHost bareDebianControlPlane() {
    FakeHost h = convergedDebianControlPlane();
    h.facts.putAll(Map.of("swap.active", "/swapfile", "swap.fstab", "/swapfile", "swap.units", "swapfile.swap",
        "module.br_netfilter", "missing", "modules.persisted", "",
        "sysctl.net.bridge.bridge-nf-call-iptables", "missing", "sysctl.net.ipv4.ip_forward", "0",
        "sysctl.persisted", ""));
    for (String k : List.of("containerd.version", "containerd.active", "containerd.enabled", "containerd.systemd_cgroup",
        "containerd.sandbox", "kubeadm.version", "kubelet.version", "kubectl.version", "kubelet.enabled", "held")) {
      h.facts.put(k, "");
    }
    h.facts.put("sysctl.net.bridge.bridge-nf-call-ip6tables", "missing");
    h.onApply("swapoff -a", f -> f.putAll(Map.of("swap.active", "", "swap.fstab", "", "swap.units", "")));
    h.onApply("modprobe overlay", f -> f.putAll(Map.of("module.br_netfilter", "loaded",
        "modules.persisted", "overlay,br_netfilter")));
    h.onApply("/etc/sysctl.d/k8s.conf", f -> f.putAll(Map.of("sysctl.net.bridge.bridge-nf-call-iptables", "1",
        "sysctl.net.bridge.bridge-nf-call-ip6tables", "1", "sysctl.net.ipv4.ip_forward", "1", "sysctl.persisted",
        "net.bridge.bridge-nf-call-iptables=1,net.bridge.bridge-nf-call-ip6tables=1,net.ipv4.ip_forward=1")));
    h.onApply("containerd config default", f -> f.putAll(Map.of("containerd.version", "1.6.20",
        "containerd.active", "active", "containerd.enabled", "enabled", "containerd.systemd_cgroup", "true",
        "containerd.sandbox", "registry.k8s.io/pause:3.10.1")));
    h.onApply("pkg_hold kubelet kubeadm kubectl", f -> f.putAll(Map.of("kubeadm.version", "v1.34.4",
        "kubelet.version", "v1.34.4", "kubectl.version", "v1.34.4", "kubelet.enabled", "enabled",
        "held", "kubeadm,kubectl,kubelet")));
    return h;
  }

  public FakeHost onApply(String marker, java.util.function.Consumer<Map<String, String>> effect) {
    rules.add(0, new Rule(s -> s.contains(marker), f -> {
      effect.accept(f);
      return new ExecResult(0, "", "", Duration.ofMillis(5), false);
    }));
    return this;
  }

  public FakeHost failOn(String marker, int exitCode, String stderr) {
    rules.add(0, new Rule(s -> s.contains(marker), f -> new ExecResult(exitCode, "", stderr, Duration.ofMillis(5), false)));
    return this;
  }

  public List<String> applies() {
    return ran.stream().filter(s -> !s.equals(HostFacts.SCRIPT)).toList();
  }

  @Override
  public synchronized ExecResult run(String script, Duration timeout) {
    ran.add(script);
    if (script.equals(HostFacts.SCRIPT)) {
      StringBuilder out = new StringBuilder();
      facts.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
      out.append("facts.end=ok\n");
      return new ExecResult(0, out.toString(), "", Duration.ofMillis(5), false);
    }
    for (Rule rule : rules) {
      if (rule.matches().test(script)) {
        return rule.effect().apply(facts);
      }
    }
    return new ExecResult(0, "", "", Duration.ofMillis(5), false);
  }
}
