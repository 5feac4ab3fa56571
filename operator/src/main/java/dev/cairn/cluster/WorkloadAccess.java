package dev.cairn.cluster;

import dev.cairn.api.v1alpha1.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** A client for a Cluster's workload API, when its admin kubeconfig exists. A seam for tests. */
@FunctionalInterface
public interface WorkloadAccess {
  Optional<KubernetesClient> client(Cluster cluster);
}
