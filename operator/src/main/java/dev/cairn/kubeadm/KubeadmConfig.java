package dev.cairn.kubeadm;

import dev.cairn.common.KubernetesVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders the kubeadm configuration for {@code kubeadm init} from a Cluster and its first control
 * plane, in the {@code kubeadm.k8s.io} API version the Kubernetes minor version speaks: v1beta3
 * up to 1.30, v1beta4 from 1.31. Values are serialised as YAML, never pasted into text, so a spec
 * value cannot change the document's shape.
 *
 * @param advertiseAddress the control plane's address on the node network (the seed's host-only
 *     NIC), also the kubelet's node IP
 * @param controlPlaneEndpoint host:port all nodes use; empty for a single control plane
 * @param bootstrapToken {@code abcdef.0123456789abcdef}, a secret: the rendered file is one too
 */
public record KubeadmConfig(
    String clusterName,
    KubernetesVersion kubernetesVersion,
    String advertiseAddress,
    String controlPlaneEndpoint,
    String podSubnet,
    String serviceSubnet,
    String imageRepository,
    boolean schedulableControlPlane,
    String bootstrapToken,
    Duration bootstrapTokenTtl,
    KubeadmTuning tuning) {

  /** What a joining node's InitConfiguration has no use for. */
  private static final List<String> INIT_TIMEOUTS = List.of("controlPlaneComponentHealthCheck", "kubeletHealthCheck",
      "kubernetesAPICall", "etcdAPICall");

  public String apiVersion() {
    return kubernetesVersion.atLeast(1, 31) ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3";
  }

  private boolean v1beta4() {
    return apiVersion().endsWith("v1beta4");
  }

  public String render() {
    KubernetesSerialization yaml = new KubernetesSerialization();
    return yaml.asYaml(initConfiguration()) + yaml.asYaml(clusterConfiguration()) + yaml.asYaml(kubeletConfiguration());
  }

  private Map<String, Object> initConfiguration() {
    Map<String, Object> init = new LinkedHashMap<>();
    init.put("apiVersion", apiVersion());
    init.put("kind", "InitConfiguration");
    Map<String, Object> token = new LinkedHashMap<>();
    token.put("token", bootstrapToken);
    token.put("ttl", bootstrapTokenTtl.toSeconds() + "s");
    token.put("groups", List.of("system:bootstrappers:kubeadm:default-node-token"));
    token.put("usages", List.of("signing", "authentication"));
    init.put("bootstrapTokens", List.of(token));
    init.put("localAPIEndpoint", ordered("advertiseAddress", advertiseAddress, "bindPort", 6443));
    Map<String, Object> registration = new LinkedHashMap<>();
    registration.put("criSocket", "unix:///var/run/containerd/containerd.sock");
    registration.put("kubeletExtraArgs", v1beta4()
        ? List.of(KubeadmTuning.nameValue("node-ip", advertiseAddress))
        : Map.of("node-ip", advertiseAddress));
    if (schedulableControlPlane) {
      registration.put("taints", List.of());
    }
    init.put("nodeRegistration", registration);
    if (tuning.patches()) {
      init.put("patches", Map.of("directory", KubeadmTuning.PATCHES_DIR));
    }
    if (v1beta4()) {
      init.put("timeouts", tuning.timeoutsDocument(INIT_TIMEOUTS));
    }
    return init;
  }

  private Map<String, Object> clusterConfiguration() {
    Map<String, Object> cc = new LinkedHashMap<>();
    cc.put("apiVersion", apiVersion());
    cc.put("kind", "ClusterConfiguration");
    cc.put("clusterName", clusterName);
    cc.put("kubernetesVersion", kubernetesVersion.toString());
    if (controlPlaneEndpoint != null && !controlPlaneEndpoint.isBlank()) {
      cc.put("controlPlaneEndpoint", controlPlaneEndpoint);
    }
    if (imageRepository != null && !imageRepository.isBlank()) {
      cc.put("imageRepository", imageRepository);
    }
    if (v1beta4() && tuning.certificateValidity() != null) {
      // leaf certificates only: the CAs are Cairn's (ClusterPki), kept for their own ten years
      cc.put("certificateValidityPeriod", dev.cairn.common.GoDuration.format(tuning.certificateValidity()));
    }
    Map<String, Object> networking = new LinkedHashMap<>();
    networking.put("podSubnet", podSubnet);
    networking.put("serviceSubnet", serviceSubnet);
    networking.put("dnsDomain", "cluster.local");
    cc.put("networking", networking);
    Map<String, Object> apiServer = new LinkedHashMap<>();
    apiServer.put("certSANs", certSans());
    if (tuning.hasArgs("apiServer")) {
      apiServer.put("extraArgs", tuning.extraArgs("apiServer", v1beta4()));
    }
    if (!v1beta4()) {
      apiServer.put("timeoutForControlPlane", tuning.timeout("controlPlaneComponentHealthCheck"));
    }
    cc.put("apiServer", apiServer);
    for (String component : List.of("controllerManager", "scheduler")) {
      if (tuning.hasArgs(component)) {
        cc.put(component, Map.of("extraArgs", tuning.extraArgs(component, v1beta4())));
      }
    }
    if (tuning.hasArgs("etcd")) {
      cc.put("etcd", Map.of("local", Map.of("extraArgs", tuning.extraArgs("etcd", v1beta4()))));
    }
    return cc;
  }

  /** The endpoint's host (without brackets or port) and the advertise address. */
  List<String> certSans() {
    Set<String> sans = new LinkedHashSet<>();
    if (controlPlaneEndpoint != null && !controlPlaneEndpoint.isBlank()) {
      String host = controlPlaneEndpoint.substring(0, controlPlaneEndpoint.lastIndexOf(':'));
      sans.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
    }
    sans.add(advertiseAddress);
    return new ArrayList<>(sans);
  }

  private static Map<String, Object> kubeletConfiguration() {
    Map<String, Object> kubelet = new LinkedHashMap<>();
    kubelet.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
    kubelet.put("kind", "KubeletConfiguration");
    kubelet.put("cgroupDriver", "systemd");
    return kubelet;
  }

  /** Map.of iterates in a per-JVM random order; rendered files must not change from run to run. */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  @Override
  public String toString() {
    return "KubeadmConfig[" + clusterName + ", " + kubernetesVersion + ", token=(hidden)]";
  }
}
