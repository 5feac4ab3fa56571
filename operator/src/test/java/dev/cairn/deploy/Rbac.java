package dev.cairn.deploy;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import java.util.Map;

/**
 * The permissions the chart must grant, and why: every verb is one the operator's code calls (the
 * install test records them from the API server's audit log), or is listed in {@link #RESERVED}
 * with the reason it is granted before the code that uses it runs in a test.
 */
final class Rbac {
  static final String GROUP = "cairn.dev";
  static final List<String> KINDS = List.of("clusters", "controlplanenodes", "workernodes");

  /** In every namespace Cairn manages (a ClusterRole, or a Role per watched namespace). */
  static final List<PolicyRule> NAMESPACE_RULES = List.of(
      rule(GROUP, KINDS, "get", "list", "watch", "patch"),
      rule(GROUP, List.of("controlplanenodes", "workernodes"), "delete"),
      rule(GROUP, sub("status"), "patch"),
      rule(GROUP, sub("finalizers"), "update"),
      rule("", List.of("secrets"), "get", "list", "watch", "create", "update", "patch", "delete"),
      rule("", List.of("events"), "create", "patch"),
      rule("events.k8s.io", List.of("events"), "create", "patch"));

  /** In the release namespace only. */
  static final List<PolicyRule> LEASE_RULES = List.of(
      rule("coordination.k8s.io", List.of("leases"), "create"),
      new PolicyRuleBuilder(rule("coordination.k8s.io", List.of("leases"), "get", "update", "patch"))
          .withResourceNames("cairn-operator").build());

  /**
   * Granted although a short run of today's operator may not send them, keyed by
   * "verb group/resource[/subresource]", with the reason.
   */
  static final Map<String, String> RESERVED = Map.ofEntries(
      Map.entry("get cairn.dev/clusters", "JOSDK re-reads a resource after a conflict"),
      Map.entry("get cairn.dev/controlplanenodes", "JOSDK re-reads a resource after a conflict"),
      Map.entry("get cairn.dev/workernodes", "JOSDK re-reads a resource after a conflict"),
      Map.entry("patch cairn.dev/clusters", "finalizer cairn.dev/cleanup (server-side apply)"),
      Map.entry("patch cairn.dev/controlplanenodes", "annotation cairn.dev/accept-new-host-key removed; finalizer"),
      Map.entry("patch cairn.dev/workernodes", "annotation cairn.dev/accept-new-host-key removed; finalizer"),
      Map.entry("update cairn.dev/clusters/finalizers",
          "owner references with blockOwnerDeletion on the Cluster's Secrets (OwnerReferencesPermissionEnforcement)"),
      Map.entry("update cairn.dev/controlplanenodes/finalizers", "cleanup finalizer cairn.dev/cleanup"),
      Map.entry("update cairn.dev/workernodes/finalizers", "cleanup finalizer cairn.dev/cleanup"),
      Map.entry("delete cairn.dev/controlplanenodes", "a deleted Cluster deletes its nodes"),
      Map.entry("delete cairn.dev/workernodes", "a deleted Cluster deletes its nodes"),
      Map.entry("list /secrets", "watching SSH key Secrets (issue 5)"),
      Map.entry("watch /secrets", "watching SSH key Secrets (issue 5)"),
      Map.entry("update /secrets", "renewing owned Secrets in place"),
      Map.entry("delete /secrets", "cleanup finalizer: a deleted Cluster's Secrets"),
      Map.entry("patch /events", "event series (count) on repeated transitions"),
      Map.entry("create events.k8s.io/events", "the events.k8s.io/v1 recorder"),
      Map.entry("patch events.k8s.io/events", "the events.k8s.io/v1 recorder"),
      Map.entry("create coordination.k8s.io/leases", "the first replica creates the Lease"),
      Map.entry("update coordination.k8s.io/leases",
          "JOSDK asks for it (SelfSubjectAccessReview) before it starts leader election"));

  private Rbac() {}

  private static List<String> sub(String subresource) {
    return KINDS.stream().map(k -> k + "/" + subresource).toList();
  }

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
  }
}
