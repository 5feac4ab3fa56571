package dev.cairn.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} on plain JDK HTTP servers: the probes
 * on one port, Prometheus on another, so a NetworkPolicy can open them separately.
 */
public final class HttpEndpoints implements AutoCloseable {
  private final HttpServer health;
  private final HttpServer metrics;

  public HttpEndpoints(int healthPort, int metricsPort, BooleanSupplier ready, PrometheusMeterRegistry registry)
      throws IOException {
    health = healthPort < 0 ? null : bind(healthPort, true);
    if (health != null) {
      health.createContext("/healthz", ex -> respond(ex, 200, "ok\n", "text/plain"));
      health.createContext("/readyz", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503,
          ready.getAsBoolean() ? "ok\n" : "not ready\n", "text/plain"));
      health.start();
    }
    try {
      metrics = metricsPort < 0 ? null : bind(metricsPort, false);
    } catch (PortInUse e) {
      if (health != null) {
        health.stop(0);
      }
      throw e;
    }
    if (metrics != null) {
      metrics.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(),
          "text/plain; version=0.0.4; charset=utf-8"));
      metrics.start();
    }
  }

  /** A port that something else listens on already. */
  public static final class PortInUse extends IOException {
    private final boolean health;

    PortInUse(int port, boolean health, BindException cause) {
      super("port " + port + " for " + (health ? "/healthz and /readyz" : "/metrics") + " is in use", cause);
      this.health = health;
    }

    /** Whether it was the health port (else the metrics port). */
    public boolean health() {
      return health;
    }
  }

  private static HttpServer bind(int port, boolean health) throws IOException {
    try {
      return HttpServer.create(new InetSocketAddress(port), 0);
    } catch (BindException e) {
      throw new PortInUse(port, health, e);
    }
  }

  public int healthPort() {
    return health == null ? -1 : health.getAddress().getPort();
  }

  public int metricsPort() {
    return metrics == null ? -1 : metrics.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int code, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (health != null) {
      health.stop(0);
    }
    if (metrics != null) {
      metrics.stop(0);
    }
  }
}
