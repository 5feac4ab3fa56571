package dev.cairn.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.api.v1alpha1.CniSpec.Plugin;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class CniManifestsTest {
  static final String SEED_POD_SUBNET = "20.96.0.0/12";
  static final String MIRROR = "registry.internal.example/mirror";
  static final String UPSTREAM_CALICO_SHA256 = "9382d2b27a76f40c170454b408653e6d71e2205ef0aef069e942bb690e7381d0";

  /** Every shipped plugin and version. */
  static Stream<Arguments> shipped() {
    return Stream.of(Plugin.values())
        .flatMap(p -> CniManifests.supportedVersions(p).stream().map(v -> Arguments.of(p, v)));
  }

  @Test
  void theShippedVersionsArePinnedWithTheNewestAsDefault() {
    assertThat(CniManifests.supportedVersions(Plugin.CALICO)).containsExactly("v3.30.3");
    assertThat(CniManifests.supportedVersions(Plugin.FLANNEL)).containsExactly("v0.28.10", "v0.28.4");
    assertThat(CniManifests.defaultVersion(Plugin.CALICO)).isEqualTo("v3.30.3");
    assertThat(CniManifests.defaultVersion(Plugin.FLANNEL)).isEqualTo("v0.28.10");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Plugin.class, names = {"CALICO", "FLANNEL"})
  void everyManifestFileInTheJarIsASupportedVersionAndBackAgain(Plugin plugin) throws IOException {
    Path dir = Path.of("src/main/resources/dev/cairn/cni", plugin.name().toLowerCase());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("LICENSE"))
          .map(f -> f.replaceFirst("\\.yaml$", "")))
          .containsExactlyInAnyOrderElementsOf(CniManifests.supportedVersions(plugin));
    }
  }

  @Test
  void calicosManifestIsUpstreamsBytesBelowItsHeaderAndItsLicenceShipsBesideIt() throws Exception {
    byte[] file = Files.readAllBytes(Path.of("src/main/resources/dev/cairn/cni/calico/v3.30.3.yaml"));
    String text = new String(file, StandardCharsets.UTF_8);
    // the header is the leading # lines; upstream's file starts with its first "---"
    int body = text.indexOf("\n---\n") + 1;
    assertThat(text.substring(0, body).lines()).allMatch(l -> l.startsWith("#"));
    assertThat(text.substring(0, body)).contains("3302e8bfd48e6375013d1d79ccb2c693306400a9", "Apache-2.0",
        "scripts/vendor-calico.sh", UPSTREAM_CALICO_SHA256);
    byte[] upstream = java.util.Arrays.copyOfRange(file, text.substring(0, body).getBytes(StandardCharsets.UTF_8).length,
        file.length);
    assertThat(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(upstream)))
        .as("sha256 of manifests/calico.yaml of Calico v3.30.3 (scripts/vendor-calico.sh pins it)")
        .isEqualTo(UPSTREAM_CALICO_SHA256);
    assertThat(Files.readString(Path.of("src/main/resources/dev/cairn/cni/calico/LICENSE")))
        .contains("Apache License", "Version 2.0, January 2004");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shipped")
  void everyShippedVersionRendersObjectsReadyToApply(Plugin plugin, String version) {
    List<HasMetadata> objects = CniManifests.render(plugin, version, SEED_POD_SUBNET, "");

    assertThat(objects).isNotEmpty().allSatisfy(o -> {
      assertThat(o.getApiVersion()).isNotBlank();
      assertThat(o.getKind()).isNotBlank();
      assertThat(o.getMetadata().getName()).isNotBlank();
      assertThat(o.getMetadata().getResourceVersion()).isNull();
    });
    // the readiness workloads are among what is applied
    for (CniManifests.Workload w : CniManifests.readiness(plugin)) {
      assertThat(objects).as("%s", w).anyMatch(o -> o.getKind().equals(w.kind())
          && w.namespace().equals(o.getMetadata().getNamespace()) && o.getMetadata().getName().equals(w.name()));
    }
    // each manifest carries its own release's images, so a wrong file under a version's name shows
    String tag = plugin == Plugin.CALICO ? "calico/node:" + version : "flannel-io/flannel:" + version;
    assertThat(images(objects)).anyMatch(i -> i.endsWith(tag));
    if (plugin == Plugin.CALICO) {
      assertThat(images(objects)).allMatch(i -> i.endsWith(":" + version));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Plugin.class, names = {"CALICO", "FLANNEL"})
  void anEmptyVersionMeansTheDefaultOne(Plugin plugin) {
    String byDefault = CniManifestsGoldenTest.yaml(
        CniManifests.render(plugin, CniManifests.defaultVersion(plugin), SEED_POD_SUBNET, ""));
    assertThat(CniManifestsGoldenTest.yaml(CniManifests.render(plugin, "", SEED_POD_SUBNET, ""))).isEqualTo(byDefault);
    assertThat(CniManifestsGoldenTest.yaml(CniManifests.render(plugin, null, SEED_POD_SUBNET, ""))).isEqualTo(byDefault);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shipped")
  void crdsAndNamespacesComeFirst(Plugin plugin, String version) {
    List<HasMetadata> objects = CniManifests.render(plugin, version, SEED_POD_SUBNET, "");
    List<Boolean> first = objects.stream()
        .map(o -> o instanceof CustomResourceDefinition || o instanceof Namespace).toList();
    assertThat(first).as("CRDs and Namespaces, then the rest").isSortedAccordingTo((a, b) -> Boolean.compare(b, a));
    assertThat(first).contains(true);
  }

  @Test
  void flannelsNamespaceIsAppliedBeforeWhatLivesInIt() {
    List<HasMetadata> objects = CniManifests.render(Plugin.FLANNEL, "", SEED_POD_SUBNET, "");
    assertThat(objects.get(0)).isInstanceOf(Namespace.class);
    assertThat(objects.get(0).getMetadata().getName()).isEqualTo("kube-flannel");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"20.96.0.0/12", "10.244.0.0/16", "172.16.0.0/20"})
  void thePodSubnetBecomesCalicosDefaultPool(String podSubnet) {
    Container node = calicoNode(CniManifests.render(Plugin.CALICO, "", podSubnet, ""));
    List<EnvVar> pool = node.getEnv().stream().filter(e -> e.getName().equals("CALICO_IPV4POOL_CIDR")).toList();
    assertThat(pool).singleElement().satisfies(e -> {
      assertThat(e.getValue()).isEqualTo(podSubnet);
      assertThat(e.getValueFrom()).isNull();
    });
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"v0.28.10, 20.96.0.0/12", "v0.28.4, 20.96.0.0/12", "v0.28.10, 172.16.0.0/20"})
  void thePodSubnetBecomesFlannelsNetwork(String version, String podSubnet) throws IOException {
    ConfigMap config = CniManifests.render(Plugin.FLANNEL, version, podSubnet, "").stream()
        .filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().equals("kube-flannel-cfg")).findFirst().orElseThrow();
    JsonNode netConf = new ObjectMapper().readTree(config.getData().get("net-conf.json"));
    assertThat(netConf.get("Network").asText()).isEqualTo(podSubnet);
    assertThat(netConf.at("/Backend/Type").asText()).as("upstream's other settings stay").isEqualTo("vxlan");
    assertThat(config.getData().get("cni-conf.json")).contains("\"type\": \"flannel\"");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shipped")
  void anImageRepositoryTakesTheRegistryOfEveryImage(Plugin plugin, String version) {
    List<String> upstream = images(CniManifests.render(plugin, version, SEED_POD_SUBNET, ""));
    List<String> mirrored = images(CniManifests.render(plugin, version, SEED_POD_SUBNET, MIRROR));

    assertThat(mirrored).hasSameSizeAs(upstream).allMatch(i -> i.startsWith(MIRROR + "/"))
        .noneMatch(i -> i.contains("docker.io") || i.contains("ghcr.io") || i.contains("quay.io"));
    for (int i = 0; i < upstream.size(); i++) {
      String path = upstream.get(i).substring(upstream.get(i).indexOf('/') + 1);
      assertThat(mirrored.get(i)).as("repository path and tag kept").isEqualTo(MIRROR + "/" + path);
    }
  }

  @Test
  void theMirroredImagesAreWhereAMirrorKeepsThem() {
    assertThat(images(CniManifests.render(Plugin.CALICO, "", SEED_POD_SUBNET, MIRROR))).containsExactlyInAnyOrder(
        MIRROR + "/calico/cni:v3.30.3", MIRROR + "/calico/cni:v3.30.3", MIRROR + "/calico/node:v3.30.3",
        MIRROR + "/calico/node:v3.30.3", MIRROR + "/calico/kube-controllers:v3.30.3");
    assertThat(images(CniManifests.render(Plugin.FLANNEL, "v0.28.10", SEED_POD_SUBNET, MIRROR)))
        .containsExactlyInAnyOrder(MIRROR + "/flannel-io/flannel-cni-plugin:v1.9.1-flannel3",
            MIRROR + "/flannel-io/flannel:v0.28.10", MIRROR + "/flannel-io/flannel:v0.28.10");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shipped")
  void withoutAnImageRepositoryTheImagesAreTheManifestsOwn(Plugin plugin, String version) throws IOException {
    CniManifests.render(plugin, version, SEED_POD_SUBNET, MIRROR); // must not leak into the next render
    List<String> inFile = imagesInFile(plugin, version);
    assertThat(inFile).isNotEmpty();
    assertThat(images(CniManifests.render(plugin, version, SEED_POD_SUBNET, ""))).isEqualTo(inFile);
    assertThat(images(CniManifests.render(plugin, version, SEED_POD_SUBNET, null))).isEqualTo(inFile);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
      "docker.io/calico/node:v3.30.3, registry.example/mirror, registry.example/mirror/calico/node:v3.30.3",
      "ghcr.io/flannel-io/flannel:v0.28.10, registry.example, registry.example/flannel-io/flannel:v0.28.10",
      "calico/node:v3.30.3, registry.example:5000, registry.example:5000/calico/node:v3.30.3",
      "busybox:1.36, registry.example, registry.example/library/busybox:1.36",
      "localhost:5000/team/app:1, registry.example, registry.example/team/app:1",
      "localhost/app, registry.example, registry.example/app",
      "quay.io/calico/cni@sha256:0123abcd, registry.example/, registry.example/calico/cni@sha256:0123abcd",
      "registry.k8s.io/pause:3.10, 10.0.0.5:5000/k8s, 10.0.0.5:5000/k8s/pause:3.10"})
  void relocatingKeepsTheRepositoryPathAsDockerReadsIt(String image, String repository, String expected) {
    assertThat(CniManifests.relocate(image, repository)).isEqualTo(expected);
  }

  @Test
  void anUnsupportedVersionIsRefusedNamingTheSupportedOnes() {
    assertThatThrownBy(() -> CniManifests.render(Plugin.FLANNEL, "v0.27.0", SEED_POD_SUBNET, ""))
        .isInstanceOf(UnsupportedCniException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("flannel v0.27.0")
        .hasMessageContaining("v0.28.10")
        .hasMessageContaining("v0.28.4")
        .satisfies(e -> {
          UnsupportedCniException u = (UnsupportedCniException) e;
          assertThat(u.plugin()).isEqualTo(Plugin.FLANNEL);
          assertThat(u.version()).isEqualTo("v0.27.0");
          assertThat(u.supportedVersions()).containsExactly("v0.28.10", "v0.28.4");
        });
    assertThatThrownBy(() -> CniManifests.render(Plugin.CALICO, "v3.28.2", SEED_POD_SUBNET, ""))
        .isInstanceOf(UnsupportedCniException.class)
        .hasMessageContaining("calico v3.28.2").hasMessageContaining("v3.30.3");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(value = {"fd00:10:244::/56", "not-a-cidr", "''", "NULL"}, nullValues = "NULL")
  void aPodSubnetTheManifestsCannotTakeIsRefused(String podSubnet) {
    for (Plugin plugin : List.of(Plugin.CALICO, Plugin.FLANNEL)) {
      assertThatThrownBy(() -> CniManifests.render(plugin, "", podSubnet, ""))
          .isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(UnsupportedCniException.class);
    }
  }

  @Test
  void noneRendersNothing() {
    assertThat(CniManifests.render(Plugin.NONE, "", SEED_POD_SUBNET, MIRROR)).isEmpty();
    assertThat(CniManifests.render(Plugin.NONE, "v1.2.3", null, null)).isEmpty();
    assertThat(CniManifests.readiness(Plugin.NONE)).isEmpty();
    assertThat(CniManifests.supportedVersions(Plugin.NONE)).isEmpty();
    assertThat(CniManifests.defaultVersion(Plugin.NONE)).isEmpty();
  }

  @Test
  void readinessNamesTheWorkloadsThatRunEachCni() {
    assertThat(CniManifests.readiness(Plugin.CALICO)).containsExactly(
        new CniManifests.Workload("DaemonSet", "kube-system", "calico-node"),
        new CniManifests.Workload("Deployment", "kube-system", "calico-kube-controllers"));
    assertThat(CniManifests.readiness(Plugin.FLANNEL)).containsExactly(
        new CniManifests.Workload("DaemonSet", "kube-flannel", "kube-flannel-ds"));
  }

  @Test
  void calicoShipsWhatCalicoNodeAndKubeControllersNeed() throws IOException {
    List<HasMetadata> objects = CniManifests.render(Plugin.CALICO, "", SEED_POD_SUBNET, "");
    Set<String> crds = objects.stream().filter(CustomResourceDefinition.class::isInstance)
        .map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    assertThat(crds).hasSize(24).contains("ippools.crd.projectcalico.org", "ipamblocks.crd.projectcalico.org",
        "felixconfigurations.crd.projectcalico.org", "tiers.crd.projectcalico.org",
        "kubecontrollersconfigurations.crd.projectcalico.org",
        "adminnetworkpolicies.policy.networking.k8s.io", "baselineadminnetworkpolicies.policy.networking.k8s.io");

    // every Calico resource the ClusterRoles name is served by a shipped CRD (two legacy names aside)
    Set<String> granted = objects.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
        .flatMap(r -> r.getRules().stream())
        .filter(rule -> rule.getApiGroups().contains("crd.projectcalico.org"))
        .flatMap(rule -> rule.getResources().stream())
        .filter(r -> !Set.of("globalfelixconfigs", "globalbgpconfigs").contains(r))
        .collect(Collectors.toSet());
    assertThat(granted).isNotEmpty().allMatch(r -> crds.contains(r.replace("/status", "") + ".crd.projectcalico.org"));

    // each ServiceAccount is bound to its ClusterRole
    for (String account : List.of("calico-node", "calico-cni-plugin", "calico-kube-controllers")) {
      assertThat(objects).anyMatch(o -> o instanceof ClusterRoleBinding b && b.getRoleRef().getName().equals(account)
          && b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
              && s.getName().equals(account) && s.getNamespace().equals("kube-system")));
      assertThat(objects).anyMatch(o -> o.getKind().equals("ServiceAccount") && o.getMetadata().getName().equals(account));
    }

    DaemonSet node = (DaemonSet) objects.stream().filter(DaemonSet.class::isInstance).findFirst().orElseThrow();
    PodSpec spec = node.getSpec().getTemplate().getSpec();
    assertThat(spec.getHostNetwork()).isTrue();
    assertThat(spec.getInitContainers()).extracting(Container::getName)
        .containsExactly("upgrade-ipam", "install-cni", "mount-bpffs");
    assertThat(spec.getTolerations()).anyMatch(t -> "Exists".equals(t.getOperator()) && t.getKey() == null);
    Container calicoNode = calicoNode(objects);
    assertThat(calicoNode.getLivenessProbe()).isNotNull();
    assertThat(calicoNode.getReadinessProbe()).isNotNull();
    assertThat(calicoNode.getEnv()).extracting(EnvVar::getName)
        .contains("DATASTORE_TYPE", "IP", "IP_AUTODETECTION_METHOD", "CALICO_IPV4POOL_CIDR", "FELIX_HEALTHENABLED");

    ConfigMap config = (ConfigMap) objects.stream().filter(ConfigMap.class::isInstance).findFirst().orElseThrow();
    String conflist = config.getData().get("cni_network_config");
    // install-cni fills in __CNI_MTU__; with it as a number the conflist is JSON
    JsonNode cni = new ObjectMapper().readTree(conflist.replace("__CNI_MTU__", "1440"));
    assertThat(cni.get("plugins").findValuesAsText("type")).containsExactly("calico", "calico-ipam", "k8s", "portmap");

    assertThat(objects).anyMatch(o -> o instanceof Deployment d && d.getMetadata().getName().equals("calico-kube-controllers"));
    assertThat(objects).anyMatch(o -> o.getKind().equals("PodDisruptionBudget"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"20.96.0.0/12", "10.244.0.0/16"})
  void calicoNodeTakesItsAddressFromTheNodesInternalIpExactlyOnce(String podSubnet) {
    List<EnvVar> env = calicoNode(CniManifests.render(Plugin.CALICO, "", podSubnet, MIRROR)).getEnv();
    assertThat(env.stream().filter(e -> e.getName().equals("IP_AUTODETECTION_METHOD")))
        .singleElement().satisfies(e -> {
          assertThat(e.getValue()).isEqualTo("kubernetes-internal-ip");
          assertThat(e.getValueFrom()).isNull();
        });
    List<String> names = env.stream().map(EnvVar::getName).toList();
    assertThat(names.indexOf("IP_AUTODETECTION_METHOD")).as("right after IP").isEqualTo(names.indexOf("IP") + 1);
    assertThat(env).filteredOn(e -> e.getName().equals("IP")).singleElement()
        .extracting(EnvVar::getValue).as("upstream's IP=autodetect stays").isEqualTo("autodetect");
  }

  @Test
  void settingAVariableReplacesEveryValueItHadInPlaceOfTheFirst() {
    Container c = new Container();
    c.setEnv(new ArrayList<>(List.of(new EnvVar("A", "1", null), new EnvVar("IP_AUTODETECTION_METHOD", "first-found", null),
        new EnvVar("IP", "autodetect", null), new EnvVar("IP_AUTODETECTION_METHOD", "can-reach=1.1.1.1", null))));
    CniManifests.setEnv(c, new EnvVar("IP_AUTODETECTION_METHOD", "kubernetes-internal-ip", null), "IP");
    assertThat(c.getEnv()).containsExactly(new EnvVar("A", "1", null),
        new EnvVar("IP_AUTODETECTION_METHOD", "kubernetes-internal-ip", null), new EnvVar("IP", "autodetect", null));

    Container fresh = new Container();
    fresh.setEnv(new ArrayList<>(List.of(new EnvVar("IP", "autodetect", null), new EnvVar("B", "2", null))));
    CniManifests.setEnv(fresh, new EnvVar("IP_AUTODETECTION_METHOD", "kubernetes-internal-ip", null), "IP");
    assertThat(fresh.getEnv()).extracting(EnvVar::getName).containsExactly("IP", "IP_AUTODETECTION_METHOD", "B");
    CniManifests.setEnv(fresh, new EnvVar("C", "3", null), "nothing");
    assertThat(fresh.getEnv()).extracting(EnvVar::getName).containsExactly("IP", "IP_AUTODETECTION_METHOD", "B", "C");
  }

  @Test
  @SuppressWarnings("unchecked")
  void calicoGetsABgpConfigurationBindingBirdToTheNodeIpAppliedLast() throws IOException {
    List<HasMetadata> objects = CniManifests.render(Plugin.CALICO, "", SEED_POD_SUBNET, MIRROR);
    HasMetadata last = objects.get(objects.size() - 1);
    assertThat(last).isInstanceOf(GenericKubernetesResource.class);
    assertThat(objects).filteredOn(GenericKubernetesResource.class::isInstance).containsExactly(last);
    assertThat(last.getApiVersion()).isEqualTo("crd.projectcalico.org/v1");
    assertThat(last.getKind()).isEqualTo("BGPConfiguration");
    assertThat(last.getMetadata().getName()).isEqualTo("default");
    assertThat(last.getMetadata().getNamespace()).isNull();
    Map<String, Object> spec = (Map<String, Object>) ((GenericKubernetesResource) last).getAdditionalProperties().get("spec");
    assertThat(spec).containsExactly(Map.entry("bindMode", "NodeIP"), Map.entry("nodeToNodeMeshEnabled", true),
        Map.entry("asNumber", 64512), Map.entry("logSeverityScreen", "Info"));

    // its CRD is among the objects, cluster-scoped, and its schema has these fields with these types
    CustomResourceDefinition crd = objects.stream().filter(CustomResourceDefinition.class::isInstance)
        .map(CustomResourceDefinition.class::cast)
        .filter(c -> c.getMetadata().getName().equals("bgpconfigurations.crd.projectcalico.org")).findFirst().orElseThrow();
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("BGPConfiguration");
    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getVersions()).extracting(v -> v.getName()).containsExactly("v1");
    Map<String, io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps> fields = crd.getSpec().getVersions()
        .get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
    assertThat(fields.get("bindMode").getType()).isEqualTo("string");
    assertThat(fields.get("nodeToNodeMeshEnabled").getType()).isEqualTo("boolean");
    assertThat(fields.get("asNumber").getType()).isEqualTo("integer");
    assertThat(fields.get("logSeverityScreen").getType()).isEqualTo("string");
  }

  @Test
  void everyCalicoCrdCarriesUpstreamsSchema() {
    List<CustomResourceDefinition> crds = CniManifests.render(Plugin.CALICO, "", SEED_POD_SUBNET, "").stream()
        .filter(CustomResourceDefinition.class::isInstance).map(CustomResourceDefinition.class::cast).toList();
    assertThat(crds).hasSize(24).allSatisfy(crd -> assertThat(crd.getSpec().getVersions()).isNotEmpty()
        .allSatisfy(v -> {
          var schema = v.getSchema().getOpenAPIV3Schema();
          assertThat(schema.getType()).as(crd.getMetadata().getName()).isEqualTo("object");
          assertThat(schema.getXKubernetesPreserveUnknownFields()).as(crd.getMetadata().getName()).isNotEqualTo(true);
          assertThat(schema.getProperties()).as(crd.getMetadata().getName()).containsKeys("apiVersion", "kind", "metadata");
        }));
    assertThat(crds).filteredOn(c -> c.getSpec().getGroup().equals("crd.projectcalico.org")).hasSize(22);
    assertThat(crds).filteredOn(c -> c.getSpec().getGroup().equals("policy.networking.k8s.io")).hasSize(2)
        .allSatisfy(c -> assertThat(c.getMetadata().getAnnotations()).containsKey("api-approved.kubernetes.io"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shipped")
  void apartFromCairnsSettingsEveryObjectIsUpstreams(Plugin plugin, String version) throws IOException {
    Map<String, JsonNode> upstream = new java.util.LinkedHashMap<>();
    String path = "/dev/cairn/cni/" + plugin.name().toLowerCase() + "/" + version + ".yaml";
    try (InputStream in = CniManifests.class.getResourceAsStream(path);
        com.fasterxml.jackson.databind.MappingIterator<JsonNode> docs = new ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readerFor(JsonNode.class).readValues(in)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          upstream.put(key(doc), withoutNulls(doc));
        }
      }
    }
    Map<String, JsonNode> rendered = new java.util.LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (HasMetadata o : CniManifests.render(plugin, version, SEED_POD_SUBNET, "")) {
      JsonNode node = withoutNulls(new io.fabric8.kubernetes.client.utils.KubernetesSerialization().convertValue(o, JsonNode.class));
      rendered.put(key(node), node);
    }

    // Cairn's own settings, taken out again
    if (plugin == Plugin.CALICO) {
      assertThat(rendered.remove("crd.projectcalico.org/v1 BGPConfiguration /default")).isNotNull();
      JsonNode env = rendered.get("apps/v1 DaemonSet kube-system/calico-node").at("/spec/template/spec/containers/0/env");
      removeEnv(env, "CALICO_IPV4POOL_CIDR");
      removeEnv(env, "IP_AUTODETECTION_METHOD");
    } else {
      JsonNode ds = rendered.get("apps/v1 DaemonSet kube-flannel/kube-flannel-ds");
      removeEnv(ds.at("/spec/template/spec/containers/0/env"), "FLANNELD_IFACE");
      String cfg = "v1 ConfigMap kube-flannel/kube-flannel-cfg";
      com.fasterxml.jackson.databind.node.ObjectNode mine = (com.fasterxml.jackson.databind.node.ObjectNode)
          json.readTree(rendered.get(cfg).at("/data/net-conf.json").asText());
      com.fasterxml.jackson.databind.node.ObjectNode theirs = (com.fasterxml.jackson.databind.node.ObjectNode)
          json.readTree(upstream.get(cfg).at("/data/net-conf.json").asText());
      assertThat(mine.remove("Network").asText()).isEqualTo(SEED_POD_SUBNET);
      theirs.remove("Network");
      assertThat(mine).isEqualTo(theirs);
      ((com.fasterxml.jackson.databind.node.ObjectNode) rendered.get(cfg).get("data"))
          .set("net-conf.json", upstream.get(cfg).at("/data/net-conf.json"));
    }

    assertThat(rendered.keySet()).as("the same objects").containsExactlyInAnyOrderElementsOf(upstream.keySet());
    java.util.Comparator<JsonNode> numbersByValue = (a, b) -> a.isNumber() && b.isNumber()
        ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
    for (Map.Entry<String, JsonNode> e : upstream.entrySet()) {
      assertThat(rendered.get(e.getKey()).equals(numbersByValue, e.getValue()))
          .as("%s as upstream has it:%n%s%nrendered:%n%s", e.getKey(), e.getValue(), rendered.get(e.getKey())).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"v0.28.10", "v0.28.4"})
  void flanneldTakesTheInterfaceOfTheNodesInternalIp(String version) {
    DaemonSet ds = CniManifests.render(Plugin.FLANNEL, version, SEED_POD_SUBNET, MIRROR).stream()
        .filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow();
    Container flannel = ds.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("kube-flannel")).findFirst().orElseThrow();
    assertThat(flannel.getEnv()).filteredOn(e -> e.getName().equals("FLANNELD_IFACE")).singleElement()
        .satisfies(e -> {
          assertThat(e.getValue()).isNull();
          assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
        });
    assertThat(flannel.getArgs()).as("no interface argument, so a cni patch's --iface wins")
        .noneMatch(a -> a.startsWith("--iface"));
    assertThat(ds.getSpec().getTemplate().getSpec().getHostNetwork()).as("status.hostIP is the node's").isTrue();
    assertThat(ds.getSpec().getTemplate().getSpec().getInitContainers())
        .allSatisfy(c -> assertThat(c.getEnv()).noneMatch(e -> e.getName().equals("FLANNELD_IFACE")));
  }

  private static String key(JsonNode object) {
    return object.path("apiVersion").asText() + " " + object.path("kind").asText() + " "
        + object.at("/metadata/namespace").asText("") + "/" + object.at("/metadata/name").asText();
  }

  private static void removeEnv(JsonNode env, String name) {
    com.fasterxml.jackson.databind.node.ArrayNode list = (com.fasterxml.jackson.databind.node.ArrayNode) env;
    int before = list.size();
    for (int i = list.size() - 1; i >= 0; i--) {
      if (list.get(i).path("name").asText().equals(name)) {
        list.remove(i);
      }
    }
    assertThat(list.size()).as("one %s", name).isEqualTo(before - 1);
  }

  /** A copy without null-valued fields (upstream's CRDs carry creationTimestamp: null). */
  private static JsonNode withoutNulls(JsonNode node) {
    JsonNode copy = node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      List<String> nulls = new ArrayList<>();
      o.fields().forEachRemaining(f -> {
        if (f.getValue().isNull()) {
          nulls.add(f.getKey());
        } else {
          strip(f.getValue());
        }
      });
      o.remove(nulls);
    } else if (node.isArray()) {
      node.forEach(CniManifestsTest::strip);
    }
  }

  static Container calicoNode(List<HasMetadata> objects) {
    DaemonSet ds = objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
        .filter(d -> d.getMetadata().getName().equals("calico-node")).findFirst().orElseThrow();
    return ds.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("calico-node")).findFirst().orElseThrow();
  }

  /** Images of all init containers and containers, in manifest order. */
  static List<String> images(List<HasMetadata> objects) {
    List<String> images = new ArrayList<>();
    for (HasMetadata o : objects) {
      PodSpec spec = o instanceof DaemonSet d ? d.getSpec().getTemplate().getSpec()
          : o instanceof Deployment d ? d.getSpec().getTemplate().getSpec() : null;
      if (spec != null) {
        Stream.of(spec.getInitContainers(), spec.getContainers()).flatMap(List::stream)
            .forEach(c -> images.add(c.getImage()));
      }
    }
    return images;
  }

  /** The images as the shipped file writes them, read as text, not through the renderer. */
  private static List<String> imagesInFile(Plugin plugin, String version) throws IOException {
    String path = "/dev/cairn/cni/" + plugin.name().toLowerCase() + "/" + version + ".yaml";
    try (InputStream in = CniManifests.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      Matcher m = Pattern.compile("(?m)^\\s*image:\\s*(\\S+)\\s*$")
          .matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      List<String> images = new ArrayList<>();
      while (m.find()) {
        images.add(m.group(1));
      }
      return images;
    }
  }
}
