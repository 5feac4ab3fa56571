package dev.cairn.kubeadm;

import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.api.v1alpha1.ControlPlaneArgs;
import dev.cairn.api.v1alpha1.KubeadmTimeouts;
import dev.cairn.common.GoDuration;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Cluster's spec adds to kubeadm's own configuration: extra flags per control-plane
 * component, timeouts, and whether a patches directory is in use. Cairn's defaults (10 min for the
 * control-plane health check, discovery and TLS bootstrap: small machines start slowly) are
 * overridden by the spec.
 *
 * @param extraArgs component (apiServer, controllerManager, scheduler, etcd) to flag to value
 * @param timeouts kubeadm's v1beta4 timeout name to a duration, spec over defaults
 * @param patches true: the kubeadm config names {@link #PATCHES_DIR}
 * @param certificateValidity the lifetime of the certificates kubeadm issues (v1beta4's
 *     {@code certificateValidityPeriod}); null for kubeadm's year
 */
public record KubeadmTuning(Map<String, Map<String, String>> extraArgs, Map<String, Duration> timeouts, boolean patches,
    Duration certificateValidity) {
  public static final String PATCHES_DIR = "/etc/cairn/patches";
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
  /** v1beta4's order, so rendered files do not change from run to run. */
  static final List<String> TIMEOUT_NAMES = List.of("controlPlaneComponentHealthCheck", "kubeletHealthCheck",
      "kubernetesAPICall", "etcdAPICall", "tlsBootstrap", "discovery", "upgradeManifests");
  static final List<String> JOIN_TIMEOUTS = TIMEOUT_NAMES.subList(0, 6);
  static final List<String> UPGRADE_TIMEOUTS = List.of("controlPlaneComponentHealthCheck", "kubeletHealthCheck",
      "kubernetesAPICall", "etcdAPICall", "upgradeManifests");

  public static final KubeadmTuning DEFAULTS = new KubeadmTuning(Map.of(), defaults(), false, null);

  private static Map<String, Duration> defaults() {
    Map<String, Duration> d = new LinkedHashMap<>();
    d.put("controlPlaneComponentHealthCheck", DEFAULT_WAIT);
    d.put("tlsBootstrap", DEFAULT_WAIT);
    d.put("discovery", DEFAULT_WAIT);
    d.put("upgradeManifests", DEFAULT_WAIT);
    return d;
  }

  public static KubeadmTuning of(ClusterSpec spec) {
    Map<String, Map<String, String>> args = new LinkedHashMap<>();
    ControlPlaneArgs a = spec.getControlPlane().getExtraArgs();
    if (a != null) {
      putSorted(args, "apiServer", a.apiServer());
      putSorted(args, "controllerManager", a.controllerManager());
      putSorted(args, "scheduler", a.scheduler());
      putSorted(args, "etcd", a.etcd());
    }
    Map<String, Duration> timeouts = new LinkedHashMap<>(defaults());
    KubeadmTimeouts t = spec.getKubeadmTimeouts();
    if (t != null) {
      putDuration(timeouts, "controlPlaneComponentHealthCheck", t.controlPlaneComponentHealthCheck());
      putDuration(timeouts, "kubeletHealthCheck", t.kubeletHealthCheck());
      putDuration(timeouts, "kubernetesAPICall", t.kubernetesAPICall());
      putDuration(timeouts, "etcdAPICall", t.etcdAPICall());
      putDuration(timeouts, "tlsBootstrap", t.tlsBootstrap());
      putDuration(timeouts, "discovery", t.discovery());
      putDuration(timeouts, "upgradeManifests", t.upgradeManifests());
    }
    List<?> patches = spec.getControlPlane().getPatches();
    return new KubeadmTuning(args, timeouts, patches != null && !patches.isEmpty(),
        spec.certificatesOrDefault().validityOrNull());
  }

  private static void putSorted(Map<String, Map<String, String>> args, String component, Map<String, String> flags) {
    if (flags != null && !flags.isEmpty()) {
      args.put(component, new TreeMap<>(flags));
    }
  }

  private static void putDuration(Map<String, Duration> timeouts, String name, String value) {
    if (value != null && !value.isBlank()) {
      timeouts.put(name, GoDuration.parse(value));
    }
  }

  /** The timeouts in v1beta4's shape and order. */
  Map<String, Object> timeoutsDocument(List<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : TIMEOUT_NAMES) {
      if (names.contains(name) && timeouts.containsKey(name)) {
        out.put(name, GoDuration.format(timeouts.get(name)));
      }
    }
    return out;
  }

  String timeout(String name) {
    return GoDuration.format(timeouts.getOrDefault(name, DEFAULT_WAIT));
  }

  /** A component's flags as the API version lists them: name/value pairs (v1beta4) or a map (v1beta3). */
  Object extraArgs(String component, boolean v1beta4) {
    Map<String, String> flags = extraArgs.getOrDefault(component, Map.of());
    return v1beta4 ? flags.entrySet().stream().map(e -> nameValue(e.getKey(), e.getValue())).toList()
        : new TreeMap<>(flags);
  }

  boolean hasArgs(String component) {
    return extraArgs.containsKey(component);
  }

  /**
   * How long one kubeadm run may take before Cairn gives up on it: everything kubeadm itself may
   * wait for, and room for pulling images and writing files.
   */
  public Duration runBudget() {
    Duration waits = timeouts.getOrDefault("controlPlaneComponentHealthCheck", DEFAULT_WAIT)
        .plus(timeouts.getOrDefault("kubeletHealthCheck", Duration.ofMinutes(4)))
        .plus(longer(timeouts.getOrDefault("discovery", DEFAULT_WAIT), timeouts.getOrDefault("tlsBootstrap", DEFAULT_WAIT)));
    return longer(waits.plusMinutes(10), Duration.ofMinutes(20));
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** One extra argument as v1beta4 lists them: name first, then value, in that order always. */
  static Map<String, Object> nameValue(String name, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("value", value);
    return m;
  }
}
