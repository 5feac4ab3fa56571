package dev.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.RegistrySpec;
import dev.cairn.bootstrap.steps.ContainerdStep;
import dev.cairn.bootstrap.steps.KernelModulesStep;
import dev.cairn.bootstrap.steps.KubernetesPackagesStep;
import dev.cairn.bootstrap.steps.RhelHostStep;
import dev.cairn.bootstrap.steps.SwapStep;
import dev.cairn.bootstrap.steps.SysctlStep;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.pki.PkiFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered scripts are golden files, so a script never changes silently; every one also passes
 * {@code bash -n}. The RHEL-family scripts cannot run on this machine's test guests (Debian), so
 * these golden files are their only test. Refresh with {@code -Dcairn.golden.update=true}.
 */
class ScriptGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<String> scripts() {
    return rendered().keySet().stream();
  }

  static Map<String, String> rendered() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("facts", HostFacts.SCRIPT);
    out.put("host-reset", HostReset.SCRIPT);
    for (OsFamily family : List.of(OsFamily.DEBIAN, OsFamily.RHEL)) {
      for (PackagesSpec.Source source : List.of(PackagesSpec.Source.UPSTREAM, PackagesSpec.Source.MIRROR)) {
        String name = family.name().toLowerCase() + "-" + source.name().toLowerCase();
        HostFacts facts = facts(family);
        NodePlan plan = plan(source, HostNode.Role.CONTROL_PLANE);
        out.put("containerd-" + name, new ContainerdStep().apply(facts, plan).orElseThrow());
        out.put("kubernetes-packages-" + name, new KubernetesPackagesStep().apply(facts, plan).orElseThrow());
        out.put("upgrade-source-" + name, new dev.cairn.bootstrap.steps.UpgradeSourceStep().apply(facts,
            plan.withUpgrade(NodePlan.Upgrade.sourceOnly(KubernetesVersion.parse("v1.34.4"),
                KubernetesVersion.parse("v1.35.1")))).orElseThrow());
      }
    }
    HostFacts debian = facts(OsFamily.DEBIAN);
    NodePlan plan = plan(PackagesSpec.Source.UPSTREAM, HostNode.Role.CONTROL_PLANE);
    out.put("swap-off", new SwapStep().apply(debian, plan).orElseThrow());
    out.put("kernel-modules", new KernelModulesStep().apply(debian, plan).orElseThrow());
    out.put("sysctl", new SysctlStep().apply(debian, plan).orElseThrow());
    out.put("selinux-firewall-control-plane", new RhelHostStep().apply(facts(OsFamily.RHEL), plan).orElseThrow());
    out.put("selinux-firewall-worker", new RhelHostStep().apply(facts(OsFamily.RHEL),
        plan(PackagesSpec.Source.UPSTREAM, HostNode.Role.WORKER)).orElseThrow());
    NodePlan init = withMembership(plan, membership(Membership.Kind.INIT, MembershipStepsTest.FILES));
    out.put("certificates", new dev.cairn.bootstrap.steps.CertificatesStep().apply(debian, init).orElseThrow());
    out.put("kubeadm-init", new dev.cairn.bootstrap.steps.KubeadmInitStep().apply(debian, init).orElseThrow());
    out.put("kubeadm-join-control-plane", new dev.cairn.bootstrap.steps.KubeadmJoinStep().apply(debian,
        withMembership(plan, membership(Membership.Kind.JOIN_CONTROL_PLANE, MembershipStepsTest.FILES))).orElseThrow());
    out.put("kubelet-start", new dev.cairn.bootstrap.steps.KubeletRunningStep().apply(debian, init).orElseThrow());
    out.put("kubeadm-join-worker", new dev.cairn.bootstrap.steps.KubeadmJoinStep().apply(debian,
        withMembership(plan(PackagesSpec.Source.UPSTREAM, HostNode.Role.WORKER),
            membership(Membership.Kind.JOIN_WORKER, List.of()))).orElseThrow());
    NodePlan.Upgrade apply = new NodePlan.Upgrade(KubernetesVersion.parse("v1.34.4"), KubernetesVersion.parse("v1.35.1"),
        true);
    out.put("kubeadm-upgrade-apply", new dev.cairn.bootstrap.steps.KubeadmUpgradeStep().apply(debian,
        init.withUpgrade(apply)).orElseThrow());
    out.put("kubeadm-upgrade-node-rhel", new dev.cairn.bootstrap.steps.KubeadmUpgradeStep().apply(facts(OsFamily.RHEL),
        plan(PackagesSpec.Source.MIRROR, HostNode.Role.WORKER).withUpgrade(
            new NodePlan.Upgrade(apply.from(), apply.to(), false))).orElseThrow());
    out.put("kubelet-upgrade", new dev.cairn.bootstrap.steps.KubeletUpgradeStep().apply(debian,
        init.withUpgrade(apply)).orElseThrow());
    out.put("certificate-renewal", new dev.cairn.bootstrap.steps.CertificateRenewalStep().apply(debian,
        init.withRenewal(new NodePlan.Renewal(java.time.Duration.ofDays(30), java.time.Duration.ofMinutes(10))))
        .orElseThrow());
    return out;
  }

  private static Membership membership(Membership.Kind kind, List<PkiFile> files) {
    return new Membership(kind, MembershipStepsTest.FP, files).withConfig("kind: " + kind + "\nadvertise: 192.168.56.30\n");
  }

  private static NodePlan withMembership(NodePlan p, Membership m) {
    return new NodePlan(p.role(), p.kubernetesVersion(), p.packageSource(), p.mirror(), p.imageRepository(),
        p.registries(), p.advertiseAddress(), p.nodeSubnet(), p.sshAddress(), p.peers(), MembershipStepsTest.FP, m);
  }

  private static NodePlan plan(PackagesSpec.Source source, HostNode.Role role) {
    // a hostile mirror value proves the quoting: it must reach the script as one inert word
    // an air-gapped site's registries: one plain HTTP, one with a certificate the hosts do not trust
    List<RegistrySpec> registries = source == PackagesSpec.Source.MIRROR
        ? List.of(new RegistrySpec("registry.example:5000", true, null), new RegistrySpec("registry.example", null, true))
        : null;
    return new NodePlan(role, KubernetesVersion.parse("v1.34.4"), source, "http://mirror.example/apt$(reboot)`id`'\"", "registry.example/k8s",
        registries, null, null, "192.168.56.30", List.of(), null, null);
  }

  private static HostFacts facts(OsFamily family) {
    String os = family == OsFamily.RHEL ? "os.id=rocky\nos.like=rhel centos fedora\n" : "os.id=debian\n";
    return HostFacts.parse(os + "facts.end=ok\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void scriptMatchesItsGoldenFileAndParses(String name) throws Exception {
    String script = rendered().get(name);
    Path golden = GOLDEN.resolve(name + ".sh");
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, script);
    }
    assertThat(golden).as("golden file for %s (refresh with -Dcairn.golden.update=true)", name).exists();
    assertThat(script).isEqualTo(Files.readString(golden));
    assertThat(bashSyntaxErrors(script)).as("bash -n %s", name).isEmpty();
    assertThat(script).doesNotContain("set -x");
  }

  private static String bashSyntaxErrors(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
    p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return p.exitValue() == 0 ? "" : out;
  }
}
