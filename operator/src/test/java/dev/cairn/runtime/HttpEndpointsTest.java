package dev.cairn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesFollowReadinessAndMetricsArePrometheusText() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("cairn.test.events").register(registry).increment(3);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HttpEndpoints endpoints = new HttpEndpoints(0, 0, ready::get, registry)) {
      String health = "http://127.0.0.1:" + endpoints.healthPort();
      assertThat(get(health + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(health + "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(health + "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get("http://127.0.0.1:" + endpoints.metricsPort() + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("cairn_test_events_total 3.0");
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
