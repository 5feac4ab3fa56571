package dev.cairn.runtime;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.api.v1alpha1.WorkerNode;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the generated CRDs' printer columns in the order the model declares them. fabric8's
 * generator sorts them by JSON path, which puts {@code Age} (.metadata…) right after the name;
 * kubectl's convention, and the model's order, has it last. Run by the build (exec-maven-plugin,
 * after the generator) on {@code target/classes/META-INF/fabric8}, so the jar, {@link Crds} and the
 * committed {@code crds/} all hold the same YAML.
 */
public final class CrdColumns {
  static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "clusters.cairn.dev-v1.yml", Cluster.class,
      "controlplanenodes.cairn.dev-v1.yml", ControlPlaneNode.class,
      "workernodes.cairn.dev-v1.yml", WorkerNode.class);
  private static final String LIST = "  - additionalPrinterColumns:";
  private static final String ITEM = "    - ";
  private static final String FIELD = "      ";
  private static final Pattern NAME = Pattern.compile("^\\s+(?:- )?name: \"(.*)\"$");

  private CrdColumns() {}

  /** @param args the directory holding the generated CRDs */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    KINDS.forEach((file, kind) -> {
      Path crd = dir.resolve(file);
      try {
        String yaml = Files.readString(crd);
        String ordered = ordered(yaml, declared(kind));
        if (!ordered.equals(yaml)) {
          Files.writeString(crd, ordered);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The printer column names in the order the kind's annotations declare them. */
  static List<String> declared(Class<?> kind) {
    return Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name)
        .toList();
  }

  /** The CRD YAML with its printer columns (one list per version) in {@code order}; anything else as it was. */
  static String ordered(String yaml, List<String> order) {
    List<String> lines = new ArrayList<>(yaml.lines().toList());
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).equals(LIST)) {
        continue;
      }
      int end = i + 1;
      List<List<String>> columns = new ArrayList<>();
      while (end < lines.size() && (lines.get(end).startsWith(ITEM) || lines.get(end).startsWith(FIELD))) {
        if (lines.get(end).startsWith(ITEM)) {
          columns.add(new ArrayList<>());
        }
        columns.get(columns.size() - 1).add(lines.get(end));
        end++;
      }
      columns.sort(Comparator.comparingInt(c -> rank(c, order)));
      List<String> sorted = columns.stream().flatMap(List::stream).toList();
      for (int j = 0; j < sorted.size(); j++) {
        lines.set(i + 1 + j, sorted.get(j));
      }
      i = end - 1;
    }
    return String.join("\n", lines) + (yaml.endsWith("\n") ? "\n" : "");
  }

  private static int rank(List<String> column, List<String> order) {
    for (String line : column) {
      Matcher m = NAME.matcher(line);
      if (m.matches()) {
        int at = order.indexOf(m.group(1));
        if (at < 0) {
          throw new IllegalStateException("printer column " + m.group(1) + " is not declared on the model");
        }
        return at;
      }
    }
    throw new IllegalStateException("a printer column without a name: " + column);
  }
}
