package dev.cairn.cni;

import dev.cairn.api.v1alpha1.CniSpec;
import java.util.List;

/** A CNI version this Cairn release does not ship a manifest for. */
public final class UnsupportedCniException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final CniSpec.Plugin plugin;
  private final String version;
  private final List<String> supportedVersions;

  public UnsupportedCniException(CniSpec.Plugin plugin, String version, List<String> supportedVersions) {
    super(plugin.name().toLowerCase() + " " + version + " is not a version this Cairn ships; supported: "
        + String.join(", ", supportedVersions));
    this.plugin = plugin;
    this.version = version;
    this.supportedVersions = List.copyOf(supportedVersions);
  }

  public CniSpec.Plugin plugin() {
    return plugin;
  }

  public String version() {
    return version;
  }

  public List<String> supportedVersions() {
    return supportedVersions;
  }
}
