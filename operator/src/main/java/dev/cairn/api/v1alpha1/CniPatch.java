package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * An RFC 6902 JSON patch for one object of the CNI manifest Cairn renders: for what the shipped
 * manifest does not make a setting of, such as probe timings on slow machines or an interface
 * to pin. Applied after Cairn set the pod network and the image registry; a patch that matches
 * no object or does not apply stops the CNI with {@code CNIReady=False/CNIConfigInvalid} before
 * anything is applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CniPatch(
    @Required
    @Pattern("^[A-Z][A-Za-z0-9]*$")
    @JsonPropertyDescription("Kind of the manifest object, e.g. DaemonSet.")
    String kind,
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the manifest object, e.g. kube-flannel-ds.")
    String name,
    @JsonPropertyDescription("Namespace of the manifest object; empty: whichever namespace it is in.")
    String namespace,
    @Required
    @Size(min = 1, max = 65536)
    @JsonPropertyDescription("RFC 6902 operations (a list of op/path/value), in YAML or JSON.")
    String patch) {}
