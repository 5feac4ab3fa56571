package dev.cairn.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.cairn.runtime.EmbeddedManagementCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The chart in {@code helm/cairn}, rendered by Helm itself (its Go library, through helm-java)
 * and read back as Kubernetes objects.
 */
final class Chart {
  static final KubernetesSerialization YAML = new KubernetesSerialization();
  /** The Kubernetes version rendered for: the test API server's. */
  static final String KUBE_VERSION =
      "v" + System.getProperty("cairn.kube.version", EmbeddedManagementCluster.DEFAULT_VERSION);

  private Chart() {}

  static Path dir() {
    Path dir = Path.of(System.getProperty("cairn.chart.dir", "../helm/cairn")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
      throw new IllegalStateException("no Helm chart at " + dir + " (-Dcairn.chart.dir)");
    }
    return dir;
  }

  static Helm helm() {
    return new Helm(dir());
  }

  /** {@code helm template} with these values (merged over values.yaml), as objects. */
  static Rendered render(String release, String namespace, Map<String, Object> values) {
    TemplateCommand template = helm().template().withName(release).withNamespace(namespace)
        .withKubeVersion(KUBE_VERSION);
    if (!values.isEmpty()) {
      template.withValuesFile(valuesFile(values));
    }
    return new Rendered(parse(template.call()));
  }

  /** A values file in target/, so a failing test leaves it to look at. */
  static Path valuesFile(Map<String, Object> values) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "chart-values"));
      Path file = Files.createTempFile(dir, "values-", ".yaml");
      Files.writeString(file, YAML.asYaml(values));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : documents(manifests)) {
      Object parsed = YAML.unmarshal(document);
      if (parsed instanceof KubernetesList list) {
        objects.addAll(list.getItems());
      } else {
        objects.add((HasMetadata) parsed);
      }
    }
    return objects;
  }

  /** Each document of a multi-document YAML stream as plain maps, e.g. kinds with no model here. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> parseMaps(String yaml) {
    return documents(yaml).stream().map(d -> (Map<String, Object>) YAML.unmarshal(d, Map.class)).toList();
  }

  private static List<String> documents(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---\\s*$"))
        .filter(d -> !d.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#")))
        .toList();
  }

  /** What one {@code helm template} produced. */
  record Rendered(List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
      List<T> found = all(type);
      if (found.size() != 1) {
        throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
      }
      return found.get(0);
    }

    Optional<HasMetadata> find(String kind, String namespace, String name) {
      return objects.stream()
          .filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name)
              && Objects.equals(o.getMetadata().getNamespace(), namespace))
          .findFirst();
    }

    List<String> kinds() {
      return objects.stream().map(HasMetadata::getKind).toList();
    }
  }
}
