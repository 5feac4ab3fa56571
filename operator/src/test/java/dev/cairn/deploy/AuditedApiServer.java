package dev.cairn.deploy;

import dev.cairn.testing.KubeApiTest;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A kube-apiserver of its own for the install tests, as a production one would be set up: RBAC
 * authorization (kube-api-test's default; its admin is {@code system:masters}), PodSecurity
 * admission, OwnerReferencesPermissionEnforcement (so an owner reference that blocks deletion needs
 * {@code <kind>/finalizers} update, as on OpenShift), and an audit log of every request, from which
 * {@link #requestsBy} reads what a user actually asked for and whether it was allowed.
 */
final class AuditedApiServer implements AutoCloseable {
  private final KubeAPIServer server;
  private final Path auditLog;
  private final String kubeconfig;
  private final KubernetesClient admin;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private AuditedApiServer(KubeAPIServer server, Path auditLog) {
    this.server = server;
    this.auditLog = auditLog;
    this.kubeconfig = server.getKubeConfigYaml();
    this.admin = client(Config.fromKubeconfig(kubeconfig));
  }

  static AuditedApiServer start() {
    try {
      Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "audited-apiserver-");
      Path policy = Files.writeString(dir.resolve("audit-policy.yaml"), """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: ["RequestReceived"]
          rules:
            - level: Metadata
          """);
      Path log = dir.resolve("audit.log");
      KubeAPIServer server = new KubeAPIServer(KubeApiTest.config()
          .withApiServerFlag("--audit-policy-file", policy.toString())
          .withApiServerFlag("--audit-log-path", log.toString())
          .withApiServerFlag("--audit-log-format", "json")
          .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
          .build());
      server.start();
      AuditedApiServer started = new AuditedApiServer(server, log);
      // a test JVM stopped early must not leave kube-apiserver and etcd behind
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-audited-apiserver"));
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String kubeconfig() {
    return kubeconfig;
  }

  KubernetesClient admin() {
    return admin;
  }

  /** A client that acts as the ServiceAccount, as the operator's Pod would: impersonation by the admin. */
  KubernetesClient as(String namespace, String serviceAccount) {
    Config config = Config.fromKubeconfig(kubeconfig);
    config.setImpersonateUsername(serviceAccountUser(namespace, serviceAccount));
    config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
        "system:authenticated");
    return client(config);
  }

  static String serviceAccountUser(String namespace, String serviceAccount) {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /**
   * Every resource request the user made so far, as "verb group/resource[/subresource]" with its
   * decision; without the self-reviews every authenticated user may make (system:basic-user),
   * which JOSDK uses to check its own permissions at start.
   */
  List<Request> requestsBy(String user) {
    try {
      return Files.readAllLines(auditLog).stream()
          .filter(line -> !line.isBlank())
          .map(line -> Chart.YAML.unmarshal(line, Map.class))
          .filter(event -> user.equals(nested(event, "impersonatedUser", "username")))
          .filter(event -> event.get("objectRef") != null)
          .map(AuditedApiServer::request)
          .filter(r -> !r.permission().startsWith("create authorization.k8s.io/selfsubject"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Request request(Map<?, ?> event) {
    Map<String, Object> ref = (Map<String, Object>) event.get("objectRef");
    String group = Objects.toString(ref.get("apiGroup"), "");
    String resource = group + "/" + ref.get("resource") + (ref.get("subresource") == null ? "" : "/" + ref.get("subresource"));
    // refused by RBAC, or by an admission plugin that checks permissions (code 403 after "allow")
    boolean allowed = "allow".equals(nested(event, "annotations", "authorization.k8s.io/decision"))
        && !Objects.equals(nested(event, "responseStatus", "code"), 403);
    return new Request(event.get("verb") + " " + resource, Objects.toString(ref.get("namespace"), ""), allowed,
        Objects.toString(event.get("requestURI"), ""));
  }

  private static Object nested(Map<?, ?> map, String outer, String inner) {
    return map.get(outer) instanceof Map<?, ?> m ? m.get(inner) : null;
  }

  static Set<String> permissions(List<Request> requests) {
    Set<String> set = new TreeSet<>();
    requests.forEach(r -> set.add(r.permission()));
    return set;
  }

  private static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Stops the API server and etcd; safe to call more than once. */
  @Override
  public void close() {
    if (stopped.compareAndSet(false, true)) {
      admin.close();
      server.stop();
    }
  }

  /** One audited request: its permission ("verb group/resource"), namespace and whether it was allowed. */
  record Request(String permission, String namespace, boolean allowed, String uri) {}
}
