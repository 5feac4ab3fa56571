package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneArgs;
import dev.cairn.api.v1alpha1.KubeadmPatch;
import dev.cairn.api.v1alpha1.KubeadmTimeouts;
import dev.cairn.api.v1alpha1.RegistrySpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The spec's JSON is exactly the schema's field names both ways: a convenience accessor that
 * Jackson took for a property once made every watch event of such a Cluster undecodable.
 */
class ClusterSpecJsonTest {
  @Test
  @SuppressWarnings("unchecked")
  void theAirGappedAndSlowSiteFieldsRoundTripUnderTheirSchemaNames() {
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.34.4");
    spec.setRegistries(List.of(new RegistrySpec("10.78.0.1:5000", true, null), new RegistrySpec("reg.lab", null, true)));
    spec.setKubeadmTimeouts(new KubeadmTimeouts("30m", null, null, null, null, "1h"));
    spec.getControlPlane().setExtraArgs(new ControlPlaneArgs(null, null, Map.of("leader-elect", "false"), null));
    spec.getControlPlane().setPatches(List.of(new KubeadmPatch(KubeadmPatch.Target.ETCD, null, "spec: {}")));
    Cluster cluster = new Cluster();
    cluster.setSpec(spec);
    KubernetesSerialization json = new KubernetesSerialization();

    Map<String, Object> tree = json.unmarshal(json.asJson(cluster), Map.class);
    Map<String, Object> s = (Map<String, Object>) tree.get("spec");
    assertThat((List<Map<String, Object>>) s.get("registries")).containsExactly(
        Map.of("host", "10.78.0.1:5000", "plainHTTP", true), Map.of("host", "reg.lab", "skipTLSVerify", true));
    assertThat((Map<String, Object>) s.get("kubeadmTimeouts")).containsOnlyKeys("controlPlaneComponentHealthCheck", "discovery");
    assertThat((Map<String, Object>) s.get("controlPlane")).containsOnlyKeys("schedulable", "extraArgs", "patches");
    assertThat(((List<Map<String, Object>>) ((Map<String, Object>) s.get("controlPlane")).get("patches")).get(0))
        .containsOnlyKeys("target", "patch").containsEntry("target", "etcd");

    Cluster back = json.unmarshal(json.asJson(cluster), Cluster.class);
    assertThat(back.getSpec().getRegistries()).isEqualTo(spec.getRegistries());
    assertThat(back.getSpec().getKubeadmTimeouts()).isEqualTo(spec.getKubeadmTimeouts());
    assertThat(back.getSpec().getControlPlane().getPatches()).isEqualTo(spec.getControlPlane().getPatches());
  }
}
