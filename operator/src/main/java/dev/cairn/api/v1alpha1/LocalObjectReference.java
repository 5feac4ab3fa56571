package dev.cairn.api.v1alpha1;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A reference to an object in the same namespace, by name. */
public record LocalObjectReference(
    @Required @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$") String name) {}
