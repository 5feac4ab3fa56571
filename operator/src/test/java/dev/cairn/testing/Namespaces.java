package dev.cairn.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh namespace per test, so tests sharing one API server never see each other's objects. */
public final class Namespaces {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private Namespaces() {}

  public static String create(KubernetesClient client, String prefix) {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }
}
