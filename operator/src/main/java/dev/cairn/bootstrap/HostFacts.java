package dev.cairn.bootstrap;

import dev.cairn.common.ClasspathText;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a host looks like right now, gathered in one SSH round trip by {@code facts.sh}. Steps
 * decide from facts, so a converged host costs one round trip, not one per step.
 */
public final class HostFacts {
  /**
   * The read-only script that prints the facts as key=value lines: the shared facts and helpers
   * ({@code facts.sh}), then each step's own facts beside its class ({@code steps/<step>.facts.sh}),
   * in plan order, then the end marker that tells a whole answer from a cut-off one.
   */
  public static final String SCRIPT = assemble();

  private static String assemble() {
    StringBuilder script = new StringBuilder(load("facts.sh"));
    for (StepId step : StepId.values()) {
      String fragment = "steps/" + step.stepName() + ".facts.sh";
      if (HostFacts.class.getResource(fragment) != null) {
        script.append('\n').append(load(fragment));
      }
    }
    return script.append("echo facts.end=ok\n").toString();
  }

  private final Map<String, String> values;

  private HostFacts(Map<String, String> values) {
    this.values = values;
  }

  /** Parses facts.sh output; a truncated output (no end marker) is rejected. */
  public static HostFacts parse(String output) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    if (!"ok".equals(values.get("facts.end"))) {
      throw new IllegalArgumentException("facts output is incomplete");
    }
    return new HostFacts(values);
  }

  public String get(String key) {
    return values.getOrDefault(key, "");
  }

  /** A comma-separated fact as a list; empty for an empty fact. */
  public List<String> list(String key) {
    String v = get(key);
    return v.isEmpty() ? List.of() : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The keys that start with {@code prefix}, in the order the host printed them. */
  public List<String> keys(String prefix) {
    return values.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
  }

  public int integer(String key) {
    try {
      return Integer.parseInt(get(key));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public OsFamily osFamily() {
    return OsFamily.of(get("os.id"), get("os.like"));
  }

  public boolean isRoot() {
    return "0".equals(get("uid"));
  }

  static String load(String name) {
    return ClasspathText.read(HostFacts.class, name);
  }
}
