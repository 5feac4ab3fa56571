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
  private final ManagementCluster.Server server;
  private final Settings settings;
  private final KubernetesClient workload;
  private CairnOperator operator;

  private OperatorUnderTest(ManagementCluster.Server server, String prefix, Duration resync,
      KubernetesClient workload) {
    client = server.client();
    namespace = Namespaces.create(client, prefix);
    on = new Resources(client, namespace);
    this.server = server;
    this.settings = Settings.defaults().withNamespaces(Set.of(namespace)).withResync(resync);
    this.workload = workload;
    operator = newOperator();
  }

  private CairnOperator newOperator() {
    return workload == null
        ? new CairnOperator(server.newClient(), settings, registry, Clock.systemUTC()).start()
        : new CairnOperator(server.newClient(), settings, registry, Clock.systemUTC(), SshConnector.DEFAULT,
            cluster -> Optional.of(workload)).start();
  }

  /**
   * Stops this operator instance and starts a new one on the same namespace: it knows only what
   * the API servers and the hosts say, as after a crash or a rollout of the operator.
   */
  public synchronized void restart() {
    operator.close();
    operator = newOperator();
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
  public synchronized void close() {
    operator.close();
  }
}
