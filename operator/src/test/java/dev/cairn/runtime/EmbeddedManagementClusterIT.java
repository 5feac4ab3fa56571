package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cairn.testing.Artifacts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;

/**
 * The embedded management cluster a newcomer runs: reachable from this machine only, etcd only
 * with a client certificate, and a controller-manager, so it behaves like the management clusters
 * Cairn is meant for (namespaces delete, owned objects are garbage-collected).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a hang fails here instead of holding the whole verify
class EmbeddedManagementClusterIT {
  private static EmbeddedManagementCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    String version = System.getProperty("cairn.kube.version", EmbeddedManagementCluster.DEFAULT_VERSION);
    cluster = EmbeddedManagementCluster.start(Artifacts.kubeApiTestBinaries(version), version);
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(cluster.kubeconfig())).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void nothingOfItListensBeyondLoopback() throws IOException {
    Map<String, String> listening = listeningSockets(); // socket inode → local address
    List<String> mine = new ArrayList<>();
    for (ProcessHandle p : cluster.processes()) {
      for (String inode : socketInodes(p.pid())) {
        if (listening.containsKey(inode)) {
          mine.add(p.info().command().orElse("?") + " " + listening.get(inode));
        }
      }
    }
    assertThat(mine).as("etcd's client and peer ports and the API server's port are listening").hasSizeGreaterThanOrEqualTo(3);
    assertThat(mine).as("every listening socket of the embedded cluster").allMatch(s -> s.endsWith(" loopback"));
  }

  @Test
  void etcdAnswersOnlyClientsWithACertificateOfItsCa() throws Exception {
    URI etcd = URI.create("https://127.0.0.1:" + cluster.etcdPort() + "/version");
    String plain;
    try {
      plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.etcdPort() + "/version"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException refused) {
      plain = refused.toString();
    }
    assertThat(plain).as("plain HTTP gets no etcd answer").doesNotContain("etcdserver");
    SSLContext trustingAnyServer = SSLContext.getInstance("TLS");
    trustingAnyServer.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    HttpClient noCertificate = HttpClient.newBuilder().sslContext(trustingAnyServer)
        .connectTimeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(() -> noCertificate.send(HttpRequest.newBuilder(etcd).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()))
        .as("TLS without a client certificate is refused").isInstanceOf(IOException.class);
  }

  @Test
  void aDeletedNamespaceGoesAway() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build()).create();
    client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata().withName("inside")
        .endMetadata().addToData("k", "v").build()).create();
    client.namespaces().withName("doomed").delete();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> client.namespaces().withName("doomed").get() == null);
  }

  @Test
  void anOwnedSecretIsCollectedWithItsOwner() {
    ConfigMap owner = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("owner").endMetadata().build()).create();
    client.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("owned")
        .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner")
        .withUid(owner.getMetadata().getUid()).endOwnerReference().endMetadata()
        .addToStringData("k", "v").build()).create();
    client.configMaps().inNamespace("default").withName("owner").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> client.secrets().inNamespace("default").withName("owned").get() == null);
  }

  @Test
  void stoppingEndsEveryProcessAndRemovesItsData() {
    String version = System.getProperty("cairn.kube.version", EmbeddedManagementCluster.DEFAULT_VERSION);
    EmbeddedManagementCluster other = EmbeddedManagementCluster.start(Artifacts.kubeApiTestBinaries(version), version);
    Path dir = other.directory();
    List<ProcessHandle> processes = other.processes();
    assertThat(processes).hasSize(3).allMatch(ProcessHandle::isAlive);
    other.close();
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(dir).doesNotExist();
  }

  /** LISTEN sockets of /proc/net/tcp and tcp6: inode → "host:port loopback" or "host:port NOT loopback". */
  private static Map<String, String> listeningSockets() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (!"0A".equals(f[3])) {
          continue;
        }
        String address = f[1].substring(0, f[1].indexOf(':'));
        boolean loopback = address.length() == 8 ? address.endsWith("7F") // 127.x.x.x, bytes reversed
            : address.equals("00000000000000000000000001000000") // ::1
                || address.startsWith("0000000000000000FFFF0000") && address.endsWith("7F"); // ::ffff:127.x
        out.put(f[9], f[1] + (loopback ? " loopback" : " NOT loopback"));
      }
    }
    return out;
  }

  private static Set<String> socketInodes(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException gone) {
          // closed meanwhile
        }
      }
    }
    return inodes;
  }
}
