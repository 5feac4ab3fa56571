package dev.cairn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Release;
import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Crds;
import dev.cairn.runtime.Settings;
import dev.cairn.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart installed by real Helm into a real API server with RBAC, PodSecurity admission and
 * an audit log, and the real operator run on the ServiceAccount's permissions alone (a client
 * impersonating it): it waits as a standby, takes the Lease, reconciles a Cluster into its PKI
 * Secrets and conditions, records Events — and the audit log shows it was never refused and used
 * nothing the chart does not grant, while the chart grants nothing beyond that and a documented
 * reserve. The chart's Pod passes the {@code restricted} Pod Security Standard.
 */
class HelmInstallIT {
  private static AuditedApiServer server;
  private static KubernetesClient admin;

  @BeforeAll
  static void start() {
    server = AuditedApiServer.start();
    admin = server.admin();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void clusterWideReleaseRunsTheOperatorOnItsOwnPermissions() {
    Release release = install("cairn", "cairn-system", Map.of());
    assertThat(release.getStatus()).isEqualTo("deployed");
    for (String crd : Crds.NAMES) {
      assertThat(admin.apiextensions().v1().customResourceDefinitions().withName(crd).get())
          .as("CRD %s installed from the chart's crds/", crd).isNotNull();
    }
    Deployment deployment = admin.apps().deployments().inNamespace("cairn-system").withName("cairn").get();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

    // another replica holds the Lease: this one is a warm standby, ready but not reconciling
    admin.resource(new LeaseBuilder().withNewMetadata().withName(Settings.LEASE_NAME).withNamespace("cairn-system")
        .endMetadata().withNewSpec().withHolderIdentity("cairn-other-replica").withLeaseDurationSeconds(3600)
        .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).withLeaseTransitions(0)
        .endSpec().build()).create();
    namespace("tenant-a");
    String user = AuditedApiServer.serviceAccountUser("cairn-system", "cairn");
    try (KubernetesClient asOperator = server.as("cairn-system", "cairn");
         CairnOperator operator = new CairnOperator(asOperator, Settings.defaults().withResync(Duration.ofSeconds(5))
             .withLeaderElection(true, "cairn-system"), new SimpleMeterRegistry(), Clock.systemUTC())) {
      operator.start();
      await().atMost(Duration.ofSeconds(60)).until(operator::isReady);
      apply("tenant-a", cluster("demo"), node("ControlPlaneNode", "demo-cp1", "demo"),
          node("WorkerNode", "demo-w1", "demo"));
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
          .until(() -> admin.resources(Cluster.class).inNamespace("tenant-a").withName("demo").get().getStatus() == null);
      assertThat(operator.isReady()).as("a standby is ready: its informers are synced").isTrue();

      // the other replica is gone: its Lease expires and this one takes over
      admin.resources(Lease.class).inNamespace("cairn-system").withName(Settings.LEASE_NAME).edit(l -> {
        l.getSpec().setRenewTime(ZonedDateTime.now().minusHours(2));
        return l;
      });
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(admin.resources(Lease.class)
          .inNamespace("cairn-system").withName(Settings.LEASE_NAME).get().getSpec().getHolderIdentity())
          .isNotEqualTo("cairn-other-replica"));

      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Cluster cluster = admin.resources(Cluster.class).inNamespace("tenant-a").withName("demo").get();
        assertThat(cluster.getStatus()).isNotNull();
        assertThat(condition(cluster.getStatus().getConditions(), "CertificatesAvailable").getStatus())
            .isEqualTo("True");
        assertThat(cluster.getStatus().getKubeconfigSecretRef()).isNotNull();
        assertThat(cluster.getStatus().getKubeconfigSecretRef().name()).isEqualTo("demo-kubeconfig");
        ControlPlaneNode cp = admin.resources(ControlPlaneNode.class).inNamespace("tenant-a").withName("demo-cp1").get();
        assertThat(condition(cp.getStatus().getConditions(), "Ready").getReason()).isEqualTo("SecretNotFound");
        WorkerNode w = admin.resources(WorkerNode.class).inNamespace("tenant-a").withName("demo-w1").get();
        assertThat(condition(w.getStatus().getConditions(), "Ready").getReason()).isEqualTo("SecretNotFound");
      });
      for (String suffix : List.of("ca", "etcd", "proxy", "sa", "kubeconfig")) {
        Secret secret = admin.secrets().inNamespace("tenant-a").withName("demo-" + suffix).get();
        assertThat(secret).as("Secret demo-%s", suffix).isNotNull();
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(o -> assertThat(o.getBlockOwnerDeletion()).isTrue());
      }
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(admin.v1().events().inNamespace("tenant-a").list().getItems())
              .as("Events recorded on the node's transitions")
              .anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("demo-cp1")));
    }

    List<AuditedApiServer.Request> requests = server.requestsBy(user);
    assertThat(requests).as("the operator's requests in the audit log").isNotEmpty();
    assertThat(requests).as("requests RBAC refused").filteredOn(r -> !r.allowed()).isEmpty();
    Set<String> used = AuditedApiServer.permissions(requests);
    Set<String> granted = granted(admin.rbac().clusterRoles().withName("cairn").get().getRules(),
        admin.rbac().roles().inNamespace("cairn-system").withName("cairn-leader-election").get().getRules());
    System.out.printf("permissions the operator used: %s%n", used);
    assertThat(granted).as("every permission used is granted").containsAll(used);
    assertThat(used).as("the operator's essentials").contains("list cairn.dev/clusters", "watch cairn.dev/clusters",
        "patch cairn.dev/clusters/status", "get /secrets", "create /secrets", "patch /secrets", "create /events",
        "get coordination.k8s.io/leases", "patch coordination.k8s.io/leases");
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    assertThat(Rbac.RESERVED.keySet()).as("granted but not used must be a documented reserve").containsAll(unused);
  }

  @Test
  void namespacedReleaseManagesOnlyItsNamespaces() {
    for (String ns : List.of("team-a", "team-b", "team-c")) {
      namespace(ns);
    }
    install("cairn-teams", "teams-system", Map.of("rbac", Map.of("namespaced", true),
        "watchNamespaces", List.of("team-a", "team-b")));
    String user = AuditedApiServer.serviceAccountUser("teams-system", "cairn-teams");
    try (KubernetesClient asOperator = server.as("teams-system", "cairn-teams");
         CairnOperator operator = new CairnOperator(asOperator, Settings.defaults()
             .withNamespaces(Set.of("team-a", "team-b")).withResync(Duration.ofSeconds(5))
             .withLeaderElection(true, "teams-system"), new SimpleMeterRegistry(), Clock.systemUTC())) {
      operator.start();
      for (String ns : List.of("team-a", "team-b", "team-c")) {
        apply(ns, cluster("c-" + ns));
      }
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (String ns : List.of("team-a", "team-b")) {
          Cluster cluster = admin.resources(Cluster.class).inNamespace(ns).withName("c-" + ns).get();
          assertThat(cluster.getStatus()).as("Cluster in %s", ns).isNotNull();
          assertThat(condition(cluster.getStatus().getConditions(), "CertificatesAvailable").getStatus())
              .isEqualTo("True");
          assertThat(admin.secrets().inNamespace(ns).withName("c-" + ns + "-ca").get()).isNotNull();
        }
      });
      assertThat(admin.resources(Lease.class).inNamespace("teams-system").withName(Settings.LEASE_NAME).get())
          .as("the first replica created the Lease").isNotNull();
      assertThat(admin.resources(Cluster.class).inNamespace("team-c").withName("c-team-c").get().getStatus())
          .as("a namespace outside watchNamespaces is left alone").isNull();
    }
    assertThat(server.requestsBy(user)).as("requests RBAC refused").filteredOn(r -> !r.allowed()).isEmpty();
    assertThat(admin.rbac().clusterRoles().withName("cairn-teams").get()).isNull();

    assertThat(allowed(user, "team-a", "", "secrets", "get")).isTrue();
    assertThat(allowed(user, "team-a", "cairn.dev", "clusters", "watch")).isTrue();
    assertThat(allowed(user, "team-c", "", "secrets", "get")).as("Secrets of an unwatched namespace").isFalse();
    assertThat(allowed(user, "team-c", "cairn.dev", "clusters", "list")).isFalse();
    assertThat(allowed(user, null, "", "secrets", "list")).as("Secrets cluster-wide").isFalse();
    assertThat(allowed(user, "team-a", "", "pods", "create")).isFalse();
    assertThat(allowed(user, "team-a", "coordination.k8s.io", "leases", "update")).isFalse();
    assertThat(allowed(user, "team-a", "cairn.dev", "clusters", "delete")).isFalse();
    assertThat(allowed(user, null, "apiextensions.k8s.io", "customresourcedefinitions", "update")).isFalse();
  }

  @Test
  void operatorPodIsAdmittedUnderTheRestrictedPodSecurityStandard() {
    admin.resource(new NamespaceBuilder().withNewMetadata().withName("pss-restricted")
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
        .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
        .endMetadata().build()).create();
    Deployment deployment = Chart.render("cairn", "pss-restricted", Map.of()).one(Deployment.class);
    // PodSecurity admits any Deployment and judges its Pods; no kubelet runs here, so make the Pod
    Pod pod = podOf(deployment, "cairn-operator");
    Pod created = admin.pods().inNamespace("pss-restricted").resource(pod).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();

    // the namespace does enforce: the same Pod without its container security context is refused
    Pod loose = podOf(deployment, "cairn-loose");
    loose.getSpec().getContainers().get(0).setSecurityContext(null);
    assertThatThrownBy(() -> admin.pods().inNamespace("pss-restricted").resource(loose).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining("allowPrivilegeEscalation");
  }

  // --- helpers

  private static Release install(String name, String namespace, Map<String, Object> values) {
    var install = Chart.helm().install().withName(name).withNamespace(namespace).createNamespace()
        .withKubeConfigContents(server.kubeconfig());
    if (!values.isEmpty()) {
      install.withValuesFile(Chart.valuesFile(values));
    }
    return install.call();
  }

  private static Pod podOf(Deployment deployment, String name) {
    var template = deployment.getSpec().getTemplate();
    return new PodBuilder().withNewMetadata().withName(name).withLabels(template.getMetadata().getLabels())
        .endMetadata().withSpec(template.getSpec()).build();
  }

  private static void namespace(String name) {
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
  }

  private static void apply(String namespace, String... manifests) {
    for (String manifest : manifests) {
      HasMetadata object = admin.getKubernetesSerialization().unmarshal(manifest);
      admin.resource(object).inNamespace(namespace).create();
    }
  }

  private static String cluster(String name) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: Cluster
        metadata: {name: %s}
        spec: {kubernetesVersion: v1.35.4}
        """.formatted(name);
  }

  /** A node whose SSH key Secret does not exist: reconciled up to "SecretNotFound", no SSH attempted. */
  private static String node(String kind, String name, String cluster) {
    return """
        apiVersion: cairn.dev/v1alpha1
        kind: %s
        metadata: {name: %s}
        spec:
          clusterName: %s
          host: {address: 192.0.2.10, sshKeySecretRef: {name: no-such-key}}
        """.formatted(kind, name, cluster);
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type));
  }

  /** "verb group/resource" for every verb and resource the rules grant. */
  @SafeVarargs
  private static Set<String> granted(List<PolicyRule>... ruleLists) {
    Set<String> set = new TreeSet<>();
    for (List<PolicyRule> rules : ruleLists) {
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            rule.getVerbs().forEach(verb -> set.add(verb + " " + group + "/" + resource));
          }
        }
      }
    }
    return set;
  }

  private static boolean allowed(String user, String namespace, String group, String resource, String verb) {
    SubjectAccessReview review = admin.authorization().v1().subjectAccessReview().create(
        new SubjectAccessReviewBuilder().withNewSpec().withUser(user)
            .withGroups(new ArrayList<>(List.of("system:serviceaccounts", "system:authenticated")))
            .withNewResourceAttributes().withNamespace(namespace).withGroup(group).withResource(resource)
            .withVerb(verb).endResourceAttributes().endSpec().build());
    return review.getStatus().getAllowed();
  }
}
