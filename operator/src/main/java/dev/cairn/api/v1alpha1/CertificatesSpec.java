package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;

/**
 * The control planes' kubeadm certificates (API server, etcd, front proxy, the components'
 * kubeconfigs): renewed in place, one control plane at a time, before they expire. kubeadm issues
 * them for a year; {@code validityPeriod} shortens that for sites with a stricter policy (and for
 * tests), at init only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.validityPeriod) ? self.validityPeriod : '') == (has(oldSelf.validityPeriod) ? oldSelf.validityPeriod : '')",
    message = "certificates.validityPeriod is fixed once set: kubeadm keeps it in the cluster's configuration")
@ValidationRule(value = "duration(has(self.renewBefore) && self.renewBefore != '' ? self.renewBefore : '720h')"
    + " < duration(has(self.validityPeriod) && self.validityPeriod != '' ? self.validityPeriod : '8760h')",
    message = "certificates.renewBefore must be shorter than validityPeriod (kubeadm's 8760h when empty; renewBefore"
        + " defaults to 720h): certificates would be due as soon as they are issued")
public record CertificatesSpec(
    @Pattern(HOURS)
    @JsonPropertyDescription("Renew a control plane's certificates when the first of them expires within this (Go duration in hours, minutes, seconds: 720h is 30 days; default 720h).")
    String renewBefore,
    @Pattern(HOURS)
    @JsonPropertyDescription("Lifetime of the certificates kubeadm issues and renews (kubeadm v1beta4 certificateValidityPeriod, e.g. 2h or 2160h); empty: kubeadm's one year. Must be longer than renewBefore.")
    String validityPeriod) {

  static final String HOURS = "^([1-9][0-9]*h)?([1-9][0-9]*m)?([1-9][0-9]*s)?$";
  public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);

  /** How long before the first expiry to renew. */
  public Duration renewBeforeOrDefault() {
    return renewBefore == null || renewBefore.isBlank() ? DEFAULT_RENEW_BEFORE : dev.cairn.common.GoDuration.parse(renewBefore);
  }

  /** The certificates' lifetime the spec asks for; null for kubeadm's default. */
  public Duration validityOrNull() {
    return validityPeriod == null || validityPeriod.isBlank() ? null : dev.cairn.common.GoDuration.parse(validityPeriod);
  }
}
