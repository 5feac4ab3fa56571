package dev.cairn.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.api.v1alpha1.NodeStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CertificateDatesTest {
  @Test
  void readsAnInstantAndSkipsWhatIsNotOne() {
    NodeStatus status = new NodeStatus();
    assertEquals(Optional.empty(), CertificateDates.expiresAt(null));
    assertEquals(Optional.empty(), CertificateDates.expiresAt(status));
    status.setCertificatesExpireAt(" ");
    assertEquals(Optional.empty(), CertificateDates.expiresAt(status));
    status.setCertificatesExpireAt("next year");   // edited by hand: skipped, not a crash of the Cluster's rollup
    assertEquals(Optional.empty(), CertificateDates.expiresAt(status));
    status.setCertificatesExpireAt("2027-12-07T07:00:00Z");
    assertEquals(Optional.of(Instant.parse("2027-12-07T07:00:00Z")), CertificateDates.expiresAt(status));
  }
}
