package dev.cairn.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with its private key; {@link #toString()} never shows the key. */
public record KeyPairAndCert(X509Certificate certificate, PrivateKey key) {
  public String certificatePem() {
    return Pem.encode(certificate);
  }

  public String keyPem() {
    return Pem.encode(key);
  }

  @Override
  public String toString() {
    return "KeyPairAndCert[" + certificate.getSubjectX500Principal().getName() + ", key=(hidden)]";
  }
}
