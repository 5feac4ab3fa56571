package dev.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs in {@code crds/} and in the Helm chart's {@code crds/} are what the Java model
 * generates. The build fails on drift; run
 * {@code ./mvnw -B test -Dcairn.crds.update=true -Dtest=CrdsUpToDateTest} to refresh them.
 */
class CrdsUpToDateTest {
  private static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    assertHoldsTheGeneratedCrds(Path.of(System.getProperty("cairn.crds.dir", "../crds")), "crds/");
  }

  /** Helm installs the chart's crds/ as they are; they must be the same generated YAML. */
  @Test
  void chartCrdsMatchTheModel() throws IOException {
    assertHoldsTheGeneratedCrds(Path.of(System.getProperty("cairn.chart.dir", "../helm/cairn"), "crds"),
        "helm/cairn/crds/");
  }

  /**
   * kubectl's convention: AGE last, and the Ready condition's reason only on {@code -o wide}
   * (fabric8 sorts the columns by JSON path; the build puts them back in the model's order).
   */
  @Test
  void printerColumnsKeepTheModelsOrderWithAgeLastAndTheReasonOnWide() throws IOException {
    List<Path> generated;
    try (Stream<Path> files = Files.list(GENERATED)) {
      generated = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(generated).hasSize(3);
    for (Path file : generated) {
      CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(Files.readString(file),
          CustomResourceDefinition.class);
      List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns();
      String name = crd.getMetadata().getName();
      assertThat(columns).extracting(CustomResourceColumnDefinition::getName).as(name)
          .endsWith("Ready", "Reason", "Age");
      assertThat(columns).filteredOn(c -> c.getName().equals("Reason")).singleElement()
          .satisfies(c -> assertThat(c.getPriority()).as(name + " Reason priority").isEqualTo(1))
          .satisfies(c -> assertThat(c.getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason"));
      assertThat(columns).filteredOn(c -> !c.getName().equals("Reason")).extracting(c -> c.getPriority())
          .as(name + " every other column in the default view").containsOnly(0);
    }
  }

  private static void assertHoldsTheGeneratedCrds(Path committed, String label) throws IOException {
    List<Path> generated;
    try (Stream<Path> files = Files.list(GENERATED)) {
      generated = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(generated).hasSize(3);
    if (Boolean.getBoolean("cairn.crds.update")) {
      Files.createDirectories(committed);
      for (Path file : generated) {
        Files.copy(file, committed.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    for (Path file : generated) {
      Path mine = committed.resolve(file.getFileName());
      assertThat(mine).as("%s%s is missing; regenerate with -Dcairn.crds.update=true", label, file.getFileName())
          .exists();
      assertThat(Files.readString(mine))
          .as("%s%s differs from what the Java model generates; regenerate with -Dcairn.crds.update=true",
              label, file.getFileName())
          .isEqualTo(Files.readString(file));
    }
    try (Stream<Path> files = Files.list(committed)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .as("%s holds exactly the generated CRDs", label)
          .containsExactlyElementsOf(generated.stream().map(p -> p.getFileName().toString()).toList());
    }
  }
}
