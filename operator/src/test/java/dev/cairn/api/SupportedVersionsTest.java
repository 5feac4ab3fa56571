package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.common.KubernetesVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The supported minors are one list; the lab, the README and the examples follow it. */
class SupportedVersionsTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theSupportedMinorsFollowEachOtherOldestFirst() {
    List<String> minors = ClusterSpec.supportedMinors();
    assertThat(minors).hasSizeGreaterThanOrEqualTo(3);
    for (int i = 1; i < minors.size(); i++) {
      assertThat(minor(minors.get(i))).isEqualTo(minor(minors.get(i - 1)) + 1);
    }
  }

  @Test
  void theLabProvesASupportedMinor() throws Exception {
    Matcher m = Pattern.compile("KUBE_VERSION=\\$\\{KUBE_VERSION:-(v[0-9.]+)}")
        .matcher(Files.readString(ROOT.resolve("scripts/versions.env")));
    assertThat(m.find()).isTrue();
    assertThat(ClusterSpec.supportedMinors()).contains(KubernetesVersion.parse(m.group(1)).minorLine());
  }

  @Test
  void theReadmeAndTheExamplesNameSupportedVersions() throws Exception {
    List<String> minors = ClusterSpec.supportedMinors();
    assertThat(Files.readString(ROOT.resolve("README.md")))
        .contains("supported minors " + minors.get(0) + " to " + minors.get(minors.size() - 1));
    try (var examples = Files.list(ROOT.resolve("examples"))) {
      for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Matcher m = Pattern.compile("kubernetesVersion: (v[0-9.]+)").matcher(Files.readString(example));
        while (m.find()) {
          assertThat(minors).as(example.toString()).contains(KubernetesVersion.parse(m.group(1)).minorLine());
        }
      }
    }
  }

  private static int minor(String minorLine) {
    return Integer.parseInt(minorLine.substring(minorLine.indexOf('.') + 1));
  }
}
