package dev.cairn.cluster;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.common.SecretData;
import dev.cairn.pki.KeyPairAndCert;
import dev.cairn.pki.Pem;
import dev.cairn.pki.Pki;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Secrets a Cluster's PKI lives in, named and keyed as Cluster API names them
 * ({@code <cluster>-ca}, {@code -etcd}, {@code -proxy}, {@code -sa} with {@code tls.crt} and
 * {@code tls.key}). Created once and never regenerated while they exist: a restart, a re-apply
 * or a lost status must not mint a new CA.
 */
final class ClusterSecrets {
  static final String CLUSTER_LABEL = "cluster.x-k8s.io/cluster-name";
  static final String TYPE = "cluster.x-k8s.io/secret";
  static final String CERT = "tls.crt";
  static final String KEY = "tls.key";

  /** What the PKI looks like after ensuring it: all Secrets present and readable, or what is wrong. */
  record State(boolean available, String message, KeyPairAndCert clusterCa) {}

  private final Pki pki;

  ClusterSecrets(Pki pki) {
    this.pki = pki;
  }

  State ensure(KubernetesClient client, Cluster cluster) {
    String name = cluster.getMetadata().getName();
    List<String> problems = new ArrayList<>();
    KeyPairAndCert clusterCa = ensureCa(client, cluster, name + "-ca", () -> pki.newCa("kubernetes"), problems);
    ensureCa(client, cluster, name + "-etcd", () -> pki.newCa("etcd-ca"), problems);
    ensureCa(client, cluster, name + "-proxy", () -> pki.newCa("front-proxy-ca"), problems);
    Secret sa = getOrCreate(client, cluster, name + "-sa", () -> {
      KeyPair pair = pki.newServiceAccountKeyPair();
      return Map.of(CERT, Pki.publicKeyPem(pair.getPublic()), KEY, Pem.encode(pair.getPrivate()));
    });
    try {
      Pem.publicKey(decode(sa, CERT));
      Pem.privateKey(decode(sa, KEY));
    } catch (IllegalArgumentException e) {
      problems.add(name + "-sa: " + e.getMessage());
    }
    return problems.isEmpty() ? new State(true, "", clusterCa) : new State(false, String.join("; ", problems), null);
  }

  private KeyPairAndCert ensureCa(KubernetesClient client, Cluster cluster, String secretName,
      Supplier<KeyPairAndCert> mint, List<String> problems) {
    Secret secret = getOrCreate(client, cluster, secretName, () -> {
      KeyPairAndCert ca = mint.get();
      return Map.of(CERT, ca.certificatePem(), KEY, ca.keyPem());
    });
    try {
      var cert = Pem.certificate(decode(secret, CERT));
      var key = Pem.privateKey(decode(secret, KEY));
      if (cert.getBasicConstraints() < 0) {
        problems.add(secretName + ": tls.crt is not a CA certificate");
      }
      return new KeyPairAndCert(cert, key);
    } catch (IllegalArgumentException e) {
      problems.add(secretName + ": " + e.getMessage());
      return null;
    }
  }

  /** The existing Secret, or a new one; a Secret that exists is never replaced. */
  private static Secret getOrCreate(KubernetesClient client, Cluster cluster, String secretName,
      Supplier<Map<String, String>> content) {
    String ns = cluster.getMetadata().getNamespace();
    Secret existing = client.secrets().inNamespace(ns).withName(secretName).get();
    if (existing != null) {
      return existing;
    }
    Secret fresh = owned(cluster, secretName).withStringData(content.get()).build();
    try {
      return client.secrets().inNamespace(ns).resource(fresh).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return client.secrets().inNamespace(ns).withName(secretName).get();
      }
      throw e;
    }
  }

  /**
   * A Secret of the Cluster's: Cluster API's type and cluster-name label, owned by the Cluster so
   * it goes when the Cluster goes.
   */
  static SecretBuilder owned(Cluster cluster, String secretName) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName).withNamespace(cluster.getMetadata().getNamespace())
        .addToLabels(CLUSTER_LABEL, cluster.getMetadata().getName())
        .addToOwnerReferences(new OwnerReferenceBuilder()
            .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
            .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid())
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withType(TYPE);
  }

  private static String decode(Secret secret, String key) {
    return SecretData.get(secret, key).orElseThrow(() -> new IllegalArgumentException("has no " + key));
  }
}
