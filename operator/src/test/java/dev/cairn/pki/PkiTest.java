package dev.cairn.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {
  private final Pki pki = new Pki(Clock.systemUTC());

  @Test
  void caIsSelfSignedWithCaConstraintsAndKeyUsages() throws Exception {
    KeyPairAndCert ca = pki.newCa("kubernetes");
    X509Certificate c = ca.certificate();
    c.verify(c.getPublicKey());
    assertThat(c.getBasicConstraints()).as("CA:true").isGreaterThanOrEqualTo(0);
    boolean[] usage = c.getKeyUsage();
    assertThat(usage[5]).as("keyCertSign").isTrue();
    assertThat(usage[0]).as("digitalSignature").isTrue();
    assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=kubernetes");
    assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(c.getNotAfter().toInstant()).isAfter(java.time.Instant.now().plus(Pki.CA_VALIDITY).minusSeconds(3600));
  }

  @Test
  void clientCertificateChainsToItsCaWithClientAuthOnly() throws Exception {
    KeyPairAndCert ca = pki.newCa("kubernetes");
    KeyPairAndCert admin = pki.issueClient(ca, "cairn-admin", List.of("system:masters"), Pki.LEAF_VALIDITY);
    X509Certificate c = admin.certificate();
    c.verify(ca.certificate().getPublicKey());
    assertThat(c.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(c.getSubjectX500Principal().getName()).contains("CN=cairn-admin", "O=system:masters");
    assertThat(c.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
  }

  @Test
  void serverCertificateCarriesItsSans() throws Exception {
    KeyPairAndCert ca = pki.newCa("kubernetes");
    KeyPairAndCert server = pki.issueServer(ca, "kube-apiserver", List.of("k8s.lab.example"),
        List.of("192.168.56.10"), Pki.LEAF_VALIDITY);
    server.certificate().verify(ca.certificate().getPublicKey());
    assertThat(server.certificate().getSubjectAlternativeNames())
        .extracting(l -> l.get(1).toString()).containsExactlyInAnyOrder("k8s.lab.example", "192.168.56.10");
    assertThat(server.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  @Test
  void aPeerCertificateServesAndIsAClient() throws Exception {
    KeyPairAndCert ca = pki.newCa("etcd-ca");
    KeyPairAndCert peer = pki.issuePeer(ca, "etcd", List.of("localhost"), List.of("127.0.0.1"), Pki.LEAF_VALIDITY);
    peer.certificate().verify(ca.certificate().getPublicKey());
    assertThat(peer.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(peer.certificate().getSubjectAlternativeNames())
        .extracting(l -> l.get(1).toString()).containsExactlyInAnyOrder("localhost", "127.0.0.1");
  }

  @Test
  void pemRoundTripsAndTheKeyMatchesTheCertificate() throws Exception {
    KeyPairAndCert ca = pki.newCa("etcd-ca");
    X509Certificate cert = Pem.certificate(ca.certificatePem());
    assertThat(cert).isEqualTo(ca.certificate());
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(Pem.privateKey(ca.keyPem()));
    s.update("proof".getBytes(StandardCharsets.UTF_8));
    byte[] sig = s.sign();
    s.initVerify(cert.getPublicKey());
    s.update("proof".getBytes(StandardCharsets.UTF_8));
    assertThat(s.verify(sig)).isTrue();
    assertThat(ca.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void serviceAccountKeyPairRoundTrips() {
    KeyPair sa = pki.newServiceAccountKeyPair();
    assertThat(Pem.publicKey(Pki.publicKeyPem(sa.getPublic()))).isEqualTo(sa.getPublic());
    assertThat(Pem.privateKey(Pem.encode(sa.getPrivate()))).isEqualTo(sa.getPrivate());
  }

  @Test
  void discoveryHashEqualsWhatOpensslComputes(@TempDir Path tmp) throws Exception {
    KeyPairAndCert ca = pki.newCa("kubernetes");
    Path cert = Files.writeString(tmp.resolve("ca.crt"), ca.certificatePem()); // public: a certificate only
    // kubeadm's documented recipe for --discovery-token-ca-cert-hash
    Process p = new ProcessBuilder("bash", "-c", "openssl x509 -pubkey -in \"$1\" | openssl rsa -pubin -outform der "
        + "2>/dev/null | openssl dgst -sha256 -hex | sed 's/^.* //'", "_", cert.toString()).start();
    String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(expected).hasSize(64);
    assertThat(Pki.discoveryHash(ca.certificate())).isEqualTo("sha256:" + expected);
  }
}
