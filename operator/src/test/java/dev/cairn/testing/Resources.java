package dev.cairn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.ConditionedStatus;
import dev.cairn.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Cairn's objects in one test namespace, as every integration test reads them: the object, its
 * conditions, and waits on a condition or on the object being gone (polling the API server, never
 * sleeping).
 */
public record Resources(KubernetesClient client, String namespace) {
  private static final Duration WAIT = Duration.ofSeconds(90);

  /** The object, or null when it does not exist. */
  public <T extends CustomResource<?, ?>> T get(Class<T> kind, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get();
  }

  /** Its conditions; empty while it does not exist or has no status yet. */
  public <T extends CustomResource<?, ?>> List<Condition> conditions(Class<T> kind, String name) {
    T o = get(kind, name);
    return o == null || o.getStatus() == null ? List.of() : ((ConditionedStatus) o.getStatus()).getConditions();
  }

  /** One condition, if the object has it. */
  public <T extends CustomResource<?, ?>> Optional<Condition> find(Class<T> kind, String name, String type) {
    return Conditions.find(conditions(kind, name), type);
  }

  /** One condition; an assertion error when the object has no such condition. */
  public <T extends CustomResource<?, ?>> Condition condition(Class<T> kind, String name, String type) {
    return find(kind, name, type).orElseThrow(() -> new AssertionError(kind.getSimpleName() + "/" + name
        + " has no condition " + type));
  }

  /** Whether the condition is True now. */
  public <T extends CustomResource<?, ?>> boolean isTrue(Class<T> kind, String name, String type) {
    return Conditions.isTrue(conditions(kind, name), type);
  }

  /** Waits up to 90 s for the condition to have this status and reason; the failure lists every condition. */
  public <T extends CustomResource<?, ?>> void awaitCondition(Class<T> kind, String name, String type, String status,
      String reason) {
    awaitCondition(kind, name, type, status, reason, WAIT);
  }

  /** The same, for up to {@code atMost}: several nodes' work in a row on a machine that runs other suites too. */
  public <T extends CustomResource<?, ?>> void awaitCondition(Class<T> kind, String name, String type, String status,
      String reason, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      Condition c = condition(kind, name, type);
      assertThat(c.getStatus() + "/" + c.getReason()).as("%s/%s %s: %s; all: %s", kind.getSimpleName(), name, type,
          c.getMessage(), conditions(kind, name).stream()
              .map(x -> x.getType() + "=" + x.getStatus() + "/" + x.getReason()).toList())
          .isEqualTo(status + "/" + reason);
    });
  }

  /** Waits up to 90 s for the object to be gone. */
  public <T extends CustomResource<?, ?>> void awaitGone(Class<T> kind, String name) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      T o = get(kind, name);
      assertThat(o).as("%s/%s still there: %s", kind.getSimpleName(), name, o == null ? "" : o.getStatus()).isNull();
    });
  }

  /** Waits up to 20 s for "generation == observedGeneration" and answers the object as then. */
  public <T extends CustomResource<?, ?>> T awaitObserved(Class<T> kind, String name) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      T r = get(kind, name);
      Long observed = r == null || r.getStatus() == null ? null : ((ConditionedStatus) r.getStatus()).getObservedGeneration();
      return observed != null && observed.equals(r.getMetadata().getGeneration());
    });
    return get(kind, name);
  }
}
