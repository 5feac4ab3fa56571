package dev.cairn.testing;

import dev.cairn.runtime.Crds;
import io.fabric8.kubeapitest.KubeAPIServer;
import java.util.concurrent.atomic.AtomicBoolean;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real management API server for the whole test run, with Cairn's CRDs installed:
 * kube-apiserver + etcd from kube-api-test by default, or k3s through Testcontainers with
 * {@code -Dcairn.managementCluster=k3s} where Docker exists. Missing binaries fail the test
 * with instructions; they never skip it.
 */
public final class ManagementCluster implements BeforeAllCallback, ParameterResolver {
  private static final String KEY = ManagementCluster.class.getName();

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  static Server server(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KEY, k -> Server.start(), Server.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KubernetesClient.class
        || parameter.getParameter().getType() == Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Server server = server(context);
    return parameter.getParameter().getType() == Server.class ? server : server.client();
  }

  /** The running API server; closed by JUnit at the end of the run. */
  public static final class Server implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private final AutoCloseable backend;
    private final String kubeconfig;
    private final KubernetesClient client;

    private Server(AutoCloseable backend, String kubeconfig) {
      this.backend = backend;
      this.kubeconfig = kubeconfig;
      this.client = newClient();
      Crds.install(client);
    }

    static Server start() {
      if ("k3s".equals(System.getProperty("cairn.managementCluster"))) {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
            "-Dcairn.managementCluster=k3s needs Docker; none is available here");
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(
            System.getProperty("cairn.k3s.image", "rancher/k3s:v1.34.1-k3s1")));
        k3s.start();
        return new Server(k3s::stop, k3s.getKubeConfigYaml());
      }
      KubeAPIServer api = new KubeAPIServer(KubeApiTest.config().build());
      api.start();
      AtomicBoolean stopped = new AtomicBoolean();
      AutoCloseable stop = () -> {
        if (stopped.compareAndSet(false, true)) {
          api.stop();
        }
      };
      // a test JVM stopped early must not leave kube-apiserver and etcd behind
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          stop.close();
        } catch (Exception e) {
          // stopping anyway
        }
      }, "stop-management-cluster"));
      return new Server(stop, api.getKubeConfigYaml());
    }

    public KubernetesClient client() {
      return client;
    }

    /** A separate client, e.g. for an operator under test that closes its own. */
    public KubernetesClient newClient() {
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    public String kubeconfig() {
      return kubeconfig;
    }

    @Override
    public void close() throws Exception {
      client.close();
      backend.close();
    }
  }
}
