package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.api.v1alpha1.NodeSpec;
import dev.cairn.api.v1alpha1.WorkerNode;
import dev.cairn.status.Reason;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member's Node written while its kubelet writes it too: the workload API answers the first
 * writes with 409 Conflict, as it does when the kubelet's status update came in between. A small
 * HTTP server on loopback plays the API (GET the Node, PUT it), so the test sees every request.
 */
class WorkloadNodeTest {
  private HttpServer server;
  private KubernetesClient client;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger conflictsLeft = new AtomicInteger();
  private final AtomicInteger resourceVersion = new AtomicInteger(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/nodes/w1", this::node);
    server.start();
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort()).withRequestRetryBackoffLimit(0)
        .build()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private void node(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestMethod());
    exchange.getRequestBody().readAllBytes();
    int code = 200;
    String body;
    if ("PUT".equals(exchange.getRequestMethod()) && conflictsLeft.getAndDecrement() > 0) {
      code = 409;
      body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Conflict\",\"code\":409,"
          + "\"message\":\"Operation cannot be fulfilled on nodes \\\"w1\\\": the object has been modified\"}";
    } else {
      // every answer is the kubelet's latest: a newer resourceVersion each time
      body = Serialization.asJson(new NodeBuilder().withNewMetadata().withName("w1")
          .withResourceVersion(String.valueOf(resourceVersion.incrementAndGet())).endMetadata()
          .withNewSpec().endSpec()
          .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
          .withNewNodeInfo().withKubeletVersion("v1.37.2").endNodeInfo().endStatus().build());
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private static WorkerNode member() {
    WorkerNode node = new WorkerNode();
    node.getMetadata().setName("w1");
    node.setSpec(new NodeSpec());
    node.getSpec().setLabels(Map.of("tier", "batch"));
    return node;
  }

  @Test
  void aWriteThatLostTheRaceWithTheKubeletReadsTheNodeAgainAndSucceeds() {
    conflictsLeft.set(2);

    WorkloadNode.Seen seen = WorkloadNode.look(Optional.of(client), member(), "W1", false);

    assertThat(seen.found()).isTrue();
    assertThat(seen.ready()).isTrue();
    assertThat(seen.kubeletVersion()).isEqualTo("v1.37.2");
    assertThat(requests).containsExactly("GET", "PUT", "GET", "PUT", "GET", "PUT");
  }

  @Test
  void aNodeThatKeepsConflictingIsReportedAfterThreeWrites() {
    conflictsLeft.set(100);

    WorkloadNode.Seen seen = WorkloadNode.look(Optional.of(client), member(), "w1", false);

    assertThat(seen.status()).isEqualTo("Unknown");
    assertThat(seen.reason()).isEqualTo(Reason.WORKLOAD_UNREACHABLE);
    assertThat(requests).containsExactly("GET", "PUT", "GET", "PUT", "GET", "PUT");
  }
}
