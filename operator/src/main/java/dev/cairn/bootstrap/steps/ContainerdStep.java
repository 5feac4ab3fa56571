package dev.cairn.bootstrap.steps;

import static dev.cairn.ssh.Shell.quote;

import dev.cairn.api.v1alpha1.PackagesSpec;
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
 * spec is removed, a file it did not write is left alone.
 */
public final class ContainerdStep implements Step {
  static final String CONFIGURE = """
      install -d -m 0755 /etc/containerd
      before=$(sha256sum /etc/containerd/config.toml 2>/dev/null || true)
      if ! grep -qs 'SystemdCgroup' /etc/containerd/config.toml; then
        containerd config default > /etc/containerd/config.toml.cairn-new
        mv /etc/containerd/config.toml.cairn-new /etc/containerd/config.toml
      fi
      sandbox_sed=$(printf '%s' "$SANDBOX" | sed 's/[#&\\\\]/\\\\&/g')
      sed -i -E \\
        -e 's/^([[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*).*/\\1true/' \\
        -e "s#^([[:space:]]*sandbox_image[[:space:]]*=[[:space:]]*).*#\\1\\"$sandbox_sed\\"#" \\
        -e "s#^([[:space:]]*sandbox[[:space:]]*=[[:space:]]*).*#\\1'$sandbox_sed'#" \\
        /etc/containerd/config.toml
      if [ -n "$CONFIG_PATH" ]; then
        sed -i -E "s#^([[:space:]]*config_path[[:space:]]*=[[:space:]]*).*#\\1\\"$CONFIG_PATH\\"#" /etc/containerd/config.toml
      fi
      after=$(sha256sum /etc/containerd/config.toml)
      systemctl enable containerd >/dev/null 2>&1
      if [ "$before" != "$after" ] || ! systemctl is-active --quiet containerd; then
        systemctl restart containerd
      fi
      systemctl is-active --quiet containerd
      """;

  static final String CERTS_D = "/etc/containerd/certs.d";
  static final String MANAGED = "# managed by cairn: spec.registries of the Cluster\n";

  /** Removes the certs.d files Cairn wrote that $KEEP (space-separated hosts) does not name. */
  static final String PRUNE_REGISTRIES = """
      for f in /etc/containerd/certs.d/*/hosts.toml; do
        [ -f "$f" ] && grep -q '^# managed by cairn' "$f" || continue
        h=$(basename "$(dirname "$f")")
        case " $KEEP " in *" $h "*) ;; *) rm -f "$f"; rmdir "$(dirname "$f")" 2>/dev/null || true ;; esac
      done
      """;

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
    StringBuilder s = new StringBuilder("set -euo pipefail\n");
    s.append("SANDBOX=").append(quote(plan.sandboxImage())).append('\n');
    if (plan.packageSource() != PackagesSpec.Source.PREINSTALLED) {
      s.append(PackageScripts.preamble(family, plan));
      if (family == OsFamily.RHEL && plan.packageSource() == PackagesSpec.Source.UPSTREAM) {
        s.append("""
            if ! command -v containerd >/dev/null; then
              dnf -q -y install dnf-plugins-core
              dnf config-manager --add-repo https://download.docker.com/linux/centos/docker-ce.repo
              pkg_refresh
              pkg_install containerd.io
            fi
            """);
      } else {
        s.append("""
            if ! command -v containerd >/dev/null; then
              pkg_refresh
              pkg_install %s
            fi
            """.formatted(family == OsFamily.RHEL ? "containerd.io" : "containerd"));
      }
    }
    s.append("CONFIG_PATH=").append(plan.registries().isEmpty() ? "''" : quote(CERTS_D)).append('\n');
    s.append(CONFIGURE);
    s.append("KEEP=").append(quote(String.join(" ", plan.registries().stream().map(RegistrySpec::host).toList())))
        .append('\n');
    s.append(PRUNE_REGISTRIES);
    for (RegistrySpec r : plan.registries()) {
      String dir = CERTS_D + "/" + r.host();
      s.append("install -d -m 0755 ").append(quote(dir)).append('\n');
      s.append("printf '%s' ").append(quote(hostsToml(r))).append(" > ").append(quote(dir + "/hosts.toml.cairn-new"))
          .append(" && mv -f ").append(quote(dir + "/hosts.toml.cairn-new")).append(' ').append(quote(dir + "/hosts.toml"))
          .append('\n');
    }
    return s.toString();
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
