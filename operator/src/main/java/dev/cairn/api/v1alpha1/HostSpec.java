package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** How Cairn reaches a machine over SSH. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HostSpec {

  @Required
  @Size(min = 1, max = 253)
  @ValidationRule(
      value = "isIP(self) || self.matches('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?([.][a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$')",
      message = "host.address must be an IP address or a lower-case DNS name")
  @ValidationRule(value = "self == oldSelf", message = "host.address is immutable: create a new node object for another machine")
  @JsonPropertyDescription("IP address or DNS name Cairn connects to over SSH.")
  private String address;

  @Default("22")
  @Min(1)
  @Max(65535)
  private Integer port = 22;

  @Default("root")
  @Pattern("^[a-z_][a-z0-9_-]{0,31}$")
  @JsonPropertyDescription("SSH user; a user other than root runs every command through sudo -n.")
  private String user = "root";

  @Required
  @JsonPropertyDescription("Secret with key ssh-privatekey (OpenSSH private key) and optional passphrase.")
  private LocalObjectReference sshKeySecretRef;

  @Pattern("^$|^(ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|ssh-rsa) [A-Za-z0-9+/]+={0,3}( [^\\n]*)?$")
  @JsonPropertyDescription("Pinned host key as in known_hosts (\"ssh-ed25519 AAAA...\"). Empty: trust on first use, recorded in status and enforced from then on.")
  private String hostKey;

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public LocalObjectReference getSshKeySecretRef() {
    return sshKeySecretRef;
  }

  public void setSshKeySecretRef(LocalObjectReference sshKeySecretRef) {
    this.sshKeySecretRef = sshKeySecretRef;
  }

  public String getHostKey() {
    return hostKey;
  }

  public void setHostKey(String hostKey) {
    this.hostKey = hostKey;
  }
}
