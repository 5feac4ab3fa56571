package dev.cairn;

import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Crds;
import dev.cairn.runtime.EmbeddedManagementCluster;
import dev.cairn.runtime.HttpEndpoints;
import dev.cairn.runtime.Settings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Wiring only: client, operator, health and metrics endpoints, shutdown. */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Builds and keeps kubeadm clusters on existing VMs over SSH.")
public final class Main implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--embedded", description = "Start a local management cluster (etcd, kube-apiserver and"
      + " kube-controller-manager built by scripts/build-kube-binaries.sh, on 127.0.0.1 only), install the CRDs"
      + " there and print its kubeconfig; it starts empty and is removed on exit.")
  boolean embedded;

  @Option(names = "--install-crds", description = "Create or update Cairn's CRDs before starting (env CAIRN_INSTALL_CRDS).",
      defaultValue = "${env:CAIRN_INSTALL_CRDS:-false}")
  boolean installCrds;

  @Option(names = "--namespaces", split = ",", description = "Namespaces to watch, comma-separated; default all"
      + " (env CAIRN_NAMESPACES).", defaultValue = "${env:CAIRN_NAMESPACES:-}")
  String[] namespaces;

  @Option(names = "--concurrency", description = "Reconciliations at once (env CAIRN_CONCURRENCY, default ${DEFAULT-VALUE}).",
      defaultValue = "${env:CAIRN_CONCURRENCY:-10}")
  int concurrency;

  @Option(names = "--resync", description = "How often converged objects are checked again, ISO-8601 or e.g. 5m"
      + " (env CAIRN_RESYNC, default ${DEFAULT-VALUE}).", defaultValue = "${env:CAIRN_RESYNC:-5m}")
  String resync;

  @Option(names = "--leader-election", negatable = true, description = "Elect a leader on a Lease before reconciling"
      + " (env CAIRN_LEADER_ELECTION, default ${DEFAULT-VALUE}).", defaultValue = "${env:CAIRN_LEADER_ELECTION:-true}",
      fallbackValue = "true")
  boolean leaderElection;

  @Option(names = "--lease-namespace", description = "Namespace of the leader-election Lease (env POD_NAMESPACE,"
      + " default ${DEFAULT-VALUE}).", defaultValue = "${env:POD_NAMESPACE:-default}")
  String leaseNamespace;

  @Option(names = "--health-port", description = "Port of /healthz and /readyz, -1 to disable (default ${DEFAULT-VALUE}).",
      defaultValue = "${env:CAIRN_HEALTH_PORT:-8081}")
  int healthPort;

  @Option(names = "--metrics-port", description = "Port of the Prometheus /metrics, -1 to disable (default ${DEFAULT-VALUE}).",
      defaultValue = "${env:CAIRN_METRICS_PORT:-8080}")
  int metricsPort;

  @Option(names = "--embedded-kubeconfig", description = "Where to write the embedded API server's kubeconfig"
      + " (default $CAIRN_CACHE/embedded/kubeconfig, CAIRN_CACHE defaulting to ~/.cache/cairn).")
  Path embeddedKubeconfig = cacheRoot(System.getenv()).resolve("embedded").resolve("kubeconfig");

  @Option(names = "--embedded-binaries", description = "etcd, kube-apiserver, kube-controller-manager and kubectl of the embedded cluster:"
      + " the directory `scripts/build-kube-binaries.sh --dir` prints (env CAIRN_EMBEDDED_BINARIES; scripts/run.sh"
      + " sets it).", defaultValue = "${env:CAIRN_EMBEDDED_BINARIES}")
  Path embeddedBinaries;

  @Option(names = "--embedded-version", description = "Kubernetes version of the embedded API server (default ${DEFAULT-VALUE}).",
      defaultValue = EmbeddedManagementCluster.DEFAULT_VERSION)
  String embeddedVersion;

  /** The root of Cairn's local files: CAIRN_CACHE, else ~/.cache/cairn (scripts/lib-cache.sh's default). */
  static Path cacheRoot(Map<String, String> env) {
    String root = env.get("CAIRN_CACHE");
    return root == null || root.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "cairn") : Path.of(root);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Settings settings;
    try {
      settings = new Settings(namespaceSet(), concurrency, parseDuration(resync), leaderElection, leaseNamespace);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    // one shutdown hook, registered before anything starts: what was started is stopped in the
    // reverse order, also when the start fails halfway (no etcd or API server left behind)
    Deque<Runnable> onExit = new ConcurrentLinkedDeque<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      for (Runnable stop = onExit.pollFirst(); stop != null; stop = onExit.pollFirst()) {
        try {
          stop.run();
        } catch (RuntimeException e) {
          LOG.warn("while shutting down: {}", e.toString());
        }
      }
      stopped.countDown();
    }, "cairn-shutdown"));

    // the ports first: one in use fails here, before a management cluster was started for nothing
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<CairnOperator> running = new AtomicReference<>();
    HttpEndpoints endpoints;
    try {
      endpoints = new HttpEndpoints(healthPort, metricsPort,
          () -> running.get() != null && running.get().isReady(), registry);
    } catch (HttpEndpoints.PortInUse e) {
      LOG.error("{}: choose another with {} (or -1 to serve none)", e.getMessage(),
          e.health() ? "--health-port" : "--metrics-port");
      return 1;
    }
    onExit.addFirst(endpoints::close);

    KubernetesClient client = new KubernetesClientBuilder().build();
    if (!embedded && !ClusterProbe.reachable(client.getConfiguration())) {
      LOG.warn("no management cluster reachable at {}; starting an embedded one", client.getMasterUrl());
      embedded = true;
    }
    if (embedded) {
      client.close();
      if (embeddedBinaries == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "the embedded management cluster needs its"
            + " binaries: --embedded-binaries \"$(scripts/build-kube-binaries.sh --dir)\" after building them with"
            + " scripts/build-kube-binaries.sh (scripts/run.sh does both)");
      }
      EmbeddedManagementCluster local = EmbeddedManagementCluster.start(embeddedBinaries, embeddedVersion);
      onExit.addFirst(() -> {
        local.close();
        // its kubeconfig names a server that is gone, with a client key no one needs any more
        try {
          if (Files.deleteIfExists(embeddedKubeconfig)) {
            LOG.info("removed {}", embeddedKubeconfig);
          }
        } catch (IOException e) {
          LOG.warn("could not remove {}: {}", embeddedKubeconfig, e.toString());
        }
      });
      Path kubeconfig = local.writeKubeconfig(embeddedKubeconfig);
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(local.kubeconfig())).build();
      installCrds = true;
      System.out.println("Embedded management cluster is up. Use it with:\n  export KUBECONFIG=" + kubeconfig);
    }
    onExit.addFirst(client::close);
    if (installCrds) {
      Crds.install(client);
      LOG.info("installed CRDs {}", Crds.NAMES);
    }

    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    CairnOperator operator = new CairnOperator(client, settings, registry, Clock.systemUTC());
    onExit.addFirst(operator::close);
    running.set(operator);
    operator.start();
    LOG.info("Cairn is running: namespaces={}, concurrency={}, resync={}, leaderElection={}, health :{}, metrics :{}",
        settings.namespaces().isEmpty() ? "all" : settings.namespaces(), settings.concurrency(), settings.resync(),
        settings.leaderElection(), endpoints.healthPort(), endpoints.metricsPort());
    stopped.await();
    return 0;
  }

  private Set<String> namespaceSet() {
    Set<String> set = new LinkedHashSet<>();
    if (namespaces != null) {
      Arrays.stream(namespaces).map(String::trim).filter(s -> !s.isEmpty()).forEach(set::add);
    }
    return set;
  }

  /** Accepts ISO-8601 ("PT5M") or the short Go-style forms "90s", "5m", "1h". */
  static Duration parseDuration(String value) {
    String v = value.trim();
    if (v.startsWith("P") || v.startsWith("p")) {
      return Duration.parse(v);
    }
    if (!v.matches("[0-9]+(ms|s|m|h)")) {
      throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (use e.g. 30s, 5m, 1h)");
    }
    long n = Long.parseLong(v.replaceAll("[a-z]+$", ""));
    return switch (v.replaceAll("^[0-9]+", "")) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (v == null ? "dev" : v)};
    }
  }
}
