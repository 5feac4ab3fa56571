package dev.cairn.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesVersionTest {

  @Test
  void readsTheSpecFormAndWritesItBack() {
    KubernetesVersion v = KubernetesVersion.parse("v1.34.4");
    assertThat(v).isEqualTo(new KubernetesVersion(1, 34, 4));
    assertThat(v.toString()).isEqualTo("v1.34.4");
    assertThat(v.bare()).isEqualTo("1.34.4");
    assertThat(v.minorLine()).isEqualTo("1.34");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.34.4", "v1.34", "v1.34.4-rc.0", "v1.34.4 ", "v1..4", "vx.y.z", "", "v1.34.4\nv1.35.0"})
  void refusesWhatIsNotAReleaseWithAClearMessage(String text) {
    assertThatThrownBy(() -> KubernetesVersion.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Kubernetes version of the form v1.34.4");
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> KubernetesVersion.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparesAsNumbersNotAsText() {
    List<KubernetesVersion> sorted = List.of("v1.9.0", "v1.34.10", "v1.34.4", "v1.100.0", "v2.0.0", "v1.34.9").stream()
        .map(KubernetesVersion::parse).sorted().toList();
    assertThat(sorted).map(KubernetesVersion::toString)
        .containsExactly("v1.9.0", "v1.34.4", "v1.34.9", "v1.34.10", "v1.100.0", "v2.0.0");
  }

  @Test
  void atLeastLooksAtMajorAndMinorOnly() {
    KubernetesVersion v = KubernetesVersion.parse("v1.31.0");
    assertThat(v.atLeast(1, 31)).isTrue();
    assertThat(v.atLeast(1, 30)).isTrue();
    assertThat(v.atLeast(1, 32)).isFalse();
    assertThat(v.atLeast(0, 99)).isTrue();
    assertThat(v.atLeast(2, 0)).isFalse();
  }

  @Test
  void minorSkewIsSignedAndRefusedAcrossMajors() {
    KubernetesVersion v135 = KubernetesVersion.parse("v1.35.4");
    assertThat(v135.minorsTo(KubernetesVersion.parse("v1.36.3"))).isEqualTo(1);
    assertThat(v135.minorsTo(KubernetesVersion.parse("v1.35.0"))).isZero();
    assertThat(v135.minorsTo(KubernetesVersion.parse("v1.33.9"))).isEqualTo(-2);
    assertThatThrownBy(() -> v135.minorsTo(KubernetesVersion.parse("v2.0.0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("majors");
  }
}
