package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.CniSpec;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.ssh.TestKeys;
import dev.cairn.status.Annotations;
import dev.cairn.testing.Conflicts;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.MemberHost;
import dev.cairn.testing.NodeObjects;
import dev.cairn.testing.OperatorUnderTest;
import dev.cairn.testing.Resources;
import dev.cairn.testing.SshTestHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Preflight-only mode through the operator against the real API server, with an in-process SSH
 * host that records every command: with the annotation the host is reached and checked and
 * nothing else runs on it; the status says what would change; removing the annotation lets the
 * plan run, at once (not at the resync, which is long here).
 */
@ExtendWith(ManagementCluster.class)
class PreflightOnlyIT {
  private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  private static KubernetesClient client;
  private static KubernetesClient workload;
  private static String namespace;
  private static Resources on;
  private static OperatorUnderTest cairn;
  private static KeyPair clientKey;
  private static SshTestHost server;
  private static final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(ManagementCluster.Server s) throws Exception {
    workload = s.newClient();
    cairn = OperatorUnderTest.start(s, "preflight", Duration.ofMinutes(10), workload);
    client = cairn.client;
    namespace = cairn.namespace;
    on = cairn.on;
    clientKey = TestKeys.ed25519();
    cairn.sshKeySecret("ssh", TestKeys.openSshPrivateKey(clientKey, null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cairn != null) {
      cairn.close();
    }
    if (server != null) {
      server.close();
    }
    if (workload != null) {
      workload.close();
    }
  }

  @Test
  void aHostIsCheckedAndLeftAloneUntilTheAnnotationGoes() throws Exception {
    MemberHost cp = new MemberHost("pf-cp-" + RUN, "192.168.56.80", 80, events);
    // swap on: the one thing the plan would change on this otherwise prepared host
    cp.host.facts.putAll(Map.of("swap.active", "/swapfile", "swap.fstab", "/swapfile"));
    cp.host.onApply("swapoff -a", f -> f.putAll(Map.of("swap.active", "", "swap.fstab", "", "swap.units", "")));
    server = SshTestHost.scripted(clientKey.getPublic(), cp::run);
    client.resource(cluster("pf")).create();
    ControlPlaneNode node = NodeObjects.node(new ControlPlaneNode(), namespace, "pf-cp", "pf", "127.0.0.1",
        server.port(), "ssh");
    node.getMetadata().setAnnotations(Map.of(Annotations.PREFLIGHT_ONLY, "true"));
    client.resource(node).create();

    on.awaitCondition(ControlPlaneNode.class, "pf-cp", "Ready", "False", "PreflightOnly", Duration.ofSeconds(60));
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "Ready").getMessage()).isEqualTo("preflight only:"
        + " preflight passed; 1 step would change the host: swap-off;"
        + " remove the annotation cairn.dev/preflight-only to proceed");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "HostReachable").getStatus()).isEqualTo("True");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "PreflightPassed").getStatus()).isEqualTo("True");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "HostPrepared")).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("PreflightOnly");
      assertThat(c.getMessage()).isEqualTo("would apply: swap-off");
    });
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "Reconciling").getStatus()).isEqualTo("False");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "Stalled").getStatus()).isEqualTo("False");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "KubeadmInitialized").getReason())
        .isEqualTo("PreflightOnly");
    List<StepStatus> steps = on.get(ControlPlaneNode.class, "pf-cp").getStatus().getSteps();
    assertThat(steps).extracting(StepStatus::name).doesNotContain("certificates", "kubeadm-init");
    assertThat(steps).filteredOn(s -> s.name().equals("swap-off")).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(StepStatus.State.Pending);
      assertThat(s.message()).isEqualTo("would apply: swap active on /swapfile; swap in /etc/fstab: /swapfile");
    });
    on.awaitCondition(Cluster.class, "pf", "Ready", "False", "PreflightOnly", Duration.ofSeconds(30));
    assertThat(on.condition(Cluster.class, "pf", "Ready").getMessage()).startsWith("preflight only: pf-cp check");
    assertThat(on.condition(Cluster.class, "pf", "Reconciling").getStatus()).isEqualTo("False");

    assertThat(cp.host.ran).as("only the read-only facts script reached the host").isNotEmpty()
        .allSatisfy(script -> assertThat(script).isEqualTo(HostFacts.SCRIPT));
    assertThat(cp.files).as("no file was put on the host (no CA, no kubeadm config)").isEmpty();
    assertThat(events).isEmpty();

    Conflicts.retry(() -> client.resources(ControlPlaneNode.class).inNamespace(namespace).withName("pf-cp").edit(n -> {
      n.getMetadata().getAnnotations().remove(Annotations.PREFLIGHT_ONLY);
      return n;
    }));
    on.awaitCondition(ControlPlaneNode.class, "pf-cp", "KubeadmInitialized", "True", "Initialized",
        Duration.ofSeconds(60));
    assertThat(cp.host.ran).anyMatch(script -> script.contains("swapoff -a"));
    assertThat(events).containsExactly(cp.name + ":init");
    assertThat(on.condition(ControlPlaneNode.class, "pf-cp", "HostPrepared").getStatus()).isEqualTo("True");
  }

  private static Cluster cluster(String name) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion(MemberHost.VERSION);
    spec.getPackages().setSource(dev.cairn.api.v1alpha1.PackagesSpec.Source.PREINSTALLED);
    spec.getNetwork().getCni().setPlugin(CniSpec.Plugin.NONE);
    c.setSpec(spec);
    return c;
  }
}
