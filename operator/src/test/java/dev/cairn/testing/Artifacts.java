package dev.cairn.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the build's artifacts are, as their owners say. Every artifact (test binaries, guest
 * image, package mirror, VM state) has one script that builds it and answers {@code --dir}; tests
 * ask that script and never compose a cache path themselves, so {@code CAIRN_CACHE} pointed at an
 * empty directory is a fresh machine for every test.
 */
public final class Artifacts {
  /** The checkout's root; Maven runs the tests in {@code operator/}. */
  public static final Path ROOT = Path.of(System.getProperty("cairn.repo.dir", "..")).toAbsolutePath().normalize();
  private static final Map<String, Path> ANSWERS = new ConcurrentHashMap<>();

  private Artifacts() {}

  /** kube-apiserver, etcd and kubectl of the management cluster, version as "1.34.4". */
  public static Path kubeApiTestBinaries(String version) {
    return dir(Map.of("KUBE_VERSION", "v" + version), "scripts/build-kube-binaries.sh", "--dir");
  }

  /** The Kubernetes commands (kubeadm, kubelet, …) built from Kubernetes' Go module, version "v1.34.4". */
  public static Path kubernetesBinaries(String kubeVersion) {
    return dir(Map.of("KUBE_VERSION", kubeVersion), "scripts/build-cluster-binaries.sh", "--dir", "kubernetes");
  }

  /** The test guest's image and the testbed's SSH client key. */
  public static Path guestImage() {
    return dir(Map.of(), "testbed/make-image.sh", "--dir");
  }

  /** A booted guest's state: pid, host key, serial log. */
  public static Path vmState(String name) {
    return dir(Map.of(), "testbed/boot-vm.sh", "--dir", name);
  }

  /** The flat apt repository of one Kubernetes version, as served to guests. */
  public static Path packageRepository(String kubeVersion) {
    return dir(Map.of("KUBE_VERSIONS", kubeVersion), "testbed/make-repo.sh", "--dir");
  }

  /** Runs {@code bash ROOT/script args} and returns the one line it prints, as an absolute path. */
  static Path dir(Map<String, String> env, String script, String... args) {
    String key = new TreeMap<>(env) + " " + script + " " + String.join(" ", args);
    return ANSWERS.computeIfAbsent(key, k -> ask(env, script, args));
  }

  private static Path ask(Map<String, String> env, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve(script).toString()));
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty() || out.contains("\n")) {
        throw new IllegalStateException(String.join(" ", command) + " did not answer with one path:\n" + out);
      }
      return Path.of(out).toAbsolutePath();
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
