package dev.cairn.bootstrap.steps;

import static dev.cairn.ssh.Shell.quote;

import dev.cairn.api.v1alpha1.RegistrySpec;
import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.OsFamily;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * containerd installed, on the systemd cgroup driver (the seed's {@code SystemdCgroup = true}, so
 * kubelet and runtime agree) with the pause image kubeadm of this version expects, enabled and
 * running; restarted only when its config changed. The Cluster's {@code registries} become
 * {@code hosts.toml} files under {@link #CERTS_D}, which containerd reads at each pull once
 * {@code config_path} names the directory; a file Cairn wrote for a registry no longer in the
 * spec is removed, a file it did not write is left alone. The scripts are
 * {@code containerd-install.<family>.sh} and {@code containerd-configure.sh} beside this class.
 */
public final class ContainerdStep implements Step {
  static final String CERTS_D = "/etc/containerd/certs.d";
  static final String MANAGED = "# managed by cairn: spec.registries of the Cluster\n";

  @Override
  public StepId id() {
    return StepId.CONTAINERD;
  }

  @Override
  public Duration timeout() {
    return Duration.ofMinutes(10);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    if (facts.get("containerd.version").isEmpty()) {
      return Check.missing("containerd is not installed");
    }
    List<String> wrong = new ArrayList<>();
    if (!"true".equals(facts.get("containerd.systemd_cgroup"))) {
      wrong.add("SystemdCgroup is '" + facts.get("containerd.systemd_cgroup") + "', want true");
    }
    if (!plan.sandboxImage().equals(facts.get("containerd.sandbox"))) {
      wrong.add("sandbox image is '" + facts.get("containerd.sandbox") + "', want " + plan.sandboxImage());
    }
    if (!plan.registries().isEmpty()
        && !List.of(facts.get("containerd.config_path").split(":")).contains(CERTS_D)) {
      wrong.add("config_path is '" + facts.get("containerd.config_path") + "', want " + CERTS_D);
    }
    Set<String> want = plan.registries().stream().map(r -> r.host() + "=" + MembershipScripts.sha256(hostsToml(r)))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> have = new TreeSet<>(facts.list("containerd.registries"));
    if (!want.equals(have)) {
      wrong.add("registry settings differ from spec.registries");
    }
    if (!"enabled".equals(facts.get("containerd.enabled"))) {
      wrong.add("containerd is not enabled");
    }
    if (!"active".equals(facts.get("containerd.active"))) {
      wrong.add("containerd is " + facts.get("containerd.active"));
    }
    return wrong.isEmpty() ? Check.ok("containerd " + facts.get("containerd.version")) : Check.missing(String.join("; ", wrong));
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(script(facts.osFamily(), plan));
  }

  static String script(OsFamily family, NodePlan plan) {
    StepScript script = new StepScript().set("SANDBOX", plan.sandboxImage());
    if (StepScript.installs(plan)) {
      script.packageManager(family, plan).file("containerd-install", family);
    }
    script.set("CONFIG_PATH", plan.registries().isEmpty() ? "" : CERTS_D)
        .set("KEEP", String.join(" ", plan.registries().stream().map(RegistrySpec::host).toList()))
        .file("containerd-configure");
    for (RegistrySpec r : plan.registries()) {
      String dir = CERTS_D + "/" + r.host();
      script.line("install -d -m 0755 " + quote(dir));
      script.line("printf '%s' " + quote(hostsToml(r)) + " > " + quote(dir + "/hosts.toml.cairn-new")
          + " && mv -f " + quote(dir + "/hosts.toml.cairn-new") + " " + quote(dir + "/hosts.toml"));
    }
    return script.toString();
  }

  /** containerd's hosts.toml for one registry: its server, and how to reach it. */
  static String hostsToml(RegistrySpec r) {
    String scheme = r.isPlainHttp() ? "http://" : "https://";
    String server = "docker.io".equals(r.host()) ? "https://registry-1.docker.io" : scheme + r.host();
    StringBuilder t = new StringBuilder(MANAGED);
    t.append("server = \"").append(server).append("\"\n\n");
    t.append("[host.\"").append(server).append("\"]\n");
    t.append("  capabilities = [\"pull\", \"resolve\"]\n");
    if (r.isSkipTlsVerify()) {
      t.append("  skip_verify = true\n");
    }
    return t.toString();
  }
}
