package dev.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.pki.PkiFile;
import dev.cairn.ssh.Redactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kubeadm init and join as steps: once, reset-and-retry, never on another cluster's host, secrets hidden. */
class MembershipStepsTest {
  static final String FP = "a".repeat(64);
  static final String OTHER = "b".repeat(64);
  static final String CA_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecretCAkey\n-----END PRIVATE KEY-----\n";
  static final String TOKEN = "abcdef.0123456789abcdef";
  static final List<PkiFile> FILES = List.of(
      new PkiFile("ca.crt", "-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----\n"),
      new PkiFile("ca.key", CA_KEY),
      new PkiFile("etcd/ca.crt", "etcd cert"), new PkiFile("etcd/ca.key", "etcd key"),
      new PkiFile("front-proxy-ca.crt", "proxy cert"), new PkiFile("front-proxy-ca.key", "proxy key"),
      new PkiFile("sa.pub", "sa pub"), new PkiFile("sa.key", "sa key"));

  private final StepRunner runner = new StepRunner(Clock.systemUTC());
  private final Redactor redactor = new Redactor().register(CA_KEY).register(TOKEN);

  static NodePlan plan(HostNode.Role role, Membership membership) {
    return new NodePlan(role, KubernetesVersion.parse("v1.34.4"), PackagesSpec.Source.UPSTREAM, null, null, null, null, "192.168.56.0/24",
        "192.168.56.30", List.of(), FP, membership);
  }

  static Membership init() {
    return new Membership(Membership.Kind.INIT, FP, FILES)
        .withConfig("kind: InitConfiguration # token " + TOKEN + " on 192.168.56.30");
  }

  /** A prepared host on which the certificates and kubeadm scripts have their effect on the facts. */
  static FakeHost preparedHost() {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    host.facts.put("kubernetes.admin_ca", "absent");
    host.facts.put("kubernetes.kubelet_ca", "absent");
    host.facts.put("kubernetes.leftovers", "");
    host.facts.put("cairn.member", "");
    FILES.forEach(f -> host.facts.put("pki." + f.path(), "absent"));
    host.onApply("pki/ca.key", f -> FILES.forEach(p -> f.put("pki." + p.path(), sha(p.content()) + ":600")));
    host.onApply("systemctl restart kubelet", f -> f.put("kubelet.active", "active"));
    host.onApply("kubeadm init --config", f -> {
      f.put("kubelet.active", "active");
      f.put("cairn.member", FP);
      f.put("kubernetes.admin_ca", FP);
      f.put("kubernetes.kubelet_ca", FP);
    });
    host.onApply("kubeadm join --config", f -> {
      f.put("kubelet.active", "active");
      f.put("cairn.member", FP);
      f.put("kubernetes.kubelet_ca", FP);
    });
    return host;
  }

  private PlanResult run(FakeHost host, NodePlan plan) throws Exception {
    return runner.run(host, Plans.forNode(plan), plan, List.of(), redactor, s -> { });
  }

  @Test
  void theFirstControlPlanePlacesTheCasThenInitialisesOnce() throws Exception {
    FakeHost host = preparedHost();
    PlanResult first = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(first.failure()).isEmpty();
    assertThat(first.applied()).containsExactly("certificates", "kubeadm-init");
    assertThat(first.steps()).extracting(StepStatus::name).startsWith("cluster-identity").endsWith("certificates", "kubeadm-init", "kubelet");
    String initScript = host.applies().get(1);
    assertThat(initScript).contains("kubeadm reset -f", "put '/etc/kubernetes/pki/ca.key'", "kubeadm init --config /etc/cairn/kubeadm.yaml",
        "> /etc/cairn/member").doesNotContain(CA_KEY, TOKEN);

    host.ran.clear();
    PlanResult again = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(again.failure()).isEmpty();
    assertThat(host.applies()).as("a member is not initialised again").isEmpty();
    assertThat(again.roundTrips()).isEqualTo(1);
  }

  @Test
  void aHalfFinishedInitOfThisClusterIsResetAndRetried() throws Exception {
    FakeHost host = preparedHost();
    host.facts.put("kubernetes.admin_ca", FP);
    host.facts.put("kubernetes.leftovers", "/etc/kubernetes/admin.conf,/etc/kubernetes/manifests/etcd.yaml");
    Step init = Plans.forNode(plan(HostNode.Role.CONTROL_PLANE, init())).stream()
        .filter(s -> s.name().equals("kubeadm-init")).findFirst().orElseThrow();
    assertThat(init.check(HostFacts.parse(render(host)), plan(HostNode.Role.CONTROL_PLANE, init())).message())
        .contains("did not finish", "etcd.yaml", "reset first");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(result.failure()).isEmpty();
    assertThat(result.applied()).contains("kubeadm-init");
  }

  @Test
  void aHostOfAnotherClusterIsRefusedBeforeAnythingTouchesIt() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane();
    host.facts.put("kubernetes.admin_ca", OTHER);
    host.facts.put("kubernetes.kubelet_ca", OTHER);
    host.facts.put("kubernetes.leftovers", "/etc/kubernetes/admin.conf");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(host.applies()).as("not even swap is touched").isEmpty();
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("cluster-identity");
      assertThat(f.needsPerson()).isTrue();
      assertThat(f.message()).contains("belongs to another cluster", "sha256:bbbbbbbbbbbb", "sha256:aaaaaaaaaaaa");
    });
  }

  @Test
  void aFailedInitKeepsItsOutputTailWithSecretsHidden() throws Exception {
    FakeHost host = preparedHost().failOn("kubeadm init --config", 1,
        "[ERROR ImagePull]: failed to pull image\nkubeadm join 10.0.0.1:6443 --token " + TOKEN + "\n" + CA_KEY);
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("kubeadm-init");
      assertThat(f.needsPerson()).as("a retry may help").isFalse();
      assertThat(f.message()).contains("exit code 1", "ImagePull").doesNotContain(TOKEN, "MIIEsecretCAkey");
    });
  }

  @Test
  void aWorkerJoinsWithoutCaMaterialAndWaitsWhenNoTokenCanBeHad() throws Exception {
    FakeHost host = preparedHost();
    Membership unavailable = new Membership(Membership.Kind.JOIN_WORKER, FP, List.of())
        .withConfigUnavailable("could not get a join token from the workload API at 10.0.0.1:6443");
    NodePlan waitingPlan = plan(HostNode.Role.WORKER, unavailable);
    HostFacts before = HostFacts.parse(render(host));
    // the config (and its token) is asked for on the host's address in the node subnet
    assertThat(Plans.needsKubeadmConfig(before, waitingPlan)).isTrue();
    assertThat(waitingPlan.advertiseAddressOn(before)).isEqualTo("192.168.56.30");
    PlanResult waiting = run(host, waitingPlan);
    assertThat(waiting.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("kubeadm-join");
      assertThat(f.needsPerson()).isFalse();
      assertThat(f.message()).contains("could not get a join token");
    });

    Membership join = new Membership(Membership.Kind.JOIN_WORKER, FP, List.of()).withConfig("kind: JoinConfiguration");
    PlanResult joined = run(host, plan(HostNode.Role.WORKER, join));
    // a member needs no config, so no token is asked for again
    assertThat(Plans.needsKubeadmConfig(HostFacts.parse(render(host)), plan(HostNode.Role.WORKER, join))).isFalse();
    assertThat(joined.failure()).isEmpty();
    assertThat(joined.steps()).extracting(StepStatus::name).doesNotContain("certificates");
    assertThat(host.applies()).last().asString().contains("kubeadm join --config /etc/cairn/kubeadm-join.yaml")
        .doesNotContain("/etc/kubernetes/pki/");
  }

  @Test
  void caFilesWithTheWrongModeOrContentArePutBack() throws Exception {
    FakeHost host = preparedHost();
    run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    host.facts.put("pki.ca.key", sha(CA_KEY) + ":644");
    host.facts.put("pki.sa.key", sha("another key") + ":600");
    Step certificates = Plans.forNode(plan(HostNode.Role.CONTROL_PLANE, init())).stream()
        .filter(s -> s.name().equals("certificates")).findFirst().orElseThrow();
    assertThat(certificates.check(HostFacts.parse(render(host)), plan(HostNode.Role.CONTROL_PLANE, init())).message())
        .contains("ca.key has mode 644, want 600", "sa.key differs from the cluster's");
    host.ran.clear();
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(result.failure()).isEmpty();
    assertThat(result.applied()).containsExactly("certificates");
  }

  @Test
  void aStoppedKubeletOnAMemberIsStartedAgainWithoutRejoining() throws Exception {
    FakeHost host = preparedHost();
    run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    host.facts.put("kubelet.active", "inactive");
    host.ran.clear();
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE, init()));
    assertThat(result.failure()).isEmpty();
    assertThat(result.applied()).containsExactly("kubelet");
    assertThat(host.applies()).noneMatch(s -> s.contains("kubeadm"));
  }

  @Test
  void membershipNamesNoSecretWhenPrinted() {
    assertThat(init().toString()).doesNotContain("MIIEsecretCAkey", TOKEN).contains("INIT", "ca.key");
    assertThat(plan(HostNode.Role.CONTROL_PLANE, init()).toString()).doesNotContain("MIIEsecretCAkey", TOKEN);
  }

  private static String render(FakeHost host) {
    StringBuilder out = new StringBuilder();
    host.facts.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
    return out.append("facts.end=ok\n").toString();
  }

  static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
