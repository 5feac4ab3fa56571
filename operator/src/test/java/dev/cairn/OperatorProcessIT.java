package dev.cairn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.testing.Artifacts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a newcomer runs it: a separate JVM with no management cluster reachable, which
 * starts its own real API server, installs the CRDs, prints a kubeconfig for kubectl, reconciles,
 * answers its probes and metrics, and shuts down cleanly on SIGTERM.
 */
class OperatorProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void withoutAReachableClusterItStartsAnEmbeddedOneAndShutsDownCleanly(@TempDir Path tmp) throws Exception {
    int health = freePort();
    int metrics = freePort();
    Path kubeconfig = tmp.resolve("embedded/kubeconfig");
    String version = System.getProperty("cairn.kube.version", dev.cairn.runtime.EmbeddedManagementCluster.DEFAULT_VERSION);
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        Main.class.getName(),
        "--health-port", String.valueOf(health), "--metrics-port", String.valueOf(metrics),
        "--embedded-kubeconfig", kubeconfig.toString(),
        "--embedded-version", version,
        "--embedded-binaries", Artifacts.kubeApiTestBinaries(version).toString(),
        "--resync", "2s");
    Path log = tmp.resolve("operator.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // nothing reachable: an empty kubeconfig and a master URL where nothing listens
    Path empty = Files.writeString(tmp.resolve("none"), "");
    builder.environment().put("KUBECONFIG", empty.toString());
    builder.environment().put("KUBERNETES_MASTER", "https://127.0.0.1:" + freePort());
    builder.environment().put("CAIRN_LEADER_ELECTION", "true");
    Process process = builder.start();
    Supplier<List<String>> output = () -> {
      try {
        return Files.readAllLines(log);
      } catch (IOException e) {
        return List.of();
      }
    };
    try {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> !process.isAlive()
          || output.get().stream().anyMatch(l -> l.contains("export KUBECONFIG=" + kubeconfig)));
      assertThat(process.isAlive()).as("operator output:%n%s", String.join("\n", output.get())).isTrue();
      assertThat(output.get()).anyMatch(l -> l.contains("no management cluster reachable"));
      assertThat(Files.getPosixFilePermissions(kubeconfig))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

      await().atMost(Duration.ofSeconds(60)).until(() -> status(health, "/readyz") == 200);
      assertThat(status(health, "/healthz")).isEqualTo(200);

      try (KubernetesClient client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build()) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("newcomer").withNamespace("default").build());
        ClusterSpec spec = new ClusterSpec();
        spec.setKubernetesVersion("v1.35.4");
        cluster.setSpec(spec);
        client.resource(cluster).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          Cluster c = client.resources(Cluster.class).inNamespace("default").withName("newcomer").get();
          return c.getStatus() != null && Long.valueOf(1).equals(c.getStatus().getObservedGeneration());
        });
        assertThat(client.leases().inNamespace("default").withName("cairn-operator").get().getSpec().getHolderIdentity())
            .as("the leader holds the Lease").isNotBlank();
      }
      HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + metrics + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.body()).contains("operator_sdk_reconciliations_success", "jvm_memory_used_bytes");

      List<ProcessHandle> children = process.descendants().toList();
      assertThat(children).as("the embedded etcd, kube-apiserver and kube-controller-manager run as children")
          .hasSizeGreaterThanOrEqualTo(3);
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops within a minute of SIGTERM; output:%n%s",
          String.join("\n", output.get())).isTrue();
      assertThat(process.exitValue()).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(output.get()).anyMatch(l -> l.contains("shutting down"));
      assertThat(output.get()).anyMatch(l -> l.contains("embedded management cluster stopped"));
      assertThat(kubeconfig).as("the embedded kubeconfig goes with its server").doesNotExist();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(children).as("embedded API server stopped with the operator").noneMatch(ProcessHandle::isAlive));
      assertThat(String.join("\n", output.get())).doesNotContain("PRIVATE KEY");
    } finally {
      process.destroyForcibly();
    }
  }

  /** A port in use (the walk found 8080 taken) is said plainly, before any management cluster is started. */
  @Test
  void aPortInUseIsNamedWithItsFlagAndNothingIsStarted(@TempDir Path tmp) throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      String version = System.getProperty("cairn.kube.version", dev.cairn.runtime.EmbeddedManagementCluster.DEFAULT_VERSION);
      Path kubeconfig = tmp.resolve("embedded/kubeconfig");
      ProcessBuilder builder = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), Main.class.getName(),
          "--embedded", "--health-port", String.valueOf(freePort()), "--metrics-port", String.valueOf(taken.getLocalPort()),
          "--embedded-kubeconfig", kubeconfig.toString(), "--embedded-version", version,
          "--embedded-binaries", Artifacts.kubeApiTestBinaries(version).toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("operator.log").toFile());
      Process process = builder.start();
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
        String output = Files.readString(tmp.resolve("operator.log"));
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("port " + taken.getLocalPort() + " for /metrics is in use", "--metrics-port")
            .doesNotContain("Exception").doesNotContain("embedded management cluster up");
        assertThat(kubeconfig).doesNotExist();
      } finally {
        process.destroyForcibly();
      }
    }
  }

  private int status(int port, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
