package dev.cairn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import dev.cairn.Main;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The Helm chart, linted and rendered by Helm itself (3.21 through helm-java), and the objects it
 * renders: replicas, flags, probes, the restricted security context and least-privilege RBAC.
 */
class HelmChartTest {
  private static final String NS = "cairn-system";

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = Chart.helm().lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void chartVersionsFollowTheOperator() throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Object> chart = Chart.YAML.unmarshal(Files.readString(Chart.dir().resolve("Chart.yaml")), Map.class);
    String version = System.getProperty("cairn.version");
    assertThat(version).as("-Dcairn.version (set by the pom)").isNotBlank();
    assertThat(chart.get("appVersion")).as("appVersion is the operator's version, the default image tag")
        .isEqualTo(version);
    assertThat(version).startsWith(String.valueOf(chart.get("version")));
  }

  @Test
  void defaultsRunTwoReplicasThatElectALeader() {
    Chart.Rendered r = Chart.render("cairn", NS, Map.of());
    assertThat(r.kinds()).containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role",
        "RoleBinding", "Service", "Deployment");
    Deployment deployment = r.one(Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(r.one(ServiceAccount.class).getMetadata().getName());
    Container operator = operator(deployment);
    assertThat(operator.getImage()).isEqualTo("cairn-operator:" + System.getProperty("cairn.version"));

    // the arguments are ones the operator's own command line accepts, with the values meant
    ParseResult flags = parse(operator.getArgs());
    assertThat(flags.matchedOptionValue("--leader-election", false)).isTrue();
    assertThat(flags.hasMatchedOption("--namespaces")).as("all namespaces by default").isFalse();
    assertThat(flags.matchedOptionValue("--health-port", 0)).isEqualTo(8081);
    assertThat(flags.matchedOptionValue("--metrics-port", 0)).isEqualTo(8080);
    assertThat(flags.matchedOptionValue("--resync", "")).isEqualTo("5m");
    EnvVar podNamespace = operator.getEnv().stream().filter(e -> e.getName().equals("POD_NAMESPACE")).findFirst()
        .orElseThrow(() -> new AssertionError("POD_NAMESPACE (the Lease's namespace) is not set"));
    assertThat(podNamespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");

    assertThat(operator.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactlyInAnyOrder("health:8081", "metrics:8080");
    assertProbe(operator.getLivenessProbe(), "/healthz");
    assertProbe(operator.getReadinessProbe(), "/readyz");
    assertProbe(operator.getStartupProbe(), "/healthz");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKey("memory");

    Service metrics = r.one(Service.class);
    assertThat(metrics.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(metrics.getSpec().getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void podMeetsTheRestrictedPodSecurityStandard() {
    PodSpec pod = Chart.render("cairn", NS, Map.of()).one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    Container operator = pod.getContainers().get(0);
    var sc = operator.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    // the only writable place is an emptyDir on /tmp
    assertThat(operator.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void clusterWideRbacGrantsWhatCairnUsesAndTheLeaseOnlyInItsNamespace() {
    Chart.Rendered r = Chart.render("cairn", NS, Map.of());
    ClusterRole role = r.one(ClusterRole.class);
    assertThat(role.getRules()).containsExactlyInAnyOrderElementsOf(Rbac.NAMESPACE_RULES);
    ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo("cairn");
      assertThat(s.getNamespace()).isEqualTo(NS);
    });
    Role lease = r.one(Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(lease.getRules()).containsExactlyInAnyOrderElementsOf(Rbac.LEASE_RULES);
    assertThat(r.one(RoleBinding.class).getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
    // nothing beyond those: no wildcard, no cluster-scoped kinds, no Pods or Nodes
    assertThat(role.getRules()).allSatisfy(rule -> {
      assertThat(rule.getVerbs()).doesNotContain("*", "deletecollection", "escalate", "bind", "impersonate");
      assertThat(rule.getResources()).doesNotContain("*", "pods", "nodes", "namespaces",
          "customresourcedefinitions");
    });
  }

  @Test
  void namespacedRbacMakesRolesInEachWatchedNamespaceAndNothingClusterWide() {
    Chart.Rendered r = Chart.render("cairn", NS, Map.of("rbac", Map.of("namespaced", true),
        "watchNamespaces", List.of("team-a", "team-b")));
    assertThat(r.all(ClusterRole.class)).isEmpty();
    assertThat(r.all(ClusterRoleBinding.class)).isEmpty();
    for (String ns : List.of("team-a", "team-b")) {
      Role role = (Role) r.find("Role", ns, "cairn").orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertThat(role.getRules()).containsExactlyInAnyOrderElementsOf(Rbac.NAMESPACE_RULES);
      RoleBinding binding = (RoleBinding) r.find("RoleBinding", ns, "cairn").orElseThrow();
      assertThat(binding.getSubjects()).singleElement()
          .satisfies(s -> assertThat(s.getNamespace() + "/" + s.getName()).isEqualTo(NS + "/cairn"));
    }
    Role lease = (Role) r.find("Role", NS, "cairn-leader-election").orElseThrow();
    assertThat(lease.getRules()).containsExactlyInAnyOrderElementsOf(Rbac.LEASE_RULES);
    assertThat(r.all(Role.class)).hasSize(3);
    ParseResult flags = parse(operator(r.one(Deployment.class)).getArgs());
    assertThat(flags.matchedOptionValue("--namespaces", new String[0])).containsExactly("team-a", "team-b");
  }

  @Test
  void serviceMonitorCustomImageAndSettingsRenderAsAsked() {
    Chart.Rendered r = Chart.render("ops", "monitoring-test", Map.of(
        "image", Map.of("repository", "registry.example:5000/platform/cairn", "tag", "1.2.3", "pullPolicy", "Always"),
        "metrics", Map.of("serviceMonitor", Map.of("enabled", true, "interval", "15s",
            "labels", Map.of("release", "prometheus"))),
        "replicaCount", 3,
        "operator", Map.of("concurrency", 4, "resync", "90s", "logLevel", "DEBUG")));
    Deployment deployment = r.one(Deployment.class);
    assertThat(deployment.getMetadata().getName()).isEqualTo("ops-cairn");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    Container operator = operator(deployment);
    assertThat(operator.getImage()).isEqualTo("registry.example:5000/platform/cairn:1.2.3");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    ParseResult flags = parse(operator.getArgs());
    assertThat(flags.matchedOptionValue("--concurrency", 0)).isEqualTo(4);
    assertThat(flags.matchedOptionValue("--resync", "")).isEqualTo("90s");
    assertThat(operator.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("CAIRN_LOG_LEVEL");
      assertThat(e.getValue()).isEqualTo("DEBUG");
    });

    GenericKubernetesResource monitor = (GenericKubernetesResource) r.find("ServiceMonitor", "monitoring-test",
        "ops-cairn").orElseThrow(() -> new AssertionError("no ServiceMonitor rendered: " + r.kinds()));
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, Object> endpoint = monitor.get("spec", "endpoints", 0);
    assertThat(endpoint).containsEntry("port", "metrics").containsEntry("path", "/metrics")
        .containsEntry("interval", "15s");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(r.one(Service.class).getMetadata().getLabels()).containsAllEntriesOf(selector);

    String digest = "sha256:" + "ab".repeat(32);
    Deployment pinned = Chart.render("ops", "monitoring-test", Map.of("image", Map.of("digest", digest)))
        .one(Deployment.class);
    assertThat(operator(pinned).getImage()).isEqualTo("cairn-operator@" + digest);
  }

  @Test
  void schemaRejectsWrongValuesNamingTheField() {
    assertRejected(Map.of("replicaCount", 0), "replicaCount");
    assertRejected(Map.of("replicas", 2), "replicas");
    assertRejected(Map.of("image", Map.of("digest", "latest")), "digest");
    assertRejected(Map.of("watchNamespaces", List.of("Team_A")), "watchNamespaces");
    assertRejected(Map.of("operator", Map.of("logLevel", "LOUD")), "logLevel");
    assertRejected(Map.of("operator", Map.of("resync", "5 minutes")), "resync");
    assertRejected(Map.of("health", Map.of("port", 70000)), "port");
  }

  @Test
  void contradictoryValuesFailWithAMessage() {
    assertRejected(Map.of("rbac", Map.of("namespaced", true)), "rbac.namespaced needs watchNamespaces");
    assertRejected(Map.of("leaderElection", Map.of("enabled", false)), "needs leaderElection.enabled");
    assertRejected(Map.of("metrics", Map.of("service", Map.of("enabled", false), "serviceMonitor",
        Map.of("enabled", true))), "needs metrics.service.enabled");
    // one replica without election is fine
    Deployment single = Chart.render("cairn", NS, Map.of("replicaCount", 1, "leaderElection",
        Map.of("enabled", false))).one(Deployment.class);
    assertThat(parse(operator(single).getArgs()).matchedOptionValue("--leader-election", true)).isFalse();
  }

  private static void assertRejected(Map<String, Object> values, String message) {
    assertThatThrownBy(() -> Chart.render("cairn", NS, values)).as("values %s", values)
        .hasMessageContaining(message);
  }

  private static Container operator(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).extracting(Container::getName).containsExactly("operator");
    return containers.get(0);
  }

  private static ParseResult parse(List<String> args) {
    return new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
  }

  private static void assertProbe(Probe probe, String path) {
    assertThat(probe).as("probe on " + path).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("health");
  }
}
