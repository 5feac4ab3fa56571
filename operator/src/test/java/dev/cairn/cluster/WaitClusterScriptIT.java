package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.runtime.EmbeddedManagementCluster;
import dev.cairn.testing.Artifacts;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's {@code scripts/wait-cluster.sh}, run with the real kubectl against the real API
 * server: it stops as soon as a Cluster is Stalled, saying why, and returns 0 once it is Ready.
 * No operator runs here; the test writes the Cluster's status as Cairn would.
 */
@ExtendWith(ManagementCluster.class)
class WaitClusterScriptIT {
  private static KubernetesClient client;
  private static String namespace;
  private static Path kubeconfig;

  @BeforeAll
  static void setUp(ManagementCluster.Server server) throws Exception {
    client = server.client();
    namespace = Namespaces.create(client, "wait");
    kubeconfig = Files.createTempFile("wait-cluster-kubeconfig", ".yaml");
    Files.writeString(kubeconfig, server.kubeconfig());
  }

  @AfterAll
  static void tearDown() throws Exception {
    Files.deleteIfExists(kubeconfig);
  }

  @Test
  void aStalledClusterEndsTheWaitAtOnceWithItsReason() throws Exception {
    status(create("stalled"), "False", "True", "AuthenticationFailed",
        "cp1: AuthenticationFailed: the host refused the key in Secret demo-ssh");

    Run run = waitFor("stalled", "10m");

    assertThat(run.exit).as(run.output).isEqualTo(1);
    assertThat(run.took).isLessThan(Duration.ofSeconds(15));
    assertThat(run.output).contains("cluster/stalled is Stalled: AuthenticationFailed: cp1: AuthenticationFailed: "
        + "the host refused the key in Secret demo-ssh");
  }

  @Test
  void aClusterThatStallsWhileWaitedOnEndsTheWaitToo() throws Exception {
    Cluster cluster = status(create("later"), "False", "False", "NotStalled", "");
    Process p = start("later", "10m");
    // let both kubectl waits begin watching before the status changes
    assertThat(p.waitFor(2, TimeUnit.SECONDS)).as("the script returned before the Cluster was Stalled").isFalse();
    long start = System.nanoTime();
    status(client.resource(cluster).get(), "False", "True", "SecretNotFound", "w1: SecretNotFound: demo-ssh");
    Run run = finish(p, start);

    assertThat(run.exit).as(run.output).isEqualTo(1);
    assertThat(run.took).isLessThan(Duration.ofSeconds(15));
    assertThat(run.output).contains("cluster/later is Stalled: SecretNotFound: w1: SecretNotFound: demo-ssh");
  }

  @Test
  void aReadyClusterEndsTheWaitWithZero() throws Exception {
    status(create("ready"), "True", "False", "NotStalled", "");

    Run run = waitFor("ready", "10m");

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.took).isLessThan(Duration.ofSeconds(15));
    assertThat(run.output).contains("cluster/ready is Ready");
  }

  @Test
  void aClusterStillConvergingRunsIntoTheTimeoutAndSaysWhereItStands() throws Exception {
    status(create("slow"), "False", "False", "NotStalled", "");

    Run run = waitFor("slow", "2s");

    assertThat(run.exit).as(run.output).isEqualTo(2);
    assertThat(run.output).contains("cluster/slow is not Ready after 2s: NotInitialized: control planes 0/1 Ready");
  }

  @Test
  void noSuchClusterIsNotReady() throws Exception {
    Run run = waitFor("nothing", "10m");

    assertThat(run.exit).as(run.output).isEqualTo(2);
    assertThat(run.took).isLessThan(Duration.ofSeconds(15));
  }

  private static Cluster create(String name) {
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.35.4");
    c.setSpec(spec);
    return client.resource(c).create();
  }

  /** Ready and Stalled as Cairn writes them, for the Cluster's current generation. */
  private static Cluster status(Cluster cluster, String ready, String stalled, String reason, String message) {
    long generation = cluster.getMetadata().getGeneration();
    boolean isReady = "True".equals(ready);
    ClusterStatus status = new ClusterStatus();
    status.setObservedGeneration(generation);
    status.getConditions().add(condition("Ready", ready, isReady ? "Available"
        : "True".equals(stalled) ? reason : "NotInitialized",
        isReady ? "" : "True".equals(stalled) ? "Stalled: " + message
            : "control planes 0/1 Ready, workers 0/0 Ready; furthest behind: cp1 (HostReachable: NotYetReported)",
        generation));
    status.getConditions().add(condition("Stalled", stalled, reason, message, generation));
    cluster.setStatus(status);
    return client.resource(cluster).updateStatus();
  }

  private static Condition condition(String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime("2026-12-07T10:00:00Z").build();
  }

  private record Run(int exit, String output, Duration took) {}

  private static Run waitFor(String name, String timeout) throws Exception {
    long start = System.nanoTime();
    return finish(start(name, timeout), start);
  }

  /** The script as the README shows it, with the test binaries' kubectl and this test's namespace. */
  private static Process start(String name, String timeout) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", Artifacts.ROOT.resolve("scripts/wait-cluster.sh").toString(),
        name, timeout, "-n", namespace, "--kubeconfig", kubeconfig.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECTL", Artifacts.kubeApiTestBinaries(
        System.getProperty("cairn.kube.version", EmbeddedManagementCluster.DEFAULT_VERSION)).resolve("kubectl").toString());
    return pb.start();
  }

  /**
   * Waits for the script to end and its output to close: a kubectl left running behind the
   * script holds the pipe open, and fails the test rather than pass unseen.
   */
  private static Run finish(Process p, long start) throws Exception {
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      String output = out.get(60, TimeUnit.SECONDS);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("wait-cluster.sh still running: %s", output).isTrue();
      return new Run(p.exitValue(), output, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
  }
}
