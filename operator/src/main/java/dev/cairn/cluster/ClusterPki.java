package dev.cairn.cluster;

import dev.cairn.common.SecretData;
import dev.cairn.pki.Pem;
import dev.cairn.pki.Pki;
import dev.cairn.pki.PkiFile;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Cluster's CA material as hosts need it, read from its Secrets: the files kubeadm expects in
 * /etc/kubernetes/pki, and the CA's fingerprint that identifies the cluster on a host. Secret:
 * {@link #toString} shows no key.
 */
public record ClusterPki(X509Certificate ca, List<PkiFile> files) {

  /** The four Secrets' material, or empty while one is missing or unreadable. */
  public static Optional<ClusterPki> read(KubernetesClient client, String namespace, String cluster) {
    List<PkiFile> files = new ArrayList<>();
    String[][] layout = {
        {cluster + "-ca", "ca.crt", "ca.key"},
        {cluster + "-etcd", "etcd/ca.crt", "etcd/ca.key"},
        {cluster + "-proxy", "front-proxy-ca.crt", "front-proxy-ca.key"},
        {cluster + "-sa", "sa.pub", "sa.key"}};
    for (String[] entry : layout) {
      Secret secret = client.secrets().inNamespace(namespace).withName(entry[0]).get();
      if (secret == null) {
        return Optional.empty();
      }
      Optional<String> cert = SecretData.get(secret, ClusterSecrets.CERT);
      Optional<String> key = SecretData.get(secret, ClusterSecrets.KEY);
      if (cert.isEmpty() || key.isEmpty()) {
        return Optional.empty();
      }
      files.add(new PkiFile(entry[1], cert.get()));
      files.add(new PkiFile(entry[2], key.get()));
    }
    try {
      return Optional.of(new ClusterPki(Pem.certificate(files.get(0).content()), List.copyOf(files)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** SHA-256 (hex) of the CA certificate's DER. */
  public String fingerprint() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** kubeadm's {@code sha256:<hex>} of the CA's public key, for join discovery. */
  public String discoveryHash() {
    return Pki.discoveryHash(ca);
  }

  /** The private keys, for redacting command output. */
  public List<String> secrets() {
    return files.stream().filter(f -> f.path().endsWith(".key")).map(PkiFile::content).toList();
  }

  @Override
  public String toString() {
    return "ClusterPki[ca sha256:" + fingerprint() + "]";
  }
}
