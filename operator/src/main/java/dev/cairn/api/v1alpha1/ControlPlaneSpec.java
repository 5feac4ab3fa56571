package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneSpec {

  @Default("false")
  @JsonPropertyDescription("true: remove node-role.kubernetes.io/control-plane:NoSchedule from control planes and keep it removed (single-node clusters).")
  private Boolean schedulable = false;

  public Boolean getSchedulable() {
    return schedulable;
  }

  public void setSchedulable(Boolean schedulable) {
    this.schedulable = schedulable;
  }

  public boolean isSchedulable() {
    return Boolean.TRUE.equals(schedulable);
  }
}
