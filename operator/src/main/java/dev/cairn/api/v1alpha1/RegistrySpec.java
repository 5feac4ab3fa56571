package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How containerd on every node of the cluster talks to one registry: a
 * {@code /etc/containerd/certs.d/<host>/hosts.toml}, the way containerd documents registry
 * settings. For air-gapped sites whose registry (often the one in {@code imageRepository}) speaks
 * plain HTTP or uses a certificate the hosts do not trust.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.plainHTTP) && self.plainHTTP && has(self.skipTLSVerify) && self.skipTLSVerify)",
    message = "plainHTTP and skipTLSVerify exclude each other: a plain-HTTP registry has no TLS to verify")
public record RegistrySpec(
    @Required
    @Size(max = 253)
    @Pattern("^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]{1,5})?$")
    @JsonPropertyDescription("The registry as images name it: host or host:port, e.g. registry.lab:5000.")
    String host,
    @JsonPropertyDescription("true: pull from this registry over plain HTTP.")
    Boolean plainHTTP,
    @JsonPropertyDescription("true: use HTTPS but do not verify the registry's certificate.")
    Boolean skipTLSVerify) {

  @JsonIgnore
  public boolean isPlainHttp() {
    return Boolean.TRUE.equals(plainHTTP);
  }

  @JsonIgnore
  public boolean isSkipTlsVerify() {
    return Boolean.TRUE.equals(skipTLSVerify);
  }
}
