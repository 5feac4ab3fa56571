package dev.cairn.bootstrap.steps;

import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.OsFamily;
import dev.cairn.common.ClasspathText;
import dev.cairn.ssh.Shell;
import java.util.Locale;
import java.util.Objects;

/**
 * An apply script put together from the script files kept beside the steps
 * ({@code steps/<name>.sh}, or {@code steps/<name>.<family>.sh} where Debian and RHEL differ),
 * after the values they read, each assigned through {@link Shell#quote}: a spec value reaches the
 * host as one inert word, never as script text.
 */
final class StepScript {
  private final StringBuilder text = new StringBuilder("set -euo pipefail\n");

  StepScript set(String name, String value) {
    text.append(name).append('=').append(Shell.quote(value)).append('\n');
    return this;
  }

  StepScript file(String name) {
    text.append(ClasspathText.read(StepScript.class, name + ".sh"));
    return this;
  }

  StepScript file(String name, OsFamily family) {
    return file(name + "." + family.name().toLowerCase(Locale.ROOT));
  }

  /**
   * The package-manager functions the install scripts call ({@code pkg_refresh},
   * {@code pkg_install}, {@code pkg_hold}) bound to the plan's package source: with a mirror, only
   * the mirror is consulted, as an air-gapped site needs.
   */
  StepScript packageManager(OsFamily family, NodePlan plan) {
    return set("SOURCE", source(plan)).set("MIRROR", Objects.toString(plan.mirror(), "")).file("packages", family);
  }

  /** A line Cairn wrote itself, every spec value in it already quoted. */
  StepScript line(String line) {
    text.append(line).append('\n');
    return this;
  }

  static String source(NodePlan plan) {
    return plan.packageSource().name().toLowerCase(Locale.ROOT);
  }

  static boolean installs(NodePlan plan) {
    return plan.packageSource() != PackagesSpec.Source.PREINSTALLED;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
