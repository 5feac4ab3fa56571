package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneSpec {

  @Default("false")
  @JsonPropertyDescription("true: remove node-role.kubernetes.io/control-plane:NoSchedule from control planes and keep it removed (single-node clusters).")
  private Boolean schedulable = false;

  @JsonPropertyDescription("Extra flags of the control-plane components (kubeadm extraArgs), used when a control plane is initialised or joins.")
  private ControlPlaneArgs extraArgs;

  @Size(max = 32)
  @JsonPropertyDescription("Patches kubeadm applies to the control-plane static Pod manifests when a control plane is initialised or joins.")
  private List<KubeadmPatch> patches;

  public Boolean getSchedulable() {
    return schedulable;
  }

  public void setSchedulable(Boolean schedulable) {
    this.schedulable = schedulable;
  }

  public boolean isSchedulable() {
    return Boolean.TRUE.equals(schedulable);
  }

  public ControlPlaneArgs getExtraArgs() {
    return extraArgs;
  }

  public void setExtraArgs(ControlPlaneArgs extraArgs) {
    this.extraArgs = extraArgs;
  }

  public List<KubeadmPatch> getPatches() {
    return patches;
  }

  public void setPatches(List<KubeadmPatch> patches) {
    this.patches = patches;
  }
}
