package dev.cairn.runtime;

import dev.cairn.common.ClasspathText;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CRDs generated from the API model, as shipped inside the operator jar. */
public final class Crds {
  public static final List<String> NAMES =
      List.of("clusters.cairn.dev", "controlplanenodes.cairn.dev", "workernodes.cairn.dev");

  private Crds() {}

  public static List<CustomResourceDefinition> load(KubernetesClient client) {
    List<CustomResourceDefinition> crds = new ArrayList<>();
    for (String name : NAMES) {
      String path = "/META-INF/fabric8/" + name + "-v1.yml";
      crds.add(client.getKubernetesSerialization().unmarshal(ClasspathText.read(Crds.class, path),
          CustomResourceDefinition.class));
    }
    return crds;
  }

  /** Creates or updates the CRDs (server-side apply) and waits until the API server serves them. */
  public static void install(KubernetesClient client) {
    for (CustomResourceDefinition crd : load(client)) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd)
          .fieldManager("cairn").forceConflicts().serverSideApply();
    }
    for (String name : NAMES) {
      client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
          crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
              .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())),
          60, TimeUnit.SECONDS);
    }
  }
}
