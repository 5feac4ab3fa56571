package dev.cairn.testing;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** A test's edit of an object the operator writes too: read-modify-write again on a 409 Conflict. */
public final class Conflicts {
  private Conflicts() {}

  public static <T> T retry(Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }
}
