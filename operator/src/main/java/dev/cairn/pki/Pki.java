package dev.cairn.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authorities and the certificates Cairn issues from them, made in
 * memory with BouncyCastle. RSA-2048 and SHA-256, as kubeadm makes them, so kubeadm accepts the
 * CAs Cairn places on the hosts.
 */
public final class Pki {
  /** kubeadm's CA lifetime. */
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** kubeadm's leaf certificate lifetime. */
  public static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Pki(Clock clock) {
    this.clock = clock;
  }

  /** A self-signed CA, e.g. {@code kubernetes}, {@code etcd-ca}, {@code front-proxy-ca}. */
  public KeyPairAndCert newCa(String commonName) {
    KeyPair pair = rsa();
    Instant now = Instant.now(clock);
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(BACKDATE)),
          Date.from(now.plus(CA_VALIDITY)), subject, pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new KeyPairAndCert(sign(b, pair), pair.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not create CA " + commonName, e);
    }
  }

  /** A client certificate signed by {@code ca}, e.g. an admin kubeconfig's. */
  public KeyPairAndCert issueClient(KeyPairAndCert ca, String commonName, List<String> organizations,
      Duration validity) {
    KeyPair pair = rsa();
    Instant now = Instant.now(clock);
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) {
      name.addRDN(BCStyle.O, o);
    }
    name.addRDN(BCStyle.CN, commonName);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name.build(), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca.certificate()));
      return new KeyPairAndCert(sign(b, new KeyPair(ca.certificate().getPublicKey(), ca.key())), pair.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not issue " + commonName, e);
    }
  }

  /** A server certificate signed by {@code ca} for the given DNS names and IPs. */
  public KeyPairAndCert issueServer(KeyPairAndCert ca, String commonName, List<String> dnsNames,
      List<String> ipAddresses, Duration validity) {
    return issueServer(ca, commonName, dnsNames, ipAddresses, validity, false);
  }

  /**
   * A certificate that serves and is also a client, as an etcd member's peer certificate is (it
   * dials the other members with it): kubeadm's etcd/peer.
   */
  public KeyPairAndCert issuePeer(KeyPairAndCert ca, String commonName, List<String> dnsNames,
      List<String> ipAddresses, Duration validity) {
    return issueServer(ca, commonName, dnsNames, ipAddresses, validity, true);
  }

  private KeyPairAndCert issueServer(KeyPairAndCert ca, String commonName, List<String> dnsNames,
      List<String> ipAddresses, Duration validity, boolean alsoClient) {
    KeyPair pair = rsa();
    Instant now = Instant.now(clock);
    List<GeneralName> sans = new ArrayList<>();
    dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
    ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
          Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)),
          new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build(), pair.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false, alsoClient
              ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
              : new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)))
          .addExtension(Extension.authorityKeyIdentifier, false,
              ext.createAuthorityKeyIdentifier(ca.certificate()));
      return new KeyPairAndCert(sign(b, new KeyPair(ca.certificate().getPublicKey(), ca.key())), pair.getPrivate());
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("could not issue " + commonName, e);
    }
  }

  /** The service-account signing key pair (kubeadm's sa.key / sa.pub). */
  public KeyPair newServiceAccountKeyPair() {
    return rsa();
  }

  /**
   * kubeadm's discovery token CA cert hash: {@code sha256:} and the hex SHA-256 of the CA's
   * SubjectPublicKeyInfo, what {@code --discovery-token-ca-cert-hash} expects.
   */
  public static String discoveryHash(X509Certificate ca) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          ca.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String publicKeyPem(PublicKey key) {
    return Pem.encode(key);
  }

  private KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private BigInteger serial() {
    return new BigInteger(63, random).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      ContentSigner s = new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(s));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
