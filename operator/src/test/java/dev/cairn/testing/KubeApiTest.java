package dev.cairn.testing;

import dev.cairn.runtime.EmbeddedManagementCluster;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tests' management API server: fabric8 kube-api-test's kube-apiserver + etcd, from the
 * binaries {@code scripts/build-kube-binaries.sh} builds (never downloaded). Missing binaries fail
 * with instructions.
 */
public final class KubeApiTest {
  private KubeApiTest() {}

  /** The Kubernetes version of the tests' API server ({@code -Dcairn.kube.version}, bare: "1.37.2"). */
  public static String version() {
    return System.getProperty("cairn.kube.version", EmbeddedManagementCluster.DEFAULT_VERSION);
  }

  /** A kube-api-test configuration for {@link #version()}, offline, its kubeconfig left alone. */
  public static KubeAPIServerConfigBuilder config() {
    String version = version();
    Path binaries = Artifacts.kubeApiTestBinaries(version);
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException("missing " + binaries.resolve(binary)
            + ": build the test API server's binaries once with scripts/build-kube-binaries.sh"
            + " (the Maven build does so before the integration tests)");
      }
    }
    // kube-api-test's root for <root>/k8s/<version>-linux-amd64
    return KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(binaries.toAbsolutePath().getParent().getParent().toString())
        .withOfflineMode(true)
        .withApiServerVersion(version)
        .withUpdateKubeConfig(false)
        .withStartupTimeout(120_000);
  }
}
