package dev.cairn.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.CniSpec.Plugin;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped CNI manifests against a real kube-apiserver standing in for a new workload cluster,
 * applied as the operator applies them ({@link CniApply}, pass after pass, as the Cluster
 * reconciler does): every object is accepted by server-side apply in the rendered order, a custom
 * resource right after its new CRD once that is Established, a second apply changes nothing, and
 * the CRDs become Established.
 *
 * <p>The API server is shared with the other ITs, some of which use {@code kube-system}, so
 * Calico's {@code kube-system} objects (and the references to that namespace) are moved to a
 * namespace of this test's own; flannel brings its own {@code kube-flannel}. No pod runs: the test
 * server has no nodes and no controllers.
 */
@ExtendWith(ManagementCluster.class)
class CniManifestsIT {
  private static final String FIELD_MANAGER = "cairn";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dev.cairn.cni.CniManifestsTest#shipped")
  void everyObjectIsAcceptedAndASecondApplyChangesNothing(Plugin plugin, String version, KubernetesClient client) {
    String namespace = Namespaces.create(client, "cni-" + plugin.name().toLowerCase());
    List<HasMetadata> objects = CniManifests.render(plugin, version, CniManifestsTest.SEED_POD_SUBNET,
        CniManifestsTest.MIRROR).stream().map(o -> outOfKubeSystem(o, namespace)).toList();

    applyAll(client, objects);
    List<HasMetadata> first = objects.stream().map(o -> client.resource(o).get()).toList();
    assertThat(first).doesNotContainNull();
    // applied, not created: every field is Cairn's by server-side apply (a ServiceAccount has none
    // to own); status is the API server's (CRD conditions) or a controller's, on a shared server
    assertThat(first).allSatisfy(o -> assertThat(o.getMetadata().getManagedFields())
        .allMatch(f -> "status".equals(f.getSubresource())
            || f.getManager().equals(FIELD_MANAGER) && f.getOperation().equals("Apply")));
    assertThat(first).anyMatch(o -> !o.getMetadata().getManagedFields().isEmpty());

    List<CustomResourceDefinition> crds = objects.stream()
        .filter(CustomResourceDefinition.class::isInstance).map(CustomResourceDefinition.class::cast).toList();
    assertThat(crds.isEmpty()).isEqualTo(plugin == Plugin.FLANNEL);
    for (CustomResourceDefinition crd : crds) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(settled(client, crd)).as(
          "%s established", crd.getMetadata().getName()).isTrue());
    }

    Map<String, String> before = resourceVersions(objects.stream().map(o -> client.resource(o).get()));
    assertThat(CniApply.apply(client, objects, FIELD_MANAGER)).as("nothing waits for a CRD now").isEmpty();
    Map<String, String> again = resourceVersions(objects.stream().map(o -> client.resource(o).get()));
    assertThat(again).as("a second apply of the same objects").isEqualTo(before);
    assertThat(resourceVersions(objects.stream().map(o -> client.resource(o).get()))).isEqualTo(before);

    // what the API server holds is what was rendered: the mirror's images and the pod network
    for (CniManifests.Workload w : CniManifests.readiness(plugin)) {
      String ns = w.namespace().equals("kube-system") ? namespace : w.namespace();
      PodSpec spec = w.kind().equals("DaemonSet")
          ? client.apps().daemonSets().inNamespace(ns).withName(w.name()).require().getSpec().getTemplate().getSpec()
          : client.apps().deployments().inNamespace(ns).withName(w.name()).require().getSpec().getTemplate().getSpec();
      assertThat(Stream.of(spec.getInitContainers(), spec.getContainers()).flatMap(List::stream).map(Container::getImage))
          .as("%s", w).isNotEmpty().allMatch(i -> i.startsWith(CniManifestsTest.MIRROR + "/"));
    }
    if (plugin == Plugin.CALICO) {
      DaemonSet node = client.apps().daemonSets().inNamespace(namespace).withName("calico-node").require();
      assertThat(CniManifestsTest.calicoNode(List.of(node)).getEnv())
          .anyMatch(e -> e.getName().equals("CALICO_IPV4POOL_CIDR") && e.getValue().equals(CniManifestsTest.SEED_POD_SUBNET))
          .anyMatch(e -> e.getName().equals("IP_AUTODETECTION_METHOD") && e.getValue().equals("kubernetes-internal-ip"));
      GenericKubernetesResource bgp = client.genericKubernetesResources("crd.projectcalico.org/v1", "BGPConfiguration")
          .withName("default").require();
      assertThat(bgp.<String>get("spec", "bindMode")).isEqualTo("NodeIP");
      assertThat(bgp.<Object>get("spec", "asNumber")).isEqualTo(64512);
    } else {
      ConfigMap config = client.configMaps().inNamespace("kube-flannel").withName("kube-flannel-cfg").require();
      assertThat(config.getData().get("net-conf.json")).contains("\"Network\": \"" + CniManifestsTest.SEED_POD_SUBNET + "\"");
      DaemonSet flannel = client.apps().daemonSets().inNamespace("kube-flannel").withName("kube-flannel-ds").require();
      assertThat(flannel.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
          .anyMatch(e -> e.getName().equals("FLANNELD_IFACE")
              && "status.hostIP".equals(e.getValueFrom().getFieldRef().getFieldPath()));
    }
  }

  /**
   * A CRD of its own (a new group each run, so it is new to the API server) and a custom resource
   * of it right after, in one pass: the custom resource is applied if the CRD is already
   * Established, else named as waiting and applied by a later pass; the apply never fails.
   */
  @Test
  void aCustomResourceRightAfterItsNewCrdIsAppliedOnceTheCrdIsEstablished(KubernetesClient client) {
    for (int round = 0; round < 3; round++) {
      String group = "t" + UUID.randomUUID().toString().substring(0, 8) + ".cairn.test";
      HasMetadata crd = SERIALIZATION.unmarshal("""
          apiVersion: apiextensions.k8s.io/v1
          kind: CustomResourceDefinition
          metadata:
            name: bgpconfigurations.%1$s
          spec:
            group: %1$s
            names: {kind: BGPConfiguration, listKind: BGPConfigurationList, plural: bgpconfigurations, singular: bgpconfiguration}
            scope: Cluster
            versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      properties:
                        bindMode: {type: string}
          """.formatted(group));
      HasMetadata cr = SERIALIZATION.unmarshal("""
          apiVersion: %s/v1
          kind: BGPConfiguration
          metadata:
            name: default
          spec:
            bindMode: NodeIP
          """.formatted(group));
      assertThat(cr).isInstanceOf(GenericKubernetesResource.class);
      try {
        List<String> pending = CniApply.apply(client, List.of(crd, cr), FIELD_MANAGER);
        assertThat(pending).allMatch(p -> p.equals("BGPConfiguration default (CRD bgpconfigurations." + group
            + " not Established yet)"));
        System.out.printf("CniManifestsIT: round %d, the custom resource %s in the CRD's own pass%n", round,
            pending.isEmpty() ? "was applied" : "waited");
        applyAll(client, List.of(crd, cr));
        assertThat(client.genericKubernetesResources(group + "/v1", "BGPConfiguration").withName("default").require()
            .<String>get("spec", "bindMode")).isEqualTo("NodeIP");
      } finally {
        client.apiextensions().v1().customResourceDefinitions().withName("bgpconfigurations." + group).delete();
      }
    }
  }

  /** {@link CniApply} pass after pass, as the Cluster reconciler applies, until nothing waits. */
  private static void applyAll(KubernetesClient client, List<HasMetadata> objects) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> CniApply.apply(client, objects, FIELD_MANAGER).isEmpty());
  }

  /** Established, and every condition the API server's own controllers set is in: nothing will change it now. */
  private static boolean settled(KubernetesClient client, CustomResourceDefinition crd) {
    CustomResourceDefinition live = client.apiextensions().v1().customResourceDefinitions()
        .withName(crd.getMetadata().getName()).get();
    if (live == null || live.getStatus() == null || live.getStatus().getConditions() == null) {
      return false;
    }
    Map<String, String> conditions = new LinkedHashMap<>();
    for (CustomResourceDefinitionCondition c : live.getStatus().getConditions()) {
      conditions.put(c.getType(), c.getStatus());
    }
    boolean protectedGroup = crd.getSpec().getGroup().endsWith(".k8s.io");
    return "True".equals(conditions.get("Established")) && "True".equals(conditions.get("NamesAccepted"))
        && (!protectedGroup || "True".equals(conditions.get("KubernetesAPIApprovalPolicyConformant")));
  }

  private static Map<String, String> resourceVersions(Stream<HasMetadata> objects) {
    Map<String, String> versions = new LinkedHashMap<>();
    objects.forEach(o -> versions.put(o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
        o.getMetadata().getResourceVersion()));
    return versions;
  }

  /** The object with every mention of kube-system (its namespace, a binding's subject, a template's) moved. */
  private static HasMetadata outOfKubeSystem(HasMetadata object, String namespace) {
    String yaml = SERIALIZATION.asYaml(object).replace("namespace: \"kube-system\"", "namespace: \"" + namespace + "\"");
    return SERIALIZATION.unmarshal(yaml);
  }
}
