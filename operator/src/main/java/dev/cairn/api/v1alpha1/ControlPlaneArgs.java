package dev.cairn.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Extra command-line flags of the control-plane components, as kubeadm's {@code extraArgs}:
 * flag name without dashes to value. They take effect when a control plane is initialised or
 * joins; Cairn does not rewrite the manifests of running control planes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.apiServer) || self.apiServer.all(k, k.matches('^[a-z0-9][-a-z0-9.]*$'))",
    message = "flag names are lower case without leading dashes, e.g. leader-elect", fieldPath = ".apiServer")
@ValidationRule(value = "!has(self.controllerManager) || self.controllerManager.all(k, k.matches('^[a-z0-9][-a-z0-9.]*$'))",
    message = "flag names are lower case without leading dashes, e.g. leader-elect", fieldPath = ".controllerManager")
@ValidationRule(value = "!has(self.scheduler) || self.scheduler.all(k, k.matches('^[a-z0-9][-a-z0-9.]*$'))",
    message = "flag names are lower case without leading dashes, e.g. leader-elect", fieldPath = ".scheduler")
@ValidationRule(value = "!has(self.etcd) || self.etcd.all(k, k.matches('^[a-z0-9][-a-z0-9.]*$'))",
    message = "flag names are lower case without leading dashes, e.g. leader-elect", fieldPath = ".etcd")
public record ControlPlaneArgs(
    @Size(max = 64)
    @JsonPropertyDescription("Flags of kube-apiserver.")
    Map<String, String> apiServer,
    @Size(max = 64)
    @JsonPropertyDescription("Flags of kube-controller-manager.")
    Map<String, String> controllerManager,
    @Size(max = 64)
    @JsonPropertyDescription("Flags of kube-scheduler.")
    Map<String, String> scheduler,
    @Size(max = 64)
    @JsonPropertyDescription("Flags of the local etcd.")
    Map<String, String> etcd) {}
