package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spec shared by ControlPlaneNode and WorkerNode: which cluster, which machine. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class NodeSpec {
  /** A Kubernetes qualified name with optional DNS prefix, as label keys and taint keys use. */
  static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  public static final String DEFAULT_DRAIN_TIMEOUT = "5m";
  /** Whole hours, minutes and seconds, Go's way: 90s, 5m, 1h30m. */
  public static final String DURATION = "^([0-9]{1,6}(h|m|s))+$";

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @ValidationRule(value = "self == oldSelf", message = "clusterName is immutable")
  @JsonPropertyDescription("Name of the Cluster (same namespace) this node belongs to.")
  private String clusterName;

  @Required
  private HostSpec host;

  @Size(max = 45)
  @ValidationRule(value = "isIP(self)", message = "advertiseAddress must be an IP address")
  @JsonPropertyDescription("Address the node's Kubernetes components use (the seed's host-only NIC, never the NAT one). Default: host.address, or the host's address inside the Cluster's nodeSubnet.")
  private String advertiseAddress;

  @JsonPropertyDescription("Labels Cairn keeps on the Node in the workload cluster.")
  private Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Taints Cairn keeps on the Node in the workload cluster.")
  private List<Taint> taints = new ArrayList<>();

  @Default("5m")
  @Pattern(DURATION)
  @JsonPropertyDescription("How long deleting this node waits for its pods to be evicted (PodDisruptionBudgets respected) before it goes on regardless, counted from the deletion: a duration such as 90s, 5m or 1h30m. The host gets as long again to be reset before Cairn gives up on it.")
  private String drainTimeout = DEFAULT_DRAIN_TIMEOUT;

  public String getClusterName() {
    return clusterName;
  }

  public void setClusterName(String clusterName) {
    this.clusterName = clusterName;
  }

  public HostSpec getHost() {
    return host;
  }

  public void setHost(HostSpec host) {
    this.host = host;
  }

  public String getAdvertiseAddress() {
    return advertiseAddress;
  }

  public void setAdvertiseAddress(String advertiseAddress) {
    this.advertiseAddress = advertiseAddress;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public List<Taint> getTaints() {
    return taints;
  }

  public void setTaints(List<Taint> taints) {
    this.taints = taints;
  }

  public String getDrainTimeout() {
    return drainTimeout;
  }

  public void setDrainTimeout(String drainTimeout) {
    this.drainTimeout = drainTimeout;
  }
}
