package dev.cairn.kubeadm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.testing.ManagementCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bootstrap tokens against a real API server standing in for the workload cluster. */
@ExtendWith(ManagementCluster.class)
class BootstrapTokensIT {
  private static final Duration TTL = Duration.ofMinutes(15);

  @Test
  void aTokenIsReusedWhileFreshAndReplacedAndCleanedUpWhenOld(KubernetesClient client) {
    // the API server is shared: start without tokens other tests' operators made
    client.secrets().inNamespace(BootstrapTokens.NAMESPACE).withLabel(BootstrapTokens.MANAGED_LABEL).delete();
    String first = new BootstrapTokens(Clock.systemUTC()).ensure(client, TTL);
    assertThat(first).matches(BootstrapTokens.FORMAT);
    Secret secret = client.secrets().inNamespace("kube-system").withName("bootstrap-token-" + first.substring(0, 6)).get();
    assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
    assertThat(secret.getData()).containsKeys("token-id", "token-secret", "expiration", "usage-bootstrap-authentication",
        "usage-bootstrap-signing", "auth-extra-groups");

    assertThat(new BootstrapTokens(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5))).ensure(client, TTL))
        .as("10 of 15 minutes left: reused").isEqualTo(first);
    String second = new BootstrapTokens(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))).ensure(client, TTL);
    assertThat(second).as("5 of 15 minutes left: a fresh one").isNotEqualTo(first).matches(BootstrapTokens.FORMAT);

    new BootstrapTokens(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16))).ensure(client, TTL);
    List<String> names = client.secrets().inNamespace("kube-system").withLabel(BootstrapTokens.MANAGED_LABEL).list()
        .getItems().stream().map(s -> s.getMetadata().getName()).toList();
    assertThat(names).as("the expired first token is gone").doesNotContain("bootstrap-token-" + first.substring(0, 6));
  }
}
