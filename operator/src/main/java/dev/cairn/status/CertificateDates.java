package dev.cairn.status;

import dev.cairn.api.v1alpha1.NodeStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** When a control plane's first kubeadm certificate expires, and when Cairn last renewed them, as its status records it. */
public final class CertificateDates {
  private CertificateDates() {}

  /** Empty when the status says nothing, or something that is not an RFC 3339 instant. */
  public static Optional<Instant> expiresAt(NodeStatus status) {
    return instant(status == null ? null : status.getCertificatesExpireAt());
  }

  /** When Cairn last renewed them; empty when it never did (or the status says something else). */
  public static Optional<Instant> renewedAt(NodeStatus status) {
    return instant(status == null ? null : status.getCertificatesRenewedAt());
  }

  private static Optional<Instant> instant(String at) {
    try {
      return at == null || at.isBlank() ? Optional.empty() : Optional.of(Instant.parse(at));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
