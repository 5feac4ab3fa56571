package dev.cairn.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A kubeadm cluster built on existing machines; its nodes point at it by name. */
@Group(Cluster.GROUP)
@Version(Cluster.VERSION)
@ShortNames("ccl")
@Categories("cairn")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.kubernetesVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.controlPlaneEndpoint", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Control Plane", jsonPath = ".status.controlPlane.summary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".status.workers.summary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value = "!has(oldSelf.status) || !has(oldSelf.status.controlPlaneEndpoint)"
        + " || (has(self.spec.controlPlaneEndpoint) ? self.spec.controlPlaneEndpoint : '')"
        + " == (has(oldSelf.spec.controlPlaneEndpoint) ? oldSelf.spec.controlPlaneEndpoint : '')",
    message = "spec.controlPlaneEndpoint cannot change once the cluster is initialised: it is in every node's"
        + " kubeconfig and in the API server's certificate; build a new Cluster for another endpoint",
    fieldPath = ".spec.controlPlaneEndpoint",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(oldSelf.status) || !has(oldSelf.status.kubernetesVersion)"
        + " || self.spec.kubernetesVersion == oldSelf.spec.kubernetesVersion"
        + " || int(self.spec.kubernetesVersion.substring(3, 5)) <= int(oldSelf.status.kubernetesVersion.substring(3, 5)) + 1",
    message = "spec.kubernetesVersion may be at most one minor ahead of the version every member runs"
        + " (status.kubernetesVersion): let the rollout under way finish first",
    fieldPath = ".spec.kubernetesVersion",
    reason = "FieldValueForbidden")
public class Cluster extends CustomResource<ClusterSpec, ClusterStatus> implements Namespaced {
  public static final String GROUP = "cairn.dev";
  public static final String VERSION = "v1alpha1";
}
