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
  public static final String DEFAULT_VERSION = "1.37.2";

  private final KubeAPIServer server;
  private final String kubeconfig;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private EmbeddedManagementCluster(KubeAPIServer server) {
    this.server = server;
    this.kubeconfig = server.getKubeConfigYaml();
  }

  /**
   * Starts the API server from {@code binaries}, the directory {@code scripts/build-kube-binaries.sh --dir}
   * names ({@code <root>/k8s/<version>-linux-amd64}, kube-api-test's layout); fails with
   * instructions when a binary is missing.
   */
  public static EmbeddedManagementCluster start(Path binaries, String version) {
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException("missing " + binaries.resolve(binary)
            + ": build the management-cluster binaries once with scripts/build-kube-binaries.sh"
            + " (needs the Go toolchain; takes about 6 minutes on 2 cores)");
      }
    }
    if (!binaries.getFileName().toString().equals(version + "-linux-amd64")) {
      throw new IllegalStateException(binaries + " does not hold Kubernetes " + version
          + " (kube-api-test's layout is <root>/k8s/" + version + "-linux-amd64)");
    }
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(testDir(binaries).toString())
        .withOfflineMode(true)
        .withApiServerVersion(version)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000)
        .build());
    server.start();
    return new EmbeddedManagementCluster(server);
  }

  /** kube-api-test's root for a binaries directory {@code <root>/k8s/<version>-linux-amd64}. */
  public static Path testDir(Path binaries) {
    return binaries.toAbsolutePath().getParent().getParent();
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
