package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The CNI Cairn last applied to the workload cluster.
 *
 * @param manifestHash SHA-256 of the applied objects: a change of plugin, version, Pod subnet or
 *     image repository applies them again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CniStatus(
    @JsonPropertyDescription("calico, flannel or none.") String plugin,
    @JsonPropertyDescription("Version of the applied manifest.") String version,
    @JsonPropertyDescription("SHA-256 of the applied objects.") String manifestHash) {}
