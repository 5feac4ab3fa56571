package dev.cairn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.status.Annotations;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * The Argo CD health check (helm/cairn/argocd/health.lua) run by a Lua interpreter (LuaJ) on
 * sample objects, one per branch, with only the libraries Argo CD's sandbox gives a script; and
 * the argocd-cm snippet carries exactly that script for the three kinds.
 */
class ArgoHealthCheckTest {
  private static String script;

  @BeforeAll
  static void load() throws IOException {
    script = Files.readString(Chart.dir().resolve("argocd/health.lua"));
  }

  @Test
  void readyClusterIsHealthy() {
    assertHealth("""
        kind: Cluster
        metadata: {name: demo, generation: 3}
        spec: {paused: false}
        status:
          observedGeneration: 3
          conditions:
          - {type: Ready, status: "True", reason: Provisioned, message: ""}
          - {type: Stalled, status: "False", reason: NotStalled, message: ""}
        """, "Healthy", "Provisioned");
  }

  @Test
  void deletionIsProgressingWhateverTheConditionsSay() {
    assertHealth("""
        kind: WorkerNode
        metadata: {name: w1, generation: 2, deletionTimestamp: "2026-01-01T00:00:00Z", annotations: {cairn.dev/paused: "true"}}
        status:
          observedGeneration: 2
          conditions:
          - {type: Ready, status: "True", reason: Joined, message: ""}
          - {type: Stalled, status: "True", reason: NeedsAttention, message: "drain blocked"}
        """, "Progressing", "Being deleted");
  }

  @Test
  void pausedClusterSpecIsSuspendedEvenBeforeTheOperatorSawIt() {
    assertHealth("""
        kind: Cluster
        metadata: {name: demo, generation: 4}
        spec: {paused: true}
        status:
          observedGeneration: 3
          conditions:
          - {type: Paused, status: "False", reason: NotPaused, message: ""}
        """, "Suspended", "Paused");
  }

  @Test
  void pauseAnnotationSuspendsAnyKindUnlessItSaysFalse() {
    String node = """
        kind: ControlPlaneNode
        metadata: {name: cp1, generation: 1, annotations: {cairn.dev/paused: "%s"}}
        status:
          observedGeneration: 1
          conditions:
          - {type: Ready, status: "True", reason: KubeadmInitialized, message: ""}
        """;
    assertHealth(node.formatted("true"), "Suspended", "Paused");
    assertHealth(node.formatted("yes"), "Suspended", "Paused");
    assertHealth(node.formatted("False"), "Healthy", "KubeadmInitialized");
  }

  @Test
  void nodeOfAPausedClusterIsSuspendedWithTheOperatorsMessage() {
    assertHealth("""
        kind: WorkerNode
        metadata: {name: w1, generation: 1}
        status:
          observedGeneration: 1
          conditions:
          - {type: Ready, status: "False", reason: StepFailed, message: "containerd: apt failed"}
          - {type: Paused, status: "True", reason: Paused, message: "host work for this node is paused"}
        """, "Suspended", "host work for this node is paused");
  }

  @Test
  void noStatusYetIsProgressing() {
    assertHealth("""
        kind: Cluster
        metadata: {name: demo, generation: 1}
        spec: {kubernetesVersion: v1.34.4}
        """, "Progressing", "Waiting for Cairn to observe generation 1");
  }

  @Test
  void aNewGenerationNotYetObservedIsProgressingEvenIfReady() {
    assertHealth("""
        kind: Cluster
        metadata: {name: demo, generation: 5}
        status:
          observedGeneration: 4
          conditions:
          - {type: Ready, status: "True", reason: Provisioned, message: ""}
        """, "Progressing", "Waiting for Cairn to observe generation 5");
  }

  @Test
  void stalledIsDegradedWithItsMessage() {
    assertHealth("""
        kind: WorkerNode
        metadata: {name: w1, generation: 2}
        status:
          observedGeneration: 2
          conditions:
          - {type: Ready, status: "False", reason: HostKeyMismatch, message: "host key changed"}
          - {type: Stalled, status: "True", reason: NeedsAttention, message: "host key of 192.168.56.31 changed: SHA256:abc"}
        """, "Degraded", "host key of 192.168.56.31 changed: SHA256:abc");
  }

  @Test
  void stalledWithoutMessageGivesItsReason() {
    assertHealth("""
        kind: ControlPlaneNode
        metadata: {name: cp1, generation: 1}
        status:
          observedGeneration: 1
          conditions:
          - {type: Stalled, status: "True", reason: NeedsAttention, message: ""}
        """, "Degraded", "NeedsAttention");
  }

  @Test
  void notReadyYetIsProgressingWithReadysMessage() {
    assertHealth("""
        kind: WorkerNode
        metadata: {name: w1, generation: 1}
        status:
          observedGeneration: 1
          conditions:
          - {type: Ready, status: "False", reason: WaitingForBootstrap, message: "host prepared; waiting for kubeadm"}
          - {type: Stalled, status: "False", reason: NotStalled, message: ""}
        """, "Progressing", "host prepared; waiting for kubeadm");
  }

  @Test
  void statusWithoutConditionsIsProgressing() {
    assertHealth("""
        kind: Cluster
        metadata: {name: demo, generation: 1}
        status: {observedGeneration: 1}
        """, "Progressing", "Waiting for Ready");
  }

  @Test
  void aClusterAsTheOperatorFirstReportsItIsProgressing() {
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace("clusters").withGeneration(1L).build());
    cluster.setSpec(new ClusterSpec());
    ClusterStatus status = new ClusterStatus();
    new Conditions(Clock.systemUTC()).initialize(status.getConditions(), ConditionType.CLUSTER, 1);
    status.setObservedGeneration(1L);
    cluster.setStatus(status);
    Map<String, Object> object = Chart.YAML.convertValue(cluster, Map.class);
    assertThat(health(object)).containsExactly("Progressing", "NotYetReported");
  }

  @Test
  void theScriptNamesTheOperatorsConditionsAndAnnotation() {
    for (String name : List.of(ConditionType.READY, ConditionType.STALLED, ConditionType.PAUSED, Annotations.PAUSED)) {
      assertThat(script).contains("\"" + name + "\"");
    }
  }

  @Test
  void argocdConfigMapCarriesTheScriptForEachKind() throws IOException {
    Path file = Chart.dir().resolve("argocd/argocd-cm.yaml");
    @SuppressWarnings("unchecked")
    Map<String, Object> configMap = Chart.YAML.unmarshal(Files.readString(file), Map.class);
    assertThat(configMap).containsEntry("kind", "ConfigMap");
    @SuppressWarnings("unchecked")
    Map<String, String> data = (Map<String, String>) configMap.get("data");
    assertThat(data).containsOnlyKeys("resource.customizations.health.cairn.dev_Cluster",
        "resource.customizations.health.cairn.dev_ControlPlaneNode",
        "resource.customizations.health.cairn.dev_WorkerNode");
    assertThat(data.values()).as("%s embeds health.lua unchanged", file).allSatisfy(v -> assertThat(v).isEqualTo(script));
  }

  @Test
  @SuppressWarnings("unchecked")
  void exampleApplicationsSyncTheChartAndTheExamplesServerSide() throws IOException {
    Path file = Path.of(System.getProperty("cairn.examples.dir", "../examples"), "argocd", "applications.yaml");
    List<Map<String, Object>> apps = Chart.parseMaps(Files.readString(file));
    assertThat(apps).extracting(a -> a.get("kind")).containsOnly("Application");
    Map<String, Object> clusters = apps.stream().filter(a -> "examples".equals(at(a, "spec", "source", "path")))
        .findFirst().orElseThrow(() -> new AssertionError("no Application syncs examples/"));
    assertThat(at(clusters, "spec", "source", "directory", "recurse")).isEqualTo(false);
    assertThat(at(clusters, "spec", "source", "directory", "exclude")).isEqualTo("ssh-key-secret.yaml");
    assertThat(at(clusters, "spec", "syncPolicy", "automated", "prune")).as("never prune real clusters").isEqualTo(false);
    Map<String, Object> operator = apps.stream().filter(a -> "helm/cairn".equals(at(a, "spec", "source", "path")))
        .findFirst().orElseThrow(() -> new AssertionError("no Application installs the chart"));
    assertThat(Chart.YAML.asJson(at(operator, "spec", "ignoreDifferences")))
        .as("the CRD field the API server drops (see ArgoSyncIT)")
        .contains(".spec.versions[].additionalPrinterColumns[].priority");
    for (Map<String, Object> app : apps) {
      assertThat((List<Object>) at(app, "spec", "syncPolicy", "syncOptions")).contains("ServerSideApply=true");
      assertThat(at(app, "metadata", "annotations", "argocd.argoproj.io/compare-options"))
          .isEqualTo("ServerSideDiff=true");
    }
  }

  // --- the interpreter

  private static void assertHealth(String yaml, String status, String message) {
    @SuppressWarnings("unchecked")
    Map<String, Object> object = Chart.YAML.unmarshal(yaml, Map.class);
    assertThat(health(object)).as("health of %s", yaml).containsExactly(status, message);
  }

  /** Runs the script as Argo CD does: the object as global {@code obj}, a table {status, message} back. */
  private static List<String> health(Map<String, Object> object) {
    Globals globals = sandbox();
    globals.set("obj", lua(object));
    LuaValue hs = globals.load(script, "health.lua").call();
    assertThat(hs.istable()).as("the script returns a table").isTrue();
    return List.of(hs.get("status").tojstring(), hs.get("message").tojstring());
  }

  /** Base, string, table and math only, like Argo CD's Lua VM: no os, io or require of files. */
  private static Globals sandbox() {
    Globals globals = new Globals();
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new StringLib());
    globals.load(new TableLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    return globals;
  }

  /** JSON-shaped Java values as Lua values, as Argo CD converts an object (numbers are doubles). */
  private static LuaValue lua(Object value) {
    if (value instanceof Map<?, ?> map) {
      LuaTable table = new LuaTable();
      map.forEach((k, v) -> {
        if (v != null) {
          table.set(String.valueOf(k), lua(v));
        }
      });
      return table;
    }
    if (value instanceof List<?> list) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        table.set(i + 1, lua(list.get(i)));
      }
      return table;
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    return LuaValue.valueOf(String.valueOf(value));
  }

  private static Object at(Map<String, Object> map, String... path) {
    Object current = map;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> m)) {
        return null;
      }
      current = m.get(key);
    }
    return current;
  }
}
