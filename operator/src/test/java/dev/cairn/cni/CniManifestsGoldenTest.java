package dev.cairn.cni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.CniSpec.Plugin;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the operator applies, per shipped plugin and version, as golden files, so a manifest never
 * changes silently (rendered with the seed's pod subnet and an air-gapped mirror). Refresh with
 * {@code -Dcairn.golden.update=true}.
 */
class CniManifestsGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/cni");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static String yaml(List<HasMetadata> objects) {
    return objects.stream().map(SERIALIZATION::asYaml).collect(Collectors.joining());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("dev.cairn.cni.CniManifestsTest#shipped")
  void renderedManifestMatchesItsGoldenFile(Plugin plugin, String version) throws Exception {
    String rendered = yaml(CniManifests.render(plugin, version, CniManifestsTest.SEED_POD_SUBNET,
        CniManifestsTest.MIRROR));
    Path golden = GOLDEN.resolve(plugin.name().toLowerCase() + "-" + version + ".yaml");
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered);
    }
    assertThat(golden).as("golden file for %s %s (refresh with -Dcairn.golden.update=true)", plugin, version).exists();
    assertThat(rendered).isEqualTo(Files.readString(golden));
  }
}
