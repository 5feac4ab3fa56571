package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The seed's three networks. Pod and Service networks must not overlap each other or the node
 * network, or packets for one are routed as the other.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!isCIDR(self.podSubnet) || !isCIDR(self.serviceSubnet)"
        + " || !(cidr(self.podSubnet).containsCIDR(cidr(self.serviceSubnet)) || cidr(self.serviceSubnet).containsCIDR(cidr(self.podSubnet)))",
    message = "podSubnet and serviceSubnet must not overlap",
    fieldPath = ".serviceSubnet")
@ValidationRule(
    value = "!has(self.nodeSubnet) || !isCIDR(self.nodeSubnet) || !isCIDR(self.podSubnet)"
        + " || !(cidr(self.podSubnet).containsCIDR(cidr(self.nodeSubnet)) || cidr(self.nodeSubnet).containsCIDR(cidr(self.podSubnet)))",
    message = "podSubnet must not overlap nodeSubnet",
    fieldPath = ".podSubnet")
@ValidationRule(
    value = "!has(self.nodeSubnet) || !isCIDR(self.nodeSubnet) || !isCIDR(self.serviceSubnet)"
        + " || !(cidr(self.serviceSubnet).containsCIDR(cidr(self.nodeSubnet)) || cidr(self.nodeSubnet).containsCIDR(cidr(self.serviceSubnet)))",
    message = "serviceSubnet must not overlap nodeSubnet",
    fieldPath = ".serviceSubnet")
@ValidationRule(
    value = "!has(oldSelf.nodeSubnet) || (has(self.nodeSubnet) && self.nodeSubnet == oldSelf.nodeSubnet)",
    message = "nodeSubnet is immutable once set",
    fieldPath = ".nodeSubnet")
public class NetworkSpec {

  @Default("10.244.0.0/16")
  @Size(max = 43)
  @ValidationRule(value = "isCIDR(self)", message = "podSubnet must be a CIDR such as 10.244.0.0/16")
  @ValidationRule(value = "!isCIDR(self) || cidr(self) == cidr(self).masked()", message = "podSubnet must be a network address (no host bits set)")
  @ValidationRule(value = "self == oldSelf", message = "podSubnet is immutable")
  @JsonPropertyDescription("Pod network (CNI), e.g. the seed's 20.96.0.0/12.")
  private String podSubnet = "10.244.0.0/16";

  @Default("10.96.0.0/12")
  @Size(max = 43)
  @ValidationRule(value = "isCIDR(self)", message = "serviceSubnet must be a CIDR such as 10.96.0.0/12")
  @ValidationRule(value = "!isCIDR(self) || cidr(self) == cidr(self).masked()", message = "serviceSubnet must be a network address (no host bits set)")
  @ValidationRule(value = "self == oldSelf", message = "serviceSubnet is immutable")
  @JsonPropertyDescription("Service network (ClusterIPs), e.g. 10.96.0.0/12.")
  private String serviceSubnet = "10.96.0.0/12";

  @Size(max = 43)
  @ValidationRule(value = "isCIDR(self)", message = "nodeSubnet must be a CIDR such as 192.168.56.0/24")
  @JsonPropertyDescription("Optional node network (the seed's host-only 192.168.56.0/24): picks each node's advertise address and is checked for overlap.")
  private String nodeSubnet;

  @Default("{}")
  private CniSpec cni = new CniSpec();

  public String getPodSubnet() {
    return podSubnet;
  }

  public void setPodSubnet(String podSubnet) {
    this.podSubnet = podSubnet;
  }

  public String getServiceSubnet() {
    return serviceSubnet;
  }

  public void setServiceSubnet(String serviceSubnet) {
    this.serviceSubnet = serviceSubnet;
  }

  public String getNodeSubnet() {
    return nodeSubnet;
  }

  public void setNodeSubnet(String nodeSubnet) {
    this.nodeSubnet = nodeSubnet;
  }

  public CniSpec getCni() {
    return cni;
  }

  public void setCni(CniSpec cni) {
    this.cni = cni;
  }
}
