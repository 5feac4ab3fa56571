package dev.cairn.runtime;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real kube-apiserver and etcd started on this machine: the management cluster for a newcomer
 * with nothing installed, and the one the integration tests use. The binaries come from
 * {@code scripts/build-kube-binaries.sh}; nothing is downloaded.
 */
public final class EmbeddedManagementCluster implements AutoCloseable {
  /** The Kubernetes version the build script builds by default and the tests expect. */
  public static final String DEFAULT_VERSION = "1.34.4";

  private final KubeAPIServer server;
  private final String kubeconfig;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private EmbeddedManagementCluster(KubeAPIServer server) {
    this.server = server;
    this.kubeconfig = server.getKubeConfigYaml();
  }

  /** Where kube-api-test looks for the binaries of a version. */
  public static Path binaryDir(String version) {
    String root = System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        Path.of(System.getProperty("user.home"), ".kubeapitest").toString());
    return Path.of(root, "k8s", version + "-linux-amd64");
  }

  /** Starts the API server; fails with instructions when the binaries are missing. */
  public static EmbeddedManagementCluster start(String version) {
    Path dir = binaryDir(version);
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        throw new IllegalStateException("missing " + dir.resolve(binary)
            + ": build the management-cluster binaries once with scripts/build-kube-binaries.sh"
            + " (needs the Go toolchain; takes about 6 minutes on 2 cores)");
      }
    }
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true)
        .withApiServerVersion(version)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .build());
    server.start();
    return new EmbeddedManagementCluster(server);
  }

  public String kubeconfig() {
    return kubeconfig;
  }

  /** Writes the admin kubeconfig with mode 0600 so {@code kubectl} can be pointed at it. */
  public Path writeKubeconfig(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.deleteIfExists(path);
    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(path, kubeconfig);
    return path;
  }

  /** Stops the API server and etcd; safe to call more than once. */
  @Override
  public void close() {
    if (stopped.compareAndSet(false, true)) {
      server.stop();
    }
  }
}
