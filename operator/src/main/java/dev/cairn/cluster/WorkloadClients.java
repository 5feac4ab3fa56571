package dev.cairn.cluster;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.common.SecretData;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients for workload clusters, built from their {@code <cluster>-kubeconfig} Secret and kept
 * while the Secret is unchanged. Short timeouts: an unreachable workload API must not hold a
 * reconciler thread for long.
 */
public final class WorkloadClients implements WorkloadAccess, AutoCloseable {
  private record Cached(String resourceVersion, KubernetesClient client) {}

  private final KubernetesClient management;
  private final Map<String, Cached> clients = new ConcurrentHashMap<>();

  public WorkloadClients(KubernetesClient management) {
    this.management = management;
  }

  @Override
  public Optional<KubernetesClient> client(Cluster cluster) {
    String ns = cluster.getMetadata().getNamespace();
    Secret secret = management.secrets().inNamespace(ns).withName(AdminKubeconfig.secretName(cluster)).get();
    String key = ns + "/" + cluster.getMetadata().getName();
    if (secret == null) {
      Optional.ofNullable(clients.remove(key)).ifPresent(c -> c.client().close());
      return Optional.empty();
    }
    Cached cached = clients.get(key);
    if (cached != null && cached.resourceVersion().equals(secret.getMetadata().getResourceVersion())) {
      return Optional.of(cached.client());
    }
    Optional<String> kubeconfig = SecretData.get(secret, AdminKubeconfig.KEY);
    if (kubeconfig.isEmpty()) {
      return Optional.empty();
    }
    Config config = Config.fromKubeconfig(kubeconfig.get());
    config.setConnectionTimeout(5_000);
    config.setRequestTimeout(20_000);
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    Cached previous = clients.put(key, new Cached(secret.getMetadata().getResourceVersion(), client));
    if (previous != null) {
      previous.client().close();
    }
    return Optional.of(client);
  }

  @Override
  public void close() {
    clients.values().forEach(c -> c.client().close());
    clients.clear();
  }
}
