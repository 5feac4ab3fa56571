package dev.cairn.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/** Builds status patches that carry only name, namespace and status, as the style guide asks. */
public final class StatusPatches {
  private StatusPatches() {}

  public static <S, R extends CustomResource<?, S>> R of(R resource, S status, Supplier<R> factory) {
    R patch = factory.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .build());
    patch.setStatus(status);
    return patch;
  }
}
