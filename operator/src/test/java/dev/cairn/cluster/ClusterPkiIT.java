package dev.cairn.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.ClusterSpec;
import dev.cairn.pki.Pem;
import dev.cairn.runtime.CairnOperator;
import dev.cairn.runtime.Settings;
import dev.cairn.status.Conditions;
import dev.cairn.testing.ManagementCluster;
import dev.cairn.testing.Namespaces;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.client.Config;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Cluster's CAs and service-account keys live in management-cluster Secrets, made once and
 * never regenerated: not by a restart of the operator, not by a lost status.
 */
@ExtendWith(ManagementCluster.class)
class ClusterPkiIT {
  private static final List<String> SUFFIXES = List.of("ca", "etcd", "proxy", "sa");

  @Test
  void secretsAreCreatedOnceAndSurviveRestartsAndALostStatus(ManagementCluster.Server server) {
    KubernetesClient client = server.client();
    String namespace = Namespaces.create(client, "pki");
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("pki").withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.35.4");
    cluster.setSpec(spec);
    client.resource(cluster).create();

    Map<String, Secret> first;
    try (CairnOperator operator = start(server, namespace)) {
      awaitCertificatesAvailable(client, namespace);
      first = secrets(client, namespace);
    }
    assertThat(first).hasSize(4);
    for (String suffix : List.of("ca", "etcd", "proxy")) {
      Secret s = first.get(suffix);
      assertThat(s.getType()).isEqualTo("cluster.x-k8s.io/secret");
      assertThat(s.getMetadata().getLabels()).containsEntry("cluster.x-k8s.io/cluster-name", "pki");
      assertThat(s.getMetadata().getOwnerReferences()).extracting(o -> o.getKind()).containsExactly("Cluster");
      assertThat(Pem.certificate(decode(s, "tls.crt")).getBasicConstraints()).isGreaterThanOrEqualTo(0);
      assertThat(decode(s, "tls.key")).contains("PRIVATE KEY");
    }
    assertThat(Pem.certificate(decode(first.get("ca"), "tls.crt")).getSubjectX500Principal().getName())
        .isEqualTo("CN=kubernetes");
    assertThat(Pem.certificate(decode(first.get("etcd"), "tls.crt")).getSubjectX500Principal().getName())
        .isEqualTo("CN=etcd-ca");
    assertThat(Pem.publicKey(decode(first.get("sa"), "tls.crt"))).isNotNull();

    // a lost status and an operator restart must not mint new CAs
    client.resources(Cluster.class).inNamespace(namespace).withName("pki").editStatus(c -> {
      c.setStatus(null);
      return c;
    });
    try (CairnOperator operator = start(server, namespace)) {
      awaitCertificatesAvailable(client, namespace);
    }
    Map<String, Secret> second = secrets(client, namespace);
    for (String suffix : SUFFIXES) {
      assertThat(second.get(suffix).getMetadata().getUid()).as(suffix).isEqualTo(first.get(suffix).getMetadata().getUid());
      assertThat(second.get(suffix).getData()).as(suffix).isEqualTo(first.get(suffix).getData());
    }
    String status = client.resources(Cluster.class).inNamespace(namespace).withName("pki").get().getStatus().toString()
        + client.resources(Cluster.class).inNamespace(namespace).withName("pki").get().getStatus().getConditions();
    assertThat(status).doesNotContain("PRIVATE", "BEGIN");
  }

  @Test
  void theAdminKubeconfigPointsAtTheEndpointChainsToTheClusterCaAndIsRenewedBeforeExpiry(
      ManagementCluster.Server server) throws Exception {
    KubernetesClient client = server.client();
    String namespace = Namespaces.create(client, "kubeconfig");
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("kc").withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.35.4");
    spec.setControlPlaneEndpoint("k8s.lab.example:6443");
    cluster.setSpec(spec);
    client.resource(cluster).create();

    X509Certificate first;
    try (CairnOperator operator = start(server, namespace, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Cluster c = client.resources(Cluster.class).inNamespace(namespace).withName("kc").get();
        assertThat(c.getStatus()).isNotNull();
        assertThat(c.getStatus().getKubeconfigSecretRef()).isNotNull();
        assertThat(c.getStatus().getKubeconfigSecretRef().name()).isEqualTo("kc-kubeconfig");
        assertThat(c.getStatus().getControlPlaneEndpoint()).isEqualTo("k8s.lab.example:6443");
      });
      first = clientCertificate(client, namespace);
    }
    X509Certificate ca = Pem.certificate(decode(client.secrets().inNamespace(namespace).withName("kc-ca").get(), "tls.crt"));
    first.verify(ca.getPublicKey());
    assertThat(first.getSubjectX500Principal().getName()).contains("O=system:masters");
    Config config = Config.fromKubeconfig(kubeconfig(client, namespace));
    assertThat(config.getMasterUrl()).startsWith("https://k8s.lab.example:6443");
    assertThat(config.getCaCertData()).isNotBlank();

    // 300 days on, less than the renewal margin is left: the client certificate is renewed in place
    try (CairnOperator operator = start(server, namespace, Clock.offset(Clock.systemUTC(), Duration.ofDays(300)))) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(clientCertificate(client, namespace).getSerialNumber()).isNotEqualTo(first.getSerialNumber()));
    }
    X509Certificate renewed = clientCertificate(client, namespace);
    renewed.verify(ca.getPublicKey());
    assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
    assertThat(Pem.certificate(decode(client.secrets().inNamespace(namespace).withName("kc-ca").get(), "tls.crt")))
        .as("the CA stays").isEqualTo(ca);
  }

  @Test
  void withoutAnEndpointTheFirstControlPlaneIsTheEndpoint(ManagementCluster.Server server) {
    KubernetesClient client = server.client();
    String namespace = Namespaces.create(client, "endpoint");
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("ep").withNamespace(namespace).build());
    ClusterSpec spec = new ClusterSpec();
    spec.setKubernetesVersion("v1.35.4");
    cluster.setSpec(spec);
    client.resource(cluster).create();
    dev.cairn.api.v1alpha1.ControlPlaneNode cp = new dev.cairn.api.v1alpha1.ControlPlaneNode();
    cp.setMetadata(new ObjectMetaBuilder().withName("ep-cp1").withNamespace(namespace).build());
    dev.cairn.api.v1alpha1.NodeSpec nodeSpec = new dev.cairn.api.v1alpha1.NodeSpec();
    nodeSpec.setClusterName("ep");
    dev.cairn.api.v1alpha1.HostSpec host = new dev.cairn.api.v1alpha1.HostSpec();
    host.setAddress("10.0.2.15");
    host.setSshKeySecretRef(new dev.cairn.api.v1alpha1.LocalObjectReference("none"));
    nodeSpec.setHost(host);
    nodeSpec.setAdvertiseAddress("192.168.56.30");
    cp.setSpec(nodeSpec);
    client.resource(cp).create();
    try (CairnOperator operator = start(server, namespace, Clock.systemUTC())) {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        Cluster c = client.resources(Cluster.class).inNamespace(namespace).withName("ep").get();
        assertThat(c.getStatus()).isNotNull();
        assertThat(c.getStatus().getControlPlaneEndpoint()).as("the advertise address, not the SSH one")
            .isEqualTo("192.168.56.30:6443");
        assertThat(c.getStatus().getKubeconfigSecretRef()).isNotNull();
      });
    }
  }

  private static String kubeconfig(KubernetesClient client, String namespace) {
    return decode(client.secrets().inNamespace(namespace).withName("kc-kubeconfig").get(), "value");
  }

  private static X509Certificate clientCertificate(KubernetesClient client, String namespace) {
    Config config = Config.fromKubeconfig(kubeconfig(client, namespace));
    return Pem.certificate(new String(Base64.getDecoder().decode(config.getClientCertData()), StandardCharsets.UTF_8));
  }

  private static CairnOperator start(ManagementCluster.Server server, String namespace) {
    return start(server, namespace, Clock.systemUTC());
  }

  private static CairnOperator start(ManagementCluster.Server server, String namespace, Clock clock) {
    return new CairnOperator(server.newClient(), Settings.defaults().withNamespaces(Set.of(namespace)),
        new SimpleMeterRegistry(), clock).start();
  }

  private static void awaitCertificatesAvailable(KubernetesClient client, String namespace) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Cluster c = client.resources(Cluster.class).inNamespace(namespace).withName("pki").get();
      assertThat(c.getStatus()).isNotNull();
      assertThat(Conditions.isTrue(c.getStatus().getConditions(), "CertificatesAvailable")).isTrue();
    });
  }

  private static Map<String, Secret> secrets(KubernetesClient client, String namespace) {
    Map<String, Secret> out = new LinkedHashMap<>();
    for (String suffix : SUFFIXES) {
      Secret s = client.secrets().inNamespace(namespace).withName("pki-" + suffix).get();
      if (s != null) {
        out.put(suffix, s);
      }
    }
    return out;
  }

  private static String decode(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }
}
