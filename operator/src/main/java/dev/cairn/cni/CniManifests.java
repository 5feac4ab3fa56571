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
 *   <li><b>calico</b> (the default): Cairn's own manifest modelled on upstream's
 *       {@code manifests/calico.yaml} (calico-node DaemonSet, calico-kube-controllers, Calico IPAM,
 *       Kubernetes API datastore, no Tigera operator); its header says how it differs.
 *   <li><b>none</b>: nothing; the user brings a CNI.
 * </ul>
 *
 * <p><b>Pod network.</b> {@code podSubnet} (an IPv4 CIDR) becomes Calico's default pool,
 * {@code CALICO_IPV4POOL_CIDR} on the calico-node container, or flannel's {@code Network} in
 * {@code net-conf.json} of the {@code kube-flannel-cfg} ConfigMap.
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
   * Objects in apply order (CRDs and Namespaces first), ready for server-side apply. Empty for NONE.
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
      case CALICO -> setCalicoPool(objects, podSubnet);
      case FLANNEL -> setFlannelNetwork(objects, podSubnet);
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

  private static void setCalicoPool(List<HasMetadata> objects, String podSubnet) {
    DaemonSet node = find(objects, DaemonSet.class, "kube-system", "calico-node");
    Container container = node.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("calico-node")).findFirst()
        .orElseThrow(() -> new IllegalStateException("calico-node DaemonSet has no calico-node container"));
    Optional<EnvVar> existing = container.getEnv().stream()
        .filter(e -> e.getName().equals(CALICO_POOL_CIDR)).findFirst();
    if (existing.isPresent()) {
      existing.get().setValue(podSubnet);
      existing.get().setValueFrom(null);
    } else {
      container.getEnv().add(new EnvVar(CALICO_POOL_CIDR, podSubnet, null));
    }
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

  private static int applyRank(HasMetadata object) {
    return object instanceof CustomResourceDefinition || object instanceof Namespace ? 0 : 1;
  }
}
