package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

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

  @Size(max = 32)
  @JsonPropertyDescription("RFC 6902 patches for objects of the rendered manifest, applied in order "
      + "(not for plugin none). A changed list is applied again.")
  private List<CniPatch> patches;

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

  public List<CniPatch> getPatches() {
    return patches;
  }

  public void setPatches(List<CniPatch> patches) {
    this.patches = patches;
  }
}
