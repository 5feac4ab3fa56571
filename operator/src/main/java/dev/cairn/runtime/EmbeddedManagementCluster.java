package dev.cairn.runtime;

import dev.cairn.cluster.AdminKubeconfig;
import dev.cairn.pki.KeyPairAndCert;
import dev.cairn.pki.Pem;
import dev.cairn.pki.Pki;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A management cluster on this machine for a newcomer with nothing installed: etcd, kube-apiserver
 * and kube-controller-manager, started from the binaries {@code scripts/build-kube-binaries.sh}
 * builds; nothing is downloaded.
 *
 * <p>It holds what a real one holds (SSH private keys, cluster CAs), so it is locked down as one:
 * everything listens on 127.0.0.1 only; etcd speaks TLS and takes only clients with a certificate
 * of its own CA (the API server's); the API server authenticates as kubeadm's does (client
 * certificates of its CA, service-account tokens) and authorizes with RBAC; the controller-manager
 * serves nothing. The controller-manager is what makes it behave like the clusters Cairn is meant
 * for: namespaces delete, owned objects are garbage-collected.
 *
 * <p>Its state (PKI, etcd's data, the components' logs) lives in a private temporary directory that
 * {@link #close()} removes: an embedded cluster is for trying Cairn, and starts empty each time.
 */
public final class EmbeddedManagementCluster implements AutoCloseable {
  /** The Kubernetes version the build script builds by default and the tests expect. */
  public static final String DEFAULT_VERSION = "1.37.2";
  /** What it runs, from the binaries directory. */
  public static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedManagementCluster.class);
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final String LOOPBACK = "127.0.0.1";

  private final Path dir;
  private final List<Component> components = new ArrayList<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private String kubeconfig;
  private int apiServerPort;
  private int etcdPort;

  /** A started process and where its output goes. */
  record Component(String name, Process process, Path log) {}

  private EmbeddedManagementCluster(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts etcd, kube-apiserver and kube-controller-manager from {@code binaries}, the directory
   * {@code scripts/build-kube-binaries.sh --dir} names ({@code <root>/k8s/<version>-linux-amd64});
   * returns once the API server is ready. Fails with instructions when a binary is missing, and
   * with the last lines of a component's log when it does not come up.
   */
  public static EmbeddedManagementCluster start(Path binaries, String version) {
    for (String binary : BINARIES) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException("missing " + binaries.resolve(binary)
            + ": build the management-cluster binaries once with scripts/build-kube-binaries.sh"
            + " (needs the Go toolchain; takes about 8 minutes on 2 cores)");
      }
    }
    if (!binaries.getFileName().toString().equals(version + "-linux-amd64")) {
      throw new IllegalStateException(binaries + " does not hold Kubernetes " + version
          + " (the layout is <root>/k8s/" + version + "-linux-amd64)");
    }
    EmbeddedManagementCluster cluster;
    try {
      cluster = new EmbeddedManagementCluster(Files.createTempDirectory("cairn-embedded-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the embedded cluster's directory", e);
    }
    try {
      cluster.run(binaries.toAbsolutePath());
      return cluster;
    } catch (RuntimeException | IOException e) {
      String logs = cluster.logTails();
      cluster.close();
      throw new IllegalStateException("the embedded management cluster did not start: " + e.getMessage() + logs, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.close();
      throw new IllegalStateException("interrupted while starting the embedded management cluster", e);
    }
  }

  private void run(Path bin) throws IOException, InterruptedException {
    Instant begun = Instant.now();
    Pki pki = new Pki(Clock.systemUTC());
    Duration validity = Duration.ofDays(365);
    KeyPairAndCert ca = pki.newCa("cairn-embedded-ca");
    KeyPairAndCert etcdCa = pki.newCa("cairn-embedded-etcd-ca");
    List<String> local = List.of("localhost");
    List<String> loopback = List.of(LOOPBACK);
    write("ca.crt", ca.certificatePem());
    write("etcd-ca.crt", etcdCa.certificatePem());
    writePair("etcd", pki.issuePeer(etcdCa, "etcd", local, loopback, validity));
    writePair("apiserver-etcd-client", pki.issueClient(etcdCa, "kube-apiserver-etcd-client", List.of(), validity));
    writePair("apiserver", pki.issueServer(ca, "kube-apiserver", List.of("localhost", "kubernetes",
        "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"),
        List.of(LOOPBACK, "10.0.0.1"), validity));
    java.security.KeyPair sa = pki.newServiceAccountKeyPair();
    write("sa.key", Pem.encode(sa.getPrivate()));
    write("sa.pub", Pki.publicKeyPem(sa.getPublic()));

    etcdPort = freeLoopbackPort();
    int etcdPeer = freeLoopbackPort();
    apiServerPort = freeLoopbackPort();
    String server = "https://" + LOOPBACK + ":" + apiServerPort;
    kubeconfig = AdminKubeconfig.render("cairn-embedded", server, ca,
        pki.issueClient(ca, "cairn-admin", List.of("system:masters"), validity));
    write("controller-manager.kubeconfig", AdminKubeconfig.render("cairn-embedded", server, ca,
        pki.issueClient(ca, "system:kube-controller-manager", List.of(), validity)));

    String etcdClientUrl = "https://" + LOOPBACK + ":" + etcdPort;
    String etcdPeerUrl = "https://" + LOOPBACK + ":" + etcdPeer;
    launch("etcd", List.of(bin.resolve("etcd").toString(),
        "--name=embedded", "--data-dir=" + dir.resolve("etcd-data"),
        "--listen-client-urls=" + etcdClientUrl, "--advertise-client-urls=" + etcdClientUrl,
        "--listen-peer-urls=" + etcdPeerUrl, "--initial-advertise-peer-urls=" + etcdPeerUrl,
        "--initial-cluster=embedded=" + etcdPeerUrl,
        "--cert-file=" + file("etcd.crt"), "--key-file=" + file("etcd.key"),
        "--trusted-ca-file=" + file("etcd-ca.crt"), "--client-cert-auth=true",
        "--peer-cert-file=" + file("etcd.crt"), "--peer-key-file=" + file("etcd.key"),
        "--peer-trusted-ca-file=" + file("etcd-ca.crt"), "--peer-client-cert-auth=true",
        "--log-level=warn"));
    launch("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
        "--bind-address=" + LOOPBACK, "--secure-port=" + apiServerPort, "--advertise-address=" + LOOPBACK,
        // the kubernetes Service's Endpoints may not hold a loopback address: no reconciler writes them
        "--endpoint-reconciler-type=none",
        "--etcd-servers=" + etcdClientUrl, "--etcd-cafile=" + file("etcd-ca.crt"),
        "--etcd-certfile=" + file("apiserver-etcd-client.crt"), "--etcd-keyfile=" + file("apiserver-etcd-client.key"),
        "--client-ca-file=" + file("ca.crt"),
        "--tls-cert-file=" + file("apiserver.crt"), "--tls-private-key-file=" + file("apiserver.key"),
        "--cert-dir=" + dir.resolve("apiserver-certs"),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        "--service-account-key-file=" + file("sa.pub"), "--service-account-signing-key-file=" + file("sa.key"),
        "--service-cluster-ip-range=10.0.0.0/24",
        "--authorization-mode=RBAC", "--allow-privileged=true", "--profiling=false"));
    awaitApiServer();
    launch("kube-controller-manager", List.of(bin.resolve("kube-controller-manager").toString(),
        "--kubeconfig=" + file("controller-manager.kubeconfig"),
        // serves nothing: no port at all
        "--secure-port=0", "--leader-elect=false",
        "--use-service-account-credentials=true",
        "--service-account-private-key-file=" + file("sa.key"), "--root-ca-file=" + file("ca.crt"),
        "--cluster-name=cairn-embedded", "--profiling=false"));
    LOG.info("embedded management cluster up in {} s: kube-apiserver https://{}:{}, etcd and kube-controller-manager"
        + " beside it, all on loopback (data in {})", Duration.between(begun, Instant.now()).toSeconds(),
        LOOPBACK, apiServerPort, dir);
  }

  private void awaitApiServer() throws InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP);
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
      while (true) {
        for (Component c : components) {
          if (!c.process().isAlive()) {
            throw new IllegalStateException(c.name() + " exited with code " + c.process().exitValue());
          }
        }
        try {
          if ("ok".equals(client.raw("/readyz"))) {
            return;
          }
        } catch (RuntimeException notYet) {
          // not listening yet, or etcd not reachable yet
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("kube-apiserver not ready after " + STARTUP.toSeconds() + " s");
        }
        Thread.sleep(250);
      }
    }
  }

  private void launch(String name, List<String> command) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    components.add(new Component(name, process, log));
  }

  private Path file(String name) {
    return dir.resolve(name);
  }

  private void writePair(String name, KeyPairAndCert pair) throws IOException {
    write(name + ".crt", pair.certificatePem());
    write(name + ".key", pair.keyPem());
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(Files.createFile(dir.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), content);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return s.getLocalPort();
    }
  }

  /** The last lines of every component's log, for a start-up failure's message. */
  private String logTails() {
    StringBuilder out = new StringBuilder();
    for (Component c : components) {
      try {
        List<String> lines = Files.readAllLines(c.log());
        out.append("\n--- ").append(c.name()).append(" (last lines of its log) ---\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
      } catch (IOException | UncheckedIOException e) {
        out.append("\n--- ").append(c.name()).append(": no log ---");
      }
    }
    return out.toString();
  }

  /** The admin kubeconfig (a {@code system:masters} client certificate). */
  public String kubeconfig() {
    return kubeconfig;
  }

  public int apiServerPort() {
    return apiServerPort;
  }

  public int etcdPort() {
    return etcdPort;
  }

  /** Where its PKI, etcd's data and the components' logs are, until {@link #close()}. */
  Path directory() {
    return dir;
  }

  /** The processes it runs (etcd, kube-apiserver, kube-controller-manager), for checks from outside. */
  public List<ProcessHandle> processes() {
    return components.stream().map(c -> c.process().toHandle()).toList();
  }

  /** Writes the admin kubeconfig with mode 0600 so {@code kubectl} can be pointed at it. */
  public Path writeKubeconfig(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.deleteIfExists(path);
    Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(path, kubeconfig);
    return path;
  }

  /**
   * Stops the controller-manager, the API server and etcd, in that order (each gets SIGTERM, then
   * SIGKILL after 15 s), and removes their data; safe to call more than once.
   */
  @Override
  public void close() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    for (int i = components.size() - 1; i >= 0; i--) {
      Component c = components.get(i);
      c.process().destroy();
      try {
        if (!c.process().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
          LOG.warn("{} did not stop within {} s of SIGTERM; killing it", c.name(), STOP_GRACE.toSeconds());
          c.process().destroyForcibly().waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.process().destroyForcibly();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not remove the embedded cluster's data in {}: {}", dir, e.toString());
    }
    if (!components.isEmpty()) {
      LOG.info("embedded management cluster stopped (kube-controller-manager, kube-apiserver, etcd); its data is removed");
    }
  }
}
