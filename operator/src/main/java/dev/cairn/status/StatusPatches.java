package dev.cairn.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How the Cluster and node reconcilers write status, alike: patches that carry only name,
 * namespace and status, as the style guide asks, sent only when the status changed.
 */
public final class StatusPatches {
  private StatusPatches() {}

  /**
   * Patches {@code status} in when it differs from the resource's, and caches what was written:
   * the next reconcile must read this status, not an older one the informer still holds (a stale
   * "not joined" would undo a join). Returns whether it patched.
   */
  public static <S, R extends CustomResource<?, S>> boolean patchIfChanged(R resource, S status, Supplier<R> factory,
      Context<R> context) {
    if (status.equals(resource.getStatus())) {
      return false;
    }
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, of(resource, status, factory), context);
    return true;
  }

  /**
   * After an unexpected error: {@code status} (Ready Unknown) patched in, and a look again on the
   * resync also after JOSDK's retries are spent, since a VM sends no event.
   */
  public static <S, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> afterError(R resource, S status,
      Supplier<R> factory, Duration resync) {
    return ErrorStatusUpdateControl.patchStatus(of(resource, status, factory)).rescheduleAfter(resync);
  }

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
