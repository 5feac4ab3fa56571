package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * How a change of {@code kubernetesVersion} rolls through a running cluster: control planes one at
 * a time, oldest first, then workers, at most {@code maxUnavailable} of them at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolloutSpec(
    @Min(1) @Max(100)
    @JsonPropertyDescription("How many workers are drained and upgraded at once (default 1). Control planes always go one at a time.")
    Integer maxUnavailable) {

  public int maxUnavailableOrDefault() {
    return maxUnavailable == null ? 1 : maxUnavailable;
  }
}
