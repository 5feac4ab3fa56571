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

  /** KUBE_VERSION or KUBE_PREVIOUS_VERSION as scripts/versions.env defaults it. */
  static KubernetesVersion lab(String name) throws Exception {
    Matcher m = Pattern.compile(name + "=\\$\\{" + name + ":-(v[0-9.]+)}")
        .matcher(Files.readString(ROOT.resolve("scripts/versions.env")));
    assertThat(m.find()).as(name + " in scripts/versions.env").isTrue();
    return KubernetesVersion.parse(m.group(1));
  }

  @Test
  void theLabCreatesAtOneSupportedMinorAndUpgradesToTheNextWhichIsTheNewest() throws Exception {
    List<String> minors = ClusterSpec.supportedMinors();
    KubernetesVersion target = lab("KUBE_VERSION");
    KubernetesVersion previous = lab("KUBE_PREVIOUS_VERSION");
    assertThat(target.minorLine()).isEqualTo(minors.get(minors.size() - 1));
    assertThat(previous.minorsTo(target)).isEqualTo(1);
    assertThat(minors).contains(previous.minorLine());
    // the management cluster of the tests runs the same release the lab proves
    assertThat(Files.readString(ROOT.resolve("pom.xml")))
        .contains("<kube-api-test.k8s.version>" + target.bare() + "</kube-api-test.k8s.version>");
    assertThat(dev.cairn.runtime.EmbeddedManagementCluster.DEFAULT_VERSION).isEqualTo(target.bare());
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
          // the default: the newest patch the lab proves
          assertThat(m.group(1)).as(example.toString()).isEqualTo(lab("KUBE_VERSION").toString());
        }
      }
    }
  }

  private static int minor(String minorLine) {
    return Integer.parseInt(minorLine.substring(minorLine.indexOf('.') + 1));
  }
}
