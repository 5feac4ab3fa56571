package dev.cairn.testing;

import dev.cairn.node.SshConnector;
import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Settings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cairn as an integration test runs it: in-process, as in production, against the shared real
 * API server, watching one fresh namespace of the test's. The test's objects are at {@link #on}.
 */
public final class OperatorUnderTest implements AutoCloseable {
  /** The test's own client of the management API server. */
  public final KubernetesClient client;
  public final String namespace;
  public final Resources on;
  /** The operator's metrics, for tests that count SSH round trips, applies or reconciles. */
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CairnOperator operator;

  private OperatorUnderTest(ManagementCluster.Server server, String prefix, Duration resync,
      KubernetesClient workload) {
    client = server.client();
    namespace = Namespaces.create(client, prefix);
    on = new Resources(client, namespace);
    Settings settings = Settings.defaults().withNamespaces(Set.of(namespace)).withResync(resync);
    operator = workload == null
        ? new CairnOperator(server.newClient(), settings, registry, Clock.systemUTC()).start()
        : new CairnOperator(server.newClient(), settings, registry, Clock.systemUTC(), SshConnector.DEFAULT,
            cluster -> Optional.of(workload)).start();
  }

  /** Cairn reaching workload clusters through their admin kubeconfig Secrets, as in production. */
  public static OperatorUnderTest start(ManagementCluster.Server server, String prefix, Duration resync) {
    return new OperatorUnderTest(server, prefix, resync, null);
  }

  /** Cairn taking {@code workload} for every workload cluster (the same API server, say, the test playing kubelets). */
  public static OperatorUnderTest start(ManagementCluster.Server server, String prefix, Duration resync,
      KubernetesClient workload) {
    return new OperatorUnderTest(server, prefix, resync, workload);
  }

  /** The Secret that nodes name in {@code spec.host.sshKeySecretRef}. */
  public void sshKeySecret(String name, String privateKey) {
    client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withStringData(Map.of("ssh-privatekey", privateKey)).build()).create();
  }

  @Override
  public void close() {
    operator.close();
  }
}
