package dev.cairn.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A taint Cairn keeps on the node in the workload cluster. */
public record Taint(
    @Required @Size(max = 316) @Pattern(NodeSpec.QUALIFIED_NAME) String key,
    @Size(max = 63) @Pattern("^$|^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$") String value,
    @Required Effect effect) {

  public enum Effect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute
  }
}
