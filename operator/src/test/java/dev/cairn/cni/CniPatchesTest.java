package dev.cairn.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.api.v1alpha1.CniPatch;
import dev.cairn.api.v1alpha1.CniSpec.Plugin;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.network.cni.patches: RFC 6902 on the rendered manifest, all or nothing. */
class CniPatchesTest {
  private static final String SLOW_PROBES = """
      - op: replace
        path: /spec/template/spec/containers/0/livenessProbe/periodSeconds
        value: 60
      - op: add
        path: /spec/template/spec/containers/0/livenessProbe/timeoutSeconds
        value: 30
      """;

  @Test
  void aPatchChangesTheObjectItNamesAfterCairnsOwnSettings() {
    List<HasMetadata> objects = render(new CniPatch("DaemonSet", "kube-flannel-ds", "kube-flannel", SLOW_PROBES));

    Container flannel = flannel(objects);
    assertThat(flannel.getLivenessProbe().getPeriodSeconds()).isEqualTo(60);
    assertThat(flannel.getLivenessProbe().getTimeoutSeconds()).isEqualTo(30);
    assertThat(flannel.getLivenessProbe().getHttpGet().getPath()).as("the rest of the probe stays").isEqualTo("/healthz");
    // the registry relocation happened before, and stays
    assertThat(flannel.getImage()).startsWith(CniManifestsTest.MIRROR + "/");
    // nothing else changed
    List<HasMetadata> plain = CniManifests.render(Plugin.FLANNEL, "", CniManifestsTest.SEED_POD_SUBNET,
        CniManifestsTest.MIRROR);
    assertThat(objects).hasSameSizeAs(plain);
    for (int i = 0; i < plain.size(); i++) {
      if (!(plain.get(i) instanceof DaemonSet)) {
        assertThat(objects.get(i)).isEqualTo(plain.get(i));
      }
    }
  }

  @Test
  void jsonWorksAsWellAsYamlAndANamespaceIsOptional() {
    List<HasMetadata> objects = render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{\"op\": \"add\", \"path\": \"/spec/template/spec/containers/0/args/-\", \"value\": \"--iface=eth1\"}]"));
    assertThat(flannel(objects).getArgs()).endsWith("--iface=eth1");
  }

  @Test
  void patchesApplyInOrder() {
    List<HasMetadata> objects = render(
        new CniPatch("DaemonSet", "kube-flannel-ds", null, "[{op: add, path: /metadata/labels/tier, value: one}]"),
        new CniPatch("DaemonSet", "kube-flannel-ds", null, "[{op: replace, path: /metadata/labels/tier, value: two}]"));
    assertThat(objects.stream().filter(DaemonSet.class::isInstance).findFirst().orElseThrow().getMetadata()
        .getLabels()).containsEntry("tier", "two");
  }

  @Test
  void calicosUpstreamManifestAndItsBgpConfigurationTakePatchesToo() {
    List<HasMetadata> objects = CniManifests.render(Plugin.CALICO, "", CniManifestsTest.SEED_POD_SUBNET,
        CniManifestsTest.MIRROR, List.of(
            new CniPatch("DaemonSet", "calico-node", "kube-system", """
                - op: replace
                  path: /spec/template/spec/containers/0/livenessProbe/periodSeconds
                  value: 60
                """),
            new CniPatch("BGPConfiguration", "default", null, "[{op: replace, path: /spec/asNumber, value: 64600}]")));
    Container node = CniManifestsTest.calicoNode(objects);
    assertThat(node.getName()).isEqualTo("calico-node");
    assertThat(node.getLivenessProbe().getPeriodSeconds()).isEqualTo(60);
    assertThat(node.getLivenessProbe().getExec().getCommand()).as("the rest of upstream's probe stays")
        .contains("-felix-live", "-bird-live");
    assertThat(node.getEnv()).anyMatch(e -> e.getName().equals("IP_AUTODETECTION_METHOD"));
    GenericKubernetesResource bgp = (GenericKubernetesResource) objects.get(objects.size() - 1);
    assertThat(bgp.<Object>get("spec", "asNumber")).isEqualTo(64600);
    assertThat(bgp.<String>get("spec", "bindMode")).isEqualTo("NodeIP");
  }

  @Test
  void aPatchThatMatchesNothingIsRefusedByName() {
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "calico-node", null, SLOW_PROBES)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cni patch 1 (DaemonSet calico-node) matches no object of the flannel v0.28.10 manifest");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", "kube-system", SLOW_PROBES)))
        .hasMessageContaining("in namespace kube-system");
  }

  @Test
  void aPatchThatDoesNotApplyOrIsNoPatchIsRefused() {
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: replace, path: /spec/template/spec/containers/7/image, value: x}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cni patch 1 (DaemonSet kube-flannel-ds) does not apply");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: test, path: /spec/template/spec/hostNetwork, value: false}]")))
        .hasMessageContaining("does not apply");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null, "spec: {}")))
        .hasMessageContaining("must be a non-empty list of RFC 6902 operations");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null, "[{value: 1}]")))
        .hasMessageContaining("every operation needs an op and a path");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null, "[{op: add")))
        .hasMessageContaining("is neither YAML nor JSON");
  }

  @Test
  void aRemovalOfNothingANameForAnIndexAndAnObjectWithoutMetadataAreRefusedToo() {
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: remove, path: /spec/template/spec/containers/0/livenessProbe/timeoutSeconds}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not apply");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: replace, path: /spec/template/spec/containers/kube-flannel, value: {}}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cni patch 1 (DaemonSet kube-flannel-ds)");
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: remove, path: /metadata}]")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cni patch 1 (DaemonSet kube-flannel-ds)");
  }

  @Test
  void aPatchMayNotRenameOrMoveItsObject() {
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null,
        "[{op: replace, path: /metadata/name, value: other}]")))
        .hasMessage("cni patch 1 (DaemonSet kube-flannel-ds) may not change the object's kind, name or namespace");
  }

  @Test
  void theSecondOfTwoPatchesFailingRendersNothing() {
    assertThatThrownBy(() -> render(new CniPatch("DaemonSet", "kube-flannel-ds", null, SLOW_PROBES),
        new CniPatch("ConfigMap", "missing", null, SLOW_PROBES)))
        .hasMessageStartingWith("cni patch 2 (ConfigMap missing)");
  }

  private static List<HasMetadata> render(CniPatch... patches) {
    return CniManifests.render(Plugin.FLANNEL, "", CniManifestsTest.SEED_POD_SUBNET, CniManifestsTest.MIRROR,
        List.of(patches));
  }

  private static Container flannel(List<HasMetadata> objects) {
    return objects.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast).findFirst().orElseThrow()
        .getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
