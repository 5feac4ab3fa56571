package dev.cairn.kubeadm;

import dev.cairn.common.SecretData;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Short-lived kubeadm bootstrap tokens in the workload cluster ({@code kube-system},
 * {@code bootstrap-token-<id>}, as kubeadm writes them), made and refreshed by Cairn: a join
 * gets a token with at least half its life left; Cairn's own expired tokens are deleted.
 */
public final class BootstrapTokens {
  public static final String NAMESPACE = "kube-system";
  public static final String TYPE = "bootstrap.kubernetes.io/token";
  public static final String MANAGED_LABEL = "cairn.dev/bootstrap-token";
  static final Pattern FORMAT = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public BootstrapTokens(Clock clock) {
    this.clock = clock;
  }

  /** A token valid for at least {@code ttl / 2} from now: an existing one of Cairn's, or a new one. */
  public String ensure(KubernetesClient workload, Duration ttl) {
    Instant now = Instant.now(clock);
    Optional<String> reusable = Optional.empty();
    for (Secret s : workload.secrets().inNamespace(NAMESPACE).withLabel(MANAGED_LABEL).list().getItems()) {
      Instant expires = Instant.parse(decode(s, "expiration"));
      if (!expires.isAfter(now)) {
        workload.resource(s).delete();
      } else if (reusable.isEmpty() && expires.isAfter(now.plus(ttl.dividedBy(2)))) {
        reusable = Optional.of(decode(s, "token-id") + "." + decode(s, "token-secret"));
      }
    }
    return reusable.orElseGet(() -> create(workload, now.plus(ttl)));
  }

  /** A fresh token, not stored anywhere: for the InitConfiguration, where kubeadm stores it. */
  public String generate() {
    return random(6) + "." + random(16);
  }

  private String create(KubernetesClient workload, Instant expires) {
    String id = random(6);
    String secret = random(16);
    workload.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("bootstrap-token-" + id).withNamespace(NAMESPACE)
        .addToLabels(MANAGED_LABEL, "true").endMetadata()
        .withType(TYPE)
        .withStringData(Map.of(
            "token-id", id,
            "token-secret", secret,
            "expiration", DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.SECONDS)),
            "usage-bootstrap-authentication", "true",
            "usage-bootstrap-signing", "true",
            "auth-extra-groups", "system:bootstrappers:kubeadm:default-node-token",
            "description", "made by Cairn for kubeadm join"))
        .build()).create();
    return id + "." + secret;
  }

  private String random(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private static String decode(Secret s, String key) {
    return SecretData.get(s, key).orElseThrow(() -> new IllegalStateException(
        "bootstrap token Secret " + s.getMetadata().getName() + " has no " + key));
  }
}
