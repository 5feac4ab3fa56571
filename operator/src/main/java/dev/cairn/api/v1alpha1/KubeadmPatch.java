package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A patch kubeadm applies to a control-plane static Pod manifest (kubeadm's {@code --patches}
 * directory): for what extraArgs cannot say, such as probe timings on slow machines.
 */
public record KubeadmPatch(
    @Required
    @JsonPropertyDescription("The static Pod the patch applies to.")
    Target target,
    @Default("strategic")
    @JsonPropertyDescription("strategic (a strategic merge patch), merge (RFC 7386) or json (RFC 6902).")
    Type type,
    @Required
    @Size(min = 1, max = 65536)
    @JsonPropertyDescription("The patch, in YAML or JSON.")
    String patch) {

  public enum Target {
    @JsonProperty("kube-apiserver") KUBE_APISERVER("kube-apiserver"),
    @JsonProperty("kube-controller-manager") KUBE_CONTROLLER_MANAGER("kube-controller-manager"),
    @JsonProperty("kube-scheduler") KUBE_SCHEDULER("kube-scheduler"),
    @JsonProperty("etcd") ETCD("etcd");

    private final String value;

    Target(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  public enum Type {
    @JsonProperty("strategic") STRATEGIC,
    @JsonProperty("merge") MERGE,
    @JsonProperty("json") JSON
  }

  public Type typeOrDefault() {
    return type == null ? Type.STRATEGIC : type;
  }
}
