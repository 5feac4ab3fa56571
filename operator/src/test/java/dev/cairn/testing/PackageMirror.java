package dev.cairn.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The air-gapped site's package mirror for test guests: a flat apt repository (containerd, runc,
 * and kubeadm/kubelet/kubectl built from Kubernetes' Go modules) served on 127.0.0.1 only; guests
 * reach it through a QEMU guestfwd address.
 */
public final class PackageMirror implements AutoCloseable {
  /** The address guests use for the mirror (forwarded by QEMU to the loopback server). */
  public static final String GUEST_ADDRESS = "10.0.2.100:8080";

  private final Process server;
  private final int port;

  private PackageMirror(Process server, int port) {
    this.server = server;
    this.port = port;
  }

  public static PackageMirror start(String kubeVersion) {
    // one release only: the lab's second one is the e2e's, not the VM suite's
    String out = Testbed.run(Map.of("KUBE_VERSIONS", kubeVersion), 1800, "make-repo.sh");
    Path repo = Artifacts.packageRepository(kubeVersion);
    int port = Testbed.freePort();
    try {
      Process p = new ProcessBuilder(List.of("python3", "-m", "http.server", String.valueOf(port), "--bind",
          "127.0.0.1", "--directory", repo.toString())).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      PackageMirror mirror = new PackageMirror(p, port);
      mirror.awaitServing();
      return mirror;
    } catch (IOException e) {
      throw new IllegalStateException("could not serve " + repo + "; make-repo.sh said:\n" + out, e);
    }
  }

  private void awaitServing() {
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 100; i++) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/Packages"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("package mirror did not come up on 127.0.0.1:" + port);
  }

  /** The QEMU guestfwd rule that makes {@link #GUEST_ADDRESS} reach this server. */
  public String guestForward() {
    return GUEST_ADDRESS + "-127.0.0.1:" + port;
  }

  public String guestUrl() {
    return "http://" + GUEST_ADDRESS;
  }

  @Override
  public void close() {
    server.destroy();
  }
}
