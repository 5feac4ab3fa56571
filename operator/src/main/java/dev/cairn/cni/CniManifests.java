package dev.cairn.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.api.v1alpha1.CniPatch;
import dev.cairn.api.v1alpha1.CniSpec.Plugin;
import dev.cairn.api.v1alpha1.CniSpec;
import dev.cairn.common.Cidr;
import dev.cairn.common.ClasspathText;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CNI manifests shipped inside the operator jar ({@code dev/cairn/cni/<plugin>/<version>.yaml})
 * and rendered for one workload cluster, ready for server-side apply through its API. Nothing is
 * downloaded at run time.
 *
 * <ul>
 *   <li><b>flannel</b>: upstream's own {@code Documentation/kube-flannel.yml}, vendored unmodified
 *       by {@code scripts/vendor-cni.sh}.
 *   <li><b>calico</b> (the default): upstream's own {@code manifests/calico.yaml} (calico-node
 *       DaemonSet, calico-kube-controllers, Calico IPAM, Kubernetes API datastore, no Tigera
 *       operator), vendored unmodified by {@code scripts/vendor-calico.sh}.
 *   <li><b>none</b>: nothing; the user brings a CNI.
 * </ul>
 *
 * <p><b>Pod network.</b> {@code podSubnet} (an IPv4 CIDR) becomes Calico's default pool,
 * {@code CALICO_IPV4POOL_CIDR} on the calico-node container (upstream leaves it commented out, so
 * it is added), or flannel's {@code Network} in {@code net-conf.json} of the
 * {@code kube-flannel-cfg} ConfigMap.
 *
 * <p><b>The node's address on hosts with several interfaces.</b> Cairn gives kubelet the node's
 * advertise address as {@code --node-ip}, so it is the Node's InternalIP. Both CNIs are made to
 * use it, rather than upstream's default (Calico's first interface found, flannel's interface of
 * the default route), which on the seed's hosts is the NAT interface, 10.0.2.15 on every guest
 * under QEMU user networking:
 * <ul>
 *   <li>calico-node gets {@code IP_AUTODETECTION_METHOD=kubernetes-internal-ip} (exactly once);
 *   <li>Calico gets a {@code BGPConfiguration default} with {@code bindMode: NodeIP}, so BIRD
 *       listens for BGP on the node's address only, not on every address (its default); the
 *       other fields are Calico's defaults (node-to-node mesh, AS 64512, Info). It is a custom
 *       resource and comes after every other object: {@link CniApply} applies it once its CRD is
 *       Established;
 *   <li>flanneld gets {@code FLANNELD_IFACE} from the pod's {@code status.hostIP} (see
 *       {@link #setFlannelInterface}).
 * </ul>
 *
 * <p><b>Image repository (air-gapped sites).</b> When {@code imageRepository} is not empty, the
 * registry host of every image of every container and init container of every workload is
 * replaced by it, and the repository path and tag or digest are kept:
 * {@code docker.io/calico/node:v3.30.3} becomes {@code <repo>/calico/node:v3.30.3} and
 * {@code ghcr.io/flannel-io/flannel:v0.28.10} becomes {@code <repo>/flannel-io/flannel:v0.28.10}.
 * As in Docker, the first path segment is a registry host only if it contains a {@code .} or a
 * {@code :} or is {@code localhost}; otherwise the image is on docker.io and its whole name is the
 * path ({@code calico/node} → {@code <repo>/calico/node}), and a single-segment name is a
 * docker.io official image ({@code busybox} → {@code <repo>/library/busybox}). The mirror must hold
 * the images under those paths.
 */
public final class CniManifests {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Shipped versions, newest (the default) first; each has its {@code <plugin>/<version>.yaml}. */
  private static final Map<Plugin, List<String>> VERSIONS = Map.of(
      Plugin.CALICO, List.of("v3.30.3"),
      Plugin.FLANNEL, List.of("v0.28.10", "v0.28.4"),
      Plugin.NONE, List.of());
  static final String CALICO_POOL_CIDR = "CALICO_IPV4POOL_CIDR";
  static final String CALICO_AUTODETECTION = "IP_AUTODETECTION_METHOD";
  static final String CALICO_AUTODETECTION_METHOD = "kubernetes-internal-ip";
  static final String FLANNEL_IFACE = "FLANNELD_IFACE";
  /**
   * Calico's global BGP settings, its defaults but for {@code bindMode}: BIRD listens on the
   * node's IP only ({@code confd}'s {@code bird.cfg.template}: {@code listen bgp address <node IP>}).
   */
  private static final String CALICO_BGP_CONFIGURATION = """
      apiVersion: crd.projectcalico.org/v1
      kind: BGPConfiguration
      metadata:
        name: default
      spec:
        bindMode: NodeIP
        nodeToNodeMeshEnabled: true
        asNumber: 64512
        logSeverityScreen: Info
      """;

  private CniManifests() {
  }

  /** The version used when spec.network.cni.version is empty; empty for {@code none}. */
  public static String defaultVersion(CniSpec.Plugin plugin) {
    List<String> versions = supportedVersions(plugin);
    return versions.isEmpty() ? "" : versions.get(0);
  }

  /** The versions this Cairn ships, the default first; empty for {@code none}. */
  public static List<String> supportedVersions(CniSpec.Plugin plugin) {
    return VERSIONS.get(plugin);
  }

  /**
   * Objects in apply order (CRDs and Namespaces first, custom resources last), ready for
   * server-side apply by {@link CniApply}. Empty for NONE.
   *
   * @param version empty or null for {@link #defaultVersion}
   * @param podSubnet the cluster's pod network, an IPv4 CIDR
   * @param imageRepository empty or null to keep upstream's registries
   * @throws UnsupportedCniException (extends IllegalArgumentException) naming the supported versions
   * @throws IllegalArgumentException when {@code podSubnet} is not an IPv4 CIDR
   */
  public static List<HasMetadata> render(CniSpec.Plugin plugin, String version, String podSubnet,
      String imageRepository) {
    return render(plugin, version, podSubnet, imageRepository, List.of());
  }

  /**
   * {@link #render(CniSpec.Plugin, String, String, String)}, then each of {@code patches} in order
   * on the object it names.
   *
   * @throws IllegalArgumentException naming the patch, when it is not a list of RFC 6902
   *     operations, matches no object, does not apply, or changes the object's kind, name or
   *     namespace; nothing is rendered then
   */
  public static List<HasMetadata> render(CniSpec.Plugin plugin, String version, String podSubnet,
      String imageRepository, List<CniPatch> patches) {
    List<HasMetadata> rendered = renderUnpatched(plugin, version, podSubnet, imageRepository);
    List<CniPatch> all = patches == null ? List.of() : patches;
    if (plugin == Plugin.NONE || all.isEmpty()) {
      return rendered;
    }
    String manifest = plugin.name().toLowerCase(Locale.ROOT) + " "
        + (version == null || version.isBlank() ? defaultVersion(plugin) : version);
    List<HasMetadata> objects = new ArrayList<>(rendered);
    for (int i = 0; i < all.size(); i++) {
      CniPatch patch = all.get(i);
      String what = "cni patch " + (i + 1) + " (" + patch.kind() + " " + patch.name() + ")";
      JsonNode ops = parsePatch(patch.patch(), what);
      boolean matched = false;
      for (int j = 0; j < objects.size(); j++) {
        HasMetadata o = objects.get(j);
        if (!o.getKind().equals(patch.kind()) || !o.getMetadata().getName().equals(patch.name())
            || patch.namespace() != null && !patch.namespace().isBlank()
                && !patch.namespace().equals(o.getMetadata().getNamespace())) {
          continue;
        }
        matched = true;
        HasMetadata result;
        try {
          JsonNode patched = JsonPatch.apply(ops, SERIALIZATION.convertValue(o, JsonNode.class),
              EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT));
          result = SERIALIZATION.convertValue(patched, o.getClass());
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(what + " does not apply: " + e.getMessage(), e);
        }
        if (result.getMetadata() == null || !o.getKind().equals(result.getKind())
            || !o.getMetadata().getName().equals(result.getMetadata().getName())
            || !java.util.Objects.equals(o.getMetadata().getNamespace(), result.getMetadata().getNamespace())) {
          throw new IllegalArgumentException(what + " may not change the object's kind, name or namespace");
        }
        objects.set(j, result);
      }
      if (!matched) {
        throw new IllegalArgumentException(what + " matches no object of the " + manifest + " manifest"
            + (patch.namespace() == null || patch.namespace().isBlank() ? "" : " in namespace " + patch.namespace()));
      }
    }
    return objects;
  }

  private static JsonNode parsePatch(String text, String what) {
    JsonNode ops;
    try {
      ops = YAML.readTree(text == null ? "" : text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is neither YAML nor JSON: " + e.getOriginalMessage(), e);
    }
    if (ops == null || !ops.isArray() || ops.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty list of RFC 6902 operations (op, path, value)");
    }
    for (JsonNode op : ops) {
      if (!op.isObject() || !op.path("op").isTextual() || !op.path("path").isTextual()) {
        throw new IllegalArgumentException(what + ": every operation needs an op and a path, not " + op);
      }
    }
    return ops;
  }

  private static List<HasMetadata> renderUnpatched(CniSpec.Plugin plugin, String version, String podSubnet,
      String imageRepository) {
    if (plugin == Plugin.NONE) {
      return List.of();
    }
    String wanted = version == null || version.isBlank() ? defaultVersion(plugin) : version;
    if (!supportedVersions(plugin).contains(wanted)) {
      throw new UnsupportedCniException(plugin, wanted, supportedVersions(plugin));
    }
    requireIpv4Cidr(podSubnet);
    List<HasMetadata> objects = load(plugin, wanted);
    switch (plugin) {
      case CALICO -> {
        setCalicoPool(objects, podSubnet);
        setCalicoAutodetection(objects);
        objects.add((HasMetadata) SERIALIZATION.unmarshal(CALICO_BGP_CONFIGURATION));
      }
      case FLANNEL -> {
        setFlannelNetwork(objects, podSubnet);
        setFlannelInterface(objects);
      }
      default -> throw new IllegalStateException("no renderer for " + plugin);
    }
    if (imageRepository != null && !imageRepository.isBlank()) {
      for (HasMetadata object : objects) {
        podSpec(object).ifPresent(spec -> Stream.of(spec.getInitContainers(), spec.getContainers())
            .flatMap(List::stream)
            .forEach(c -> c.setImage(relocate(c.getImage(), imageRepository))));
      }
    }
    List<HasMetadata> ordered = new ArrayList<>(objects);
    ordered.sort(Comparator.comparingInt(CniManifests::applyRank)); // stable: file order otherwise
    return ordered;
  }

  /** The workloads whose readiness means the CNI runs. Empty for NONE. */
  public static List<Workload> readiness(CniSpec.Plugin plugin) {
    return switch (plugin) {
      case CALICO -> List.of(new Workload("DaemonSet", "kube-system", "calico-node"),
          new Workload("Deployment", "kube-system", "calico-kube-controllers"));
      case FLANNEL -> List.of(new Workload("DaemonSet", "kube-flannel", "kube-flannel-ds"));
      case NONE -> List.of();
    };
  }

  /** A workload by kind ({@code DaemonSet}, {@code Deployment}), namespace and name. */
  public record Workload(String kind, String namespace, String name) {}

  /** {@code image} moved to {@code repository}, by the rule in the class comment. */
  static String relocate(String image, String repository) {
    String repo = repository.endsWith("/") ? repository.substring(0, repository.length() - 1) : repository;
    int slash = image.indexOf('/');
    if (slash < 0) {
      return repo + "/library/" + image;
    }
    String first = image.substring(0, slash);
    boolean registryHost = first.contains(".") || first.contains(":") || first.equals("localhost");
    return repo + "/" + (registryHost ? image.substring(slash + 1) : image);
  }

  private static void requireIpv4Cidr(String podSubnet) {
    if (podSubnet == null || podSubnet.isBlank()) {
      throw new IllegalArgumentException("a pod subnet is needed for the CNI");
    }
    Cidr cidr = Cidr.parse(podSubnet);
    if (cidr.network().length != 4 || cidr.prefix() < 0 || cidr.prefix() > 32) {
      throw new IllegalArgumentException("the shipped CNI manifests take an IPv4 pod subnet, not " + podSubnet);
    }
  }

  private static List<HasMetadata> load(Plugin plugin, String version) {
    String path = "/dev/cairn/cni/" + plugin.name().toLowerCase(Locale.ROOT) + "/" + version + ".yaml";
    Object parsed = SERIALIZATION.unmarshal(ClasspathText.read(CniManifests.class, path));
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    List<HasMetadata> objects = new ArrayList<>();
    for (Object item : items) {
      objects.add((HasMetadata) item);
    }
    return objects;
  }

  private static Container container(List<HasMetadata> objects, String namespace, String daemonSet, String name) {
    DaemonSet ds = find(objects, DaemonSet.class, namespace, daemonSet);
    return ds.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException(daemonSet + " DaemonSet has no " + name + " container"));
  }

  /** {@code CALICO_IPV4POOL_CIDR} on calico-node: where the manifest has it, else last. */
  private static void setCalicoPool(List<HasMetadata> objects, String podSubnet) {
    setEnv(container(objects, "kube-system", "calico-node", "calico-node"),
        new EnvVar(CALICO_POOL_CIDR, podSubnet, null), null);
  }

  /**
   * {@code IP_AUTODETECTION_METHOD=kubernetes-internal-ip} on calico-node, exactly once: where the
   * manifest has it (every value replaced, the first kept in place), else right after {@code IP}.
   */
  private static void setCalicoAutodetection(List<HasMetadata> objects) {
    setEnv(container(objects, "kube-system", "calico-node", "calico-node"),
        new EnvVar(CALICO_AUTODETECTION, CALICO_AUTODETECTION_METHOD, null), "IP");
  }

  /**
   * flanneld's interface: the one carrying the node's InternalIP, which is the advertise address
   * Cairn gave kubelet as {@code --node-ip}. {@code FLANNELD_IFACE} (flannel reads
   * {@code FLANNELD_<FLAG>} for every flag not given as an argument) is set from the pod's
   * {@code status.hostIP}, which kubelet fills with that InternalIP; flanneld's {@code --iface=<IP>}
   * takes the interface holding that address and the address itself as its public IP. That is
   * right on every node, workers and control planes alike, and needs nothing from the Cluster's
   * spec. The alternatives are not: {@code --iface-can-reach=<control plane endpoint>} takes the
   * route to that address, which on the control plane whose own address it is goes through
   * {@code lo}, and an endpoint may be a name or a VIP; {@code --iface-regex} from the nodeSubnet
   * needs the optional nodeSubnet. A {@code cni.patches} argument {@code --iface=...} overrides
   * it (an argument wins over the variable); to use {@code --iface-regex} or
   * {@code --iface-can-reach} instead, the patch removes the variable too ({@code --iface} is
   * tried first).
   */
  private static void setFlannelInterface(List<HasMetadata> objects) {
    setEnv(container(objects, "kube-flannel", "kube-flannel-ds", "kube-flannel"),
        new EnvVar(FLANNEL_IFACE, null, new EnvVarSourceBuilder().withNewFieldRef()
            .withFieldPath("status.hostIP").endFieldRef().build()), null);
  }

  /**
   * {@code value} as the container's only variable of its name: in place of the first one there
   * is (the others removed), else after the variable named {@code after}, else last.
   */
  static void setEnv(Container container, EnvVar value, String after) {
    List<EnvVar> env = container.getEnv();
    int at = -1;
    for (int i = 0; i < env.size(); i++) {
      if (env.get(i).getName().equals(value.getName())) {
        at = i;
        break;
      }
    }
    env.removeIf(e -> e.getName().equals(value.getName()));
    if (at < 0) {
      at = env.size();
      for (int i = 0; i < env.size(); i++) {
        if (env.get(i).getName().equals(after)) {
          at = i + 1;
          break;
        }
      }
    }
    env.add(at, value);
  }

  private static void setFlannelNetwork(List<HasMetadata> objects, String podSubnet) {
    ConfigMap config = find(objects, ConfigMap.class, "kube-flannel", "kube-flannel-cfg");
    try {
      ObjectNode netConf = (ObjectNode) JSON.readTree(config.getData().get("net-conf.json"));
      netConf.put("Network", podSubnet);
      DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"));
      config.getData().put("net-conf.json", JSON.writer(printer).writeValueAsString(netConf) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("net-conf.json of the shipped flannel manifest is not JSON", e);
    }
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String namespace,
      String name) {
    return objects.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> namespace.equals(o.getMetadata().getNamespace()) && name.equals(o.getMetadata().getName()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the shipped manifest has no " + type.getSimpleName() + " "
            + namespace + "/" + name));
  }

  private static Optional<PodSpec> podSpec(HasMetadata object) {
    PodTemplateSpec template = null;
    if (object instanceof DaemonSet o) {
      template = o.getSpec().getTemplate();
    } else if (object instanceof Deployment o) {
      template = o.getSpec().getTemplate();
    } else if (object instanceof StatefulSet o) {
      template = o.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet o) {
      template = o.getSpec().getTemplate();
    } else if (object instanceof Job o) {
      template = o.getSpec().getTemplate();
    } else if (object instanceof CronJob o) {
      template = o.getSpec().getJobTemplate().getSpec().getTemplate();
    } else if (object instanceof Pod o) {
      return Optional.of(o.getSpec());
    }
    return Optional.ofNullable(template).map(PodTemplateSpec::getSpec);
  }

  /** CRDs and Namespaces, then the rest, then custom resources (whose CRDs must be served first). */
  private static int applyRank(HasMetadata object) {
    if (object instanceof CustomResourceDefinition || object instanceof Namespace) {
      return 0;
    }
    return object instanceof GenericKubernetesResource ? 2 : 1;
  }
}
