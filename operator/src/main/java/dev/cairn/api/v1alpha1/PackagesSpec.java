package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Where hosts get containerd, kubeadm, kubelet and kubectl. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.source != 'mirror' || (has(self.mirror) && size(self.mirror) > 0)",
    message = "packages.mirror is required when packages.source is mirror",
    fieldPath = ".mirror")
public class PackagesSpec {

  public enum Source {
    @JsonProperty("upstream") UPSTREAM,
    @JsonProperty("mirror") MIRROR,
    @JsonProperty("preinstalled") PREINSTALLED
  }

  @Default("upstream")
  @JsonPropertyDescription("upstream: the distribution and Kubernetes package repositories; mirror: the repository at mirror; preinstalled: verify what is there, install nothing.")
  private Source source = Source.UPSTREAM;

  @Pattern("^$|^https?://[^\\s'\"]+$")
  @JsonPropertyDescription("Base URL of a package mirror (an apt or yum repository) for air-gapped sites.")
  private String mirror;

  public Source getSource() {
    return source;
  }

  public void setSource(Source source) {
    this.source = source;
  }

  public String getMirror() {
    return mirror;
  }

  public void setMirror(String mirror) {
    this.mirror = mirror;
  }
}
