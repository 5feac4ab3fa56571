package dev.cairn.bootstrap;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A control plane's kubeadm certificates as its facts tell them ({@code cert.NAME} = when each
 * expires, {@code certs.now} = the host's clock): which expires first, and whether that is within
 * a margin. Empty on a host that has no control plane's certificates (yet).
 *
 * @param expiries certificate (apiserver, etcd-server, admin.conf, …) to when it expires
 * @param now the host's clock when the facts were read
 * @param unreadable why some could not be read ("" when all could)
 */
public record CertificateExpiry(Map<String, Instant> expiries, Instant now, String unreadable) {
  public static Optional<CertificateExpiry> of(HostFacts facts) {
    if (!facts.get("certs.now").matches("[0-9]{1,12}")) {
      return Optional.empty();
    }
    Map<String, Instant> expiries = new TreeMap<>();
    StringBuilder unreadable = new StringBuilder(facts.get("certs.error"));
    for (String key : facts.keys("cert.")) {
      String value = facts.get(key);
      if (value.matches("[0-9]{1,12}")) {
        expiries.put(key.substring("cert.".length()), Instant.ofEpochSecond(Long.parseLong(value)));
      } else {
        unreadable.append(unreadable.length() == 0 ? "" : "; ").append(key.substring("cert.".length()))
            .append(" could not be read");
      }
    }
    return Optional.of(new CertificateExpiry(expiries, Instant.ofEpochSecond(Long.parseLong(facts.get("certs.now"))),
        unreadable.toString()));
  }

  /** The certificate that expires first; empty when none could be read. */
  public Optional<Map.Entry<String, Instant>> first() {
    return expiries.entrySet().stream().min(Map.Entry.comparingByValue());
  }

  /** Whether the first expiry is within {@code margin} of the host's clock (or nothing could be read). */
  public boolean due(Duration margin) {
    return first().map(e -> due(e.getValue(), now, margin)).orElse(false);
  }

  /** A certificate expiring at {@code expiresAt} is due for renewal at {@code now}: within {@code margin}. */
  public static boolean due(Instant expiresAt, Instant now, Duration margin) {
    return !expiresAt.isAfter(now.plus(margin));
  }
}
