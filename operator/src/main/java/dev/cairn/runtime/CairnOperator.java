package dev.cairn.runtime;

import dev.cairn.cluster.ClusterReconciler;
import dev.cairn.cluster.WorkloadAccess;
import dev.cairn.cluster.WorkloadClients;
import dev.cairn.node.ControlPlaneNodeReconciler;
import dev.cairn.node.HostMetrics;
import dev.cairn.pki.Pki;
import dev.cairn.node.SshConnector;
import dev.cairn.node.WorkerNodeReconciler;
import dev.cairn.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator with Cairn's three reconcilers registered: what {@code Main} runs and what the
 * integration tests run in-process against a real API server.
 */
public final class CairnOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CairnOperator.class);
  private final Operator operator;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final WorkloadClients workloadClients;

  public CairnOperator(KubernetesClient client, Settings settings, MeterRegistry registry, Clock clock) {
    this(client, settings, registry, clock, SshConnector.DEFAULT);
  }

  public CairnOperator(KubernetesClient client, Settings settings, MeterRegistry registry, Clock clock,
      SshConnector connector) {
    this(client, settings, registry, clock, connector, null);
  }

  /**
   * @param workload clients for workload clusters; null: built from each Cluster's admin kubeconfig
   */
  public CairnOperator(KubernetesClient client, Settings settings, MeterRegistry registry, Clock clock,
      SshConnector connector, WorkloadAccess workload) {
    WorkloadClients own = workload == null ? new WorkloadClients(client) : null;
    this.workloadClients = own;
    WorkloadAccess access = workload == null ? own : workload;
    this.operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.concurrency())
          .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
          .withStopOnInformerErrorDuringStartup(true);
      if (settings.leaderElection()) {
        // JOSDK would System.exit() when leadership ends; from inside our shutdown hook that
        // deadlocks the JVM, so exit only when leadership is lost while still running.
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(Settings.LEASE_NAME,
            settings.leaseNamespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
            new LeaderCallbacks(() -> LOG.info("became the leader"), this::leadershipLost, id -> { }), false));
      }
    });
    Conditions conditions = new Conditions(clock);
    register(new ClusterReconciler(conditions, settings.resync(), new Pki(clock), clock, access), settings);
    HostMetrics metrics = new HostMetrics(registry);
    register(new ControlPlaneNodeReconciler(conditions, settings.resync(), connector, clock, metrics, access),
        settings);
    register(new WorkerNodeReconciler(conditions, settings.resync(), connector, clock, metrics, access), settings);
  }

  private void leadershipLost() {
    if (stopping.get()) {
      return;
    }
    LOG.error("lost the leader Lease while running; exiting so that a fresh process can compete again");
    new Thread(() -> System.exit(1), "cairn-exit").start();
  }

  private <R extends HasMetadata> void register(Reconciler<R> reconciler, Settings settings) {
    Consumer<ControllerConfigurationOverrider<R>> override = c -> {
      c.withReconciliationMaxInterval(settings.resync());
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    };
    operator.register(reconciler, override);
  }

  public CairnOperator start() {
    operator.start();
    return this;
  }

  /** Started, and every informer connected and synced: safe to receive traffic. */
  public boolean isReady() {
    return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    stopping.set(true);
    operator.stop();
    if (workloadClients != null) {
      workloadClients.close();
    }
  }
}
