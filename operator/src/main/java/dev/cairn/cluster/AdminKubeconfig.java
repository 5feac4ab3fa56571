package dev.cairn.cluster;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.pki.KeyPairAndCert;
import dev.cairn.pki.Pem;
import dev.cairn.pki.Pki;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload cluster's admin kubeconfig, {@code <cluster>-kubeconfig} (key {@code value}, as
 * Cluster API names it), built by Cairn from the cluster CA with its own client certificate and
 * renewed in place before it expires or when the endpoint changes.
 */
public final class AdminKubeconfig {
  static final String KEY = "value";
  static final String USER = "cairn-admin";
  static final List<String> GROUPS = List.of("system:masters");
  /** Renew when less than this much of the certificate's life is left. */
  static final Duration RENEW_BEFORE = Duration.ofDays(90);
  private static final Pattern CLIENT_CERT = Pattern.compile("client-certificate-data: (\\S+)");
  private static final Pattern SERVER = Pattern.compile("server: (\\S+)");

  private final Pki pki;
  private final Clock clock;

  AdminKubeconfig(Pki pki, Clock clock) {
    this.pki = pki;
    this.clock = clock;
  }

  static String secretName(Cluster cluster) {
    return cluster.getMetadata().getName() + "-kubeconfig";
  }

  /** Creates or renews the Secret; returns true when it now holds a valid kubeconfig for {@code endpoint}. */
  boolean ensure(KubernetesClient client, Cluster cluster, KeyPairAndCert ca, String endpoint) {
    String ns = cluster.getMetadata().getNamespace();
    String server = "https://" + endpoint;
    Secret existing = client.secrets().inNamespace(ns).withName(secretName(cluster)).get();
    if (existing != null && current(existing, ca.certificate(), server)) {
      return true;
    }
    KeyPairAndCert admin = pki.issueClient(ca, USER, GROUPS, Pki.LEAF_VALIDITY);
    Secret secret = ClusterSecrets.owned(cluster, secretName(cluster))
        .withData(Map.of(KEY, Base64.getEncoder().encodeToString(
            render(cluster.getMetadata().getName(), server, ca, admin).getBytes(StandardCharsets.UTF_8))))
        .build();
    client.secrets().inNamespace(ns).resource(secret).fieldManager("cairn").forceConflicts().serverSideApply();
    return true;
  }

  /** Still good: same server, issued by this CA, and not within {@link #RENEW_BEFORE} of expiry. */
  private boolean current(Secret secret, X509Certificate ca, String server) {
    try {
      String kubeconfig = new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8);
      Matcher s = SERVER.matcher(kubeconfig);
      Matcher c = CLIENT_CERT.matcher(kubeconfig);
      if (!s.find() || !s.group(1).equals(server) || !c.find()) {
        return false;
      }
      X509Certificate cert = Pem.certificate(new String(Base64.getDecoder().decode(c.group(1)), StandardCharsets.UTF_8));
      cert.verify(ca.getPublicKey());
      return cert.getNotAfter().toInstant().isAfter(Instant.now(clock).plus(RENEW_BEFORE));
    } catch (RuntimeException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** A kubeconfig for {@code server} with {@code admin}'s client certificate, trusting {@code ca}. */
  public static String render(String cluster, String server, KeyPairAndCert ca, KeyPairAndCert admin) {
    Base64.Encoder b64 = Base64.getEncoder();
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s-admin
          user:
            client-certificate-data: %4$s
            client-key-data: %5$s
        contexts:
        - name: %1$s-admin@%1$s
          context:
            cluster: %1$s
            user: %1$s-admin
        current-context: %1$s-admin@%1$s
        """.formatted(cluster, server,
        b64.encodeToString(ca.certificatePem().getBytes(StandardCharsets.UTF_8)),
        b64.encodeToString(admin.certificatePem().getBytes(StandardCharsets.UTF_8)),
        b64.encodeToString(admin.keyPem().getBytes(StandardCharsets.UTF_8)));
  }
}
