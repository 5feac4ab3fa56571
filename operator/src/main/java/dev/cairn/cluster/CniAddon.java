package dev.cairn.cluster;

import static dev.cairn.status.Conditions.FALSE;
import static dev.cairn.status.Conditions.TRUE;
import static dev.cairn.status.Conditions.UNKNOWN;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterStatus;
import dev.cairn.api.v1alpha1.CniSpec;
import dev.cairn.api.v1alpha1.CniStatus;
import dev.cairn.cni.CniApply;
import dev.cairn.cni.CniManifests;
import dev.cairn.cni.UnsupportedCniException;
import dev.cairn.status.ConditionType;
import dev.cairn.status.Conditions;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The workload cluster's CNI: the manifests shipped in the operator, applied through the
 * workload API by server-side apply once the control plane is initialised (again when plugin,
 * version, Pod subnet or image repository change, or when its workloads went missing), and
 * {@code CNIReady} from its pods and CoreDNS's, which cannot leave Pending without a CNI. A custom
 * resource whose new CRD is not Established yet ({@link CniApply}) keeps CNIReady False naming it,
 * and the next pass applies everything again.
 */
final class CniAddon {
  static final String FIELD_MANAGER = "cairn";
  static final String DNS_NAMESPACE = "kube-system";
  static final String DNS_DEPLOYMENT = "coredns";

  private final Conditions conditions;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  CniAddon(Conditions conditions) {
    this.conditions = conditions;
  }

  /** CNIReady reasons only a change of the spec can clear. */
  static boolean needsPerson(String reason) {
    return Reason.UNSUPPORTED_CNI_VERSION.equals(reason) || Reason.CNI_CONFIG_INVALID.equals(reason);
  }

  void observe(Cluster cluster, ClusterStatus status, WorkloadAccess workload, long generation) {
    var list = status.getConditions();
    if (!Conditions.isTrue(list, ConditionType.CONTROL_PLANE_INITIALIZED)) {
      conditions.set(list, ConditionType.CNI_READY, FALSE, Reason.NOT_INITIALIZED,
          "applied once the first control plane is initialised", generation);
      return;
    }
    Optional<KubernetesClient> client = workload.client(cluster);
    if (client.isEmpty()) {
      conditions.set(list, ConditionType.CNI_READY, UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the Cluster's admin kubeconfig is not available yet", generation);
      return;
    }
    CniSpec spec = cluster.getSpec().getNetwork().getCni();
    CniSpec.Plugin plugin = spec == null || spec.getPlugin() == null ? CniSpec.Plugin.CALICO : spec.getPlugin();
    String version = spec == null || spec.getVersion() == null || spec.getVersion().isBlank()
        ? CniManifests.defaultVersion(plugin) : spec.getVersion();
    try {
      List<String> waiting = new ArrayList<>();
      if (plugin != CniSpec.Plugin.NONE) {
        List<HasMetadata> objects = CniManifests.render(plugin, version, cluster.getSpec().getNetwork().getPodSubnet(),
            cluster.getSpec().getImageRepository(), spec == null ? null : spec.getPatches());
        String hash = hash(objects);
        List<String> notReady = notReady(client.get(), CniManifests.readiness(plugin));
        boolean missing = notReady.stream().anyMatch(s -> s.endsWith(" missing"));
        if (status.getCni() == null || !hash.equals(status.getCni().manifestHash()) || missing) {
          List<String> pending = CniApply.apply(client.get(), objects, FIELD_MANAGER);
          if (pending.isEmpty()) {
            status.setCni(new CniStatus(plugin.name().toLowerCase(), version, hash));
          } else {
            // the hash is recorded once all is applied, so the next pass applies again
            waiting.addAll(pending);
          }
          notReady = notReady(client.get(), CniManifests.readiness(plugin));
        }
        waiting.addAll(notReady);
      } else {
        status.setCni(new CniStatus("none", null, null));
      }
      waiting.addAll(notReady(client.get(), List.of(new CniManifests.Workload("Deployment", DNS_NAMESPACE,
          DNS_DEPLOYMENT))));
      String what = plugin == CniSpec.Plugin.NONE ? "your CNI" : plugin.name().toLowerCase() + " " + version;
      if (waiting.isEmpty()) {
        conditions.set(list, ConditionType.CNI_READY, TRUE, Reason.AVAILABLE, what + " and CoreDNS running",
            generation);
      } else {
        conditions.set(list, ConditionType.CNI_READY, FALSE, Reason.CNI_NOT_READY,
            what + ": " + String.join("; ", waiting), generation);
      }
    } catch (UnsupportedCniException e) {
      conditions.set(list, ConditionType.CNI_READY, FALSE, Reason.UNSUPPORTED_CNI_VERSION, e.getMessage(), generation);
    } catch (IllegalArgumentException e) {
      conditions.set(list, ConditionType.CNI_READY, FALSE, Reason.CNI_CONFIG_INVALID, e.getMessage(), generation);
    } catch (KubernetesClientException e) {
      conditions.set(list, ConditionType.CNI_READY, UNKNOWN, Reason.WORKLOAD_UNREACHABLE,
          "the workload API did not answer: " + e.getMessage(), generation);
    }
  }

  /** For each workload that is not ready, why; "missing" when it does not exist. */
  static List<String> notReady(KubernetesClient client, List<CniManifests.Workload> workloads) {
    List<String> out = new ArrayList<>();
    for (CniManifests.Workload w : workloads) {
      String name = w.namespace() + "/" + w.name();
      if ("DaemonSet".equals(w.kind())) {
        DaemonSet ds = client.apps().daemonSets().inNamespace(w.namespace()).withName(w.name()).get();
        if (ds == null) {
          out.add("DaemonSet " + name + " missing");
        } else {
          int desired = ds.getStatus() == null || ds.getStatus().getDesiredNumberScheduled() == null
              ? 0 : ds.getStatus().getDesiredNumberScheduled();
          int ready = ds.getStatus() == null || ds.getStatus().getNumberReady() == null
              ? 0 : ds.getStatus().getNumberReady();
          if (desired == 0 || ready < desired) {
            out.add(w.name() + " " + ready + "/" + desired + " ready");
          }
        }
      } else {
        Deployment d = client.apps().deployments().inNamespace(w.namespace()).withName(w.name()).get();
        if (d == null) {
          out.add("Deployment " + name + " missing");
        } else {
          int available = d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
              ? 0 : d.getStatus().getAvailableReplicas();
          if (available < 1) {
            int wanted = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            out.add(w.name() + " " + available + "/" + wanted + " available");
          }
        }
      }
    }
    return out;
  }

  private String hash(List<HasMetadata> objects) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (HasMetadata o : objects) {
        digest.update(serialization.asJson(o).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
