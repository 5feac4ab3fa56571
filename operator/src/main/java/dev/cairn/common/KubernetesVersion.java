package dev.cairn.common;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes release as the spec names it, {@code v1.34.4}: parsed once, compared as numbers.
 * Every place that needs a minor, a comparison or a skew reads it here, never from the text.
 */
public record KubernetesVersion(int major, int minor, int patch) implements Comparable<KubernetesVersion> {
  private static final Pattern FORM = Pattern.compile("v(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  public KubernetesVersion {
    if (major < 0 || minor < 0 || patch < 0) {
      throw new IllegalArgumentException("a version has no negative parts: " + major + "." + minor + "." + patch);
    }
  }

  /** {@code v<major>.<minor>.<patch>}, as kubeadm's {@code kubernetesVersion} takes it. */
  public static KubernetesVersion parse(String text) {
    Matcher m = text == null ? null : FORM.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("not a Kubernetes version of the form v1.34.4: " + text);
    }
    return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
  }

  /** "1.34.4": as Debian and RPM package versions begin. */
  public String bare() {
    return major + "." + minor + "." + patch;
  }

  /** "1.34": the release line, as package repositories are split. */
  public String minorLine() {
    return major + "." + minor;
  }

  /** Whether this release is {@code major.minor} or newer, whatever its patch. */
  public boolean atLeast(int major, int minor) {
    return this.major != major ? this.major > major : this.minor >= minor;
  }

  /** How many minors {@code other} is ahead of this one (negative: behind); majors must match. */
  public int minorsTo(KubernetesVersion other) {
    if (other.major != major) {
      throw new IllegalArgumentException("no skew across majors: " + this + " and " + other);
    }
    return other.minor - minor;
  }

  @Override
  public int compareTo(KubernetesVersion o) {
    return major != o.major ? Integer.compare(major, o.major)
        : minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return "v" + bare();
  }
}
