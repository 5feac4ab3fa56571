package dev.cairn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Settings;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What Argo CD would see after syncing Cairn: the examples and the chart's objects, applied
 * server-side as Argo CD's ServerSideApply=true does, stay in sync by Argo CD's ServerSideDiff
 * (a dry-run apply of the Git manifest predicts exactly the live object) even after the operator
 * has reconciled them, and every field Git sets comes back unchanged (no field the API server
 * rewrites, which the older client-side diff would report as OutOfSync; defaults it adds are not
 * in Git and are ignored).
 */
@ExtendWith(ManagementCluster.class)
class ArgoSyncIT {
  private static final String ARGO = "argocd-controller";
  /**
   * The one difference the older client-side diff would report: the CRD generator writes
   * {@code priority: 0} on every printer column and the API server drops zero values. The example
   * Application uses ServerSideDiff (which sees no difference, asserted above) and also ignores
   * that field for CRDs, for anyone who turns it off.
   */
  private static final Pattern DROPPED_PRIORITY =
      Pattern.compile("spec\\.versions\\[\\d+]\\.additionalPrinterColumns\\[\\d+]\\.priority: 0 became null");

  @Test
  void examplesStaySyncedAfterCairnReconcilesThem(ManagementCluster.Server server) throws IOException {
    KubernetesClient client = server.client();
    String ns = Namespaces.create(client, "gitops");
    List<GenericKubernetesResource> desired = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("cairn.examples.dir", "../examples")))) {
      // the example Application excludes ssh-key-secret.yaml: keys are not kept in Git
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("ssh-key-secret.yaml")).sorted().toList()) {
        desired.addAll(generic(Files.readString(file)));
      }
    }
    assertThat(desired).extracting(HasMetadata::getKind).contains("Cluster", "ControlPlaneNode", "WorkerNode");
    desired.forEach(d -> apply(client, ns, d));

    try (KubernetesClient operatorClient = server.newClient();
         CairnOperator operator = new CairnOperator(operatorClient, Settings.defaults().withNamespaces(Set.of(ns))
             .withResync(Duration.ofSeconds(1)), new SimpleMeterRegistry(), Clock.systemUTC())) {
      operator.start();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        for (GenericKubernetesResource d : desired) {
          GenericKubernetesResource live = live(client, ns, d);
          assertThat(String.valueOf((Object) live.get("status", "observedGeneration"))).as("%s observed", name(d))
              .isEqualTo(String.valueOf(live.getMetadata().getGeneration()));
        }
      });
    }
    for (GenericKubernetesResource d : desired) {
      assertInSync(client, ns, d);
    }
  }

  @Test
  void chartObjectsStaySynced(ManagementCluster.Server server) throws IOException {
    KubernetesClient client = server.client();
    String ns = Namespaces.create(client, "gitops-chart");
    List<GenericKubernetesResource> desired = new ArrayList<>();
    try (Stream<Path> crds = Files.list(Chart.dir().resolve("crds"))) {
      for (Path crd : crds.sorted().toList()) {
        desired.addAll(generic(Files.readString(crd)));
      }
    }
    // a release name of its own: the ClusterRole and its binding are cluster-scoped
    Chart.render("gitops-" + ns, ns, Map.of("metrics", Map.of("serviceMonitor", Map.of("enabled", false))))
        .objects().forEach(o -> desired.add(Chart.YAML.convertValue(o, GenericKubernetesResource.class)));
    assertThat(desired).extracting(HasMetadata::getKind).contains("CustomResourceDefinition", "Deployment",
        "ClusterRole", "Service");
    desired.forEach(d -> apply(client, ns, d));
    for (GenericKubernetesResource d : desired) {
      assertInSync(client, ns, d);
    }
  }

  @Test
  void theComparisonNoticesAFieldTheServerRewrites(ManagementCluster.Server server) {
    KubernetesClient client = server.client();
    String ns = Namespaces.create(client, "gitops-neg");
    GenericKubernetesResource quota = generic("""
        apiVersion: v1
        kind: ResourceQuota
        metadata: {name: rewritten}
        spec: {hard: {cpu: "0.5"}}
        """).get(0);
    apply(client, ns, quota);
    assertThat(differences(quota, live(client, ns, quota))).containsExactly("spec.hard.cpu: 0.5 became 500m");
  }

  // --- Argo CD's view

  private static void assertInSync(KubernetesClient client, String ns, GenericKubernetesResource desired) {
    GenericKubernetesResource live = live(client, ns, desired);
    GenericKubernetesResource predicted = resource(client, ns, desired).dryRun().fieldManager(ARGO).forceConflicts()
        .serverSideApply();
    assertThat(normalized(predicted)).as("ServerSideDiff of %s", name(desired)).isEqualTo(normalized(live));
    assertThat(differences(desired, live)).as("fields Git sets on %s that the server changed", name(desired))
        .filteredOn(d -> !(desired.getKind().equals("CustomResourceDefinition") && DROPPED_PRIORITY.matcher(d).matches()))
        .isEmpty();
  }

  /**
   * A sync with ServerSideApply=true: Argo CD forces conflicts, taking over fields another manager
   * set (here the CRDs the test harness installed as "cairn").
   */
  private static void apply(KubernetesClient client, String ns, GenericKubernetesResource desired) {
    resource(client, ns, desired).fieldManager(ARGO).forceConflicts().serverSideApply();
  }

  private static GenericKubernetesResource live(KubernetesClient client, String ns, GenericKubernetesResource d) {
    return resource(client, ns, d).get();
  }

  /** The object in the test's namespace, or cluster-wide for cluster-scoped kinds. */
  private static Resource<GenericKubernetesResource> resource(KubernetesClient client, String ns,
      GenericKubernetesResource d) {
    boolean clusterScoped = Set.of("CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding").contains(d.getKind());
    return clusterScoped ? client.resource(d) : client.resource(d).inNamespace(ns);
  }

  /** Live minus what no diff looks at: bookkeeping the API server keeps per write. */
  private static Map<String, Object> normalized(GenericKubernetesResource object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Chart.YAML.convertValue(object, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) map.get("metadata");
    metadata.remove("managedFields");
    return map;
  }

  /** Every value Git sets that differs in the live object, as "path: git became live". */
  static List<String> differences(GenericKubernetesResource desired, GenericKubernetesResource live) {
    List<String> found = new ArrayList<>();
    compare("", Chart.YAML.convertValue(desired, Map.class), Chart.YAML.convertValue(live, Map.class), found);
    return found;
  }

  private static void compare(String path, Object git, Object live, List<String> found) {
    if (git instanceof Map<?, ?> g) {
      Map<?, ?> l = live instanceof Map<?, ?> m ? m : Map.of();
      g.forEach((k, v) -> compare(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, l.get(k), found));
    } else if (git instanceof List<?> g) {
      List<?> l = live instanceof List<?> list ? list : List.of();
      for (int i = 0; i < g.size(); i++) {
        compare(path + "[" + i + "]", g.get(i), i < l.size() ? l.get(i) : null, found);
      }
    } else if (git instanceof Number g && live instanceof Number l) {
      // JSON has one number type: 65535.0 in YAML is 65535 on the wire
      if (new BigDecimal(g.toString()).compareTo(new BigDecimal(l.toString())) != 0) {
        found.add(path + ": " + git + " became " + live);
      }
    } else if (!Objects.equals(String.valueOf(git), String.valueOf(live))) {
      found.add(path + ": " + git + " became " + live);
    }
  }

  private static List<GenericKubernetesResource> generic(String yaml) {
    return Chart.parseMaps(yaml).stream()
        .map(m -> Chart.YAML.convertValue(m, GenericKubernetesResource.class)).toList();
  }

  private static String name(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }
}
