package dev.cairn;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Is the management cluster of the current kubeconfig reachable? Exit code 0 when it is. */
public final class ClusterProbe {
  private ClusterProbe() {}

  public static void main(String[] args) {
    System.exit(reachable(Config.autoConfigure(null)) ? 0 : 1);
  }

  static boolean reachable(Config config) {
    Config probe = new ConfigBuilder(config).withConnectionTimeout(3000).withRequestTimeout(5000)
        .withRequestRetryBackoffLimit(0).build();
    try (KubernetesClient c = new KubernetesClientBuilder().withConfig(probe).build()) {
      c.getKubernetesVersion();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
