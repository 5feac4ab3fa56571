package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CniSpec {

  /** The CNI plugins Cairn ships manifests for; {@code none} means the user brings one. */
  public enum Plugin {
    @JsonProperty("calico") CALICO,
    @JsonProperty("flannel") FLANNEL,
    @JsonProperty("none") NONE
  }

  @Default("calico")
  @JsonPropertyDescription("calico (default), flannel, or none (bring your own CNI).")
  private Plugin plugin = Plugin.CALICO;

  @Pattern("^v[0-9]+\\.[0-9]+\\.[0-9]+$")
  @JsonPropertyDescription("Version of the shipped CNI manifest; empty: the version this Cairn release pins.")
  private String version;

  public Plugin getPlugin() {
    return plugin;
  }

  public void setPlugin(Plugin plugin) {
    this.plugin = plugin;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }
}
