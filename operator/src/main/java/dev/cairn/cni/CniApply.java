package dev.cairn.cni;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies rendered CNI objects ({@link CniManifests#render}) through a workload cluster's API by
 * server-side apply, in their order, with Cairn as field manager taking over conflicting fields.
 *
 * <p>A custom resource whose CRD is among the objects (Calico's {@code BGPConfiguration}) is
 * applied only once that CRD is {@code Established}: until then the API server does not serve
 * its kind, and its apply would fail (the client finds no such resource in discovery, the server
 * answers 404). Nothing here waits or retries: it is skipped and named in the result, and the
 * caller's next pass applies everything again (server-side apply of the same objects changes
 * nothing) and it then. The API server establishes a new CRD within a second or so, usually
 * before the objects between it and the custom resource are applied. Such a custom resource is
 * addressed by what its CRD says (group, version, plural, scope), not through the client's
 * discovery, which may not list a kind established a moment ago.
 */
public final class CniApply {
  private CniApply() {
  }

  /**
   * Server-side applies {@code objects} in order.
   *
   * @return the custom resources not applied because their CRD is not Established yet, as
   *     {@code BGPConfiguration default (CRD bgpconfigurations.crd.projectcalico.org not
   *     Established yet)}; empty when everything was applied
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when an apply fails
   */
  public static List<String> apply(KubernetesClient client, List<HasMetadata> objects, String fieldManager) {
    Map<String, CustomResourceDefinition> crdByKind = new HashMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof CustomResourceDefinition crd) {
        crdByKind.put(crd.getSpec().getGroup() + "/" + crd.getSpec().getNames().getKind(), crd);
      }
    }
    List<String> pending = new ArrayList<>();
    for (HasMetadata o : objects) {
      CustomResourceDefinition crd = o instanceof GenericKubernetesResource
          ? crdByKind.get(group(o.getApiVersion()) + "/" + o.getKind()) : null;
      if (crd == null) {
        client.resource(o).fieldManager(fieldManager).forceConflicts().serverSideApply();
      } else if (!established(client, crd.getMetadata().getName())) {
        pending.add(o.getKind() + " " + o.getMetadata().getName() + " (CRD " + crd.getMetadata().getName()
            + " not Established yet)");
      } else {
        var resources = client.genericKubernetesResources(context(crd, o));
        var in = "Namespaced".equals(crd.getSpec().getScope()) && o.getMetadata().getNamespace() != null
            ? resources.inNamespace(o.getMetadata().getNamespace()) : resources;
        in.resource((GenericKubernetesResource) o).fieldManager(fieldManager).forceConflicts().serverSideApply();
      }
    }
    return pending;
  }

  /** Where the API serves {@code o}, from its CRD: no discovery needed. */
  static ResourceDefinitionContext context(CustomResourceDefinition crd, HasMetadata o) {
    String apiVersion = o.getApiVersion();
    return new ResourceDefinitionContext.Builder()
        .withGroup(crd.getSpec().getGroup())
        .withVersion(apiVersion.substring(apiVersion.indexOf('/') + 1))
        .withKind(crd.getSpec().getNames().getKind())
        .withPlural(crd.getSpec().getNames().getPlural())
        .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
        .build();
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static boolean established(KubernetesClient client, String crdName) {
    CustomResourceDefinition live = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
    return live != null && live.getStatus() != null && live.getStatus().getConditions() != null
        && live.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
