package dev.cairn.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's testbed scripts ({@code testbed/}) from tests: real QEMU guests and a local
 * package mirror, all on this machine. A missing prerequisite fails the test with the script's
 * own output; it never skips.
 */
public final class Testbed {
  public static final Path SCRIPTS = Artifacts.ROOT.resolve("testbed");

  private Testbed() {}

  /** Runs a testbed script and returns its output; throws with the output when it fails. */
  public static String run(Map<String, String> env, long timeoutSeconds, String... command) {
    try {
      List<String> cmd = new ArrayList<>(List.of("bash"));
      cmd.add(SCRIPTS.resolve(command[0]).toString());
      cmd.addAll(List.of(command).subList(1, command.length));
      Path log = Files.createTempFile("testbed-", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n"
            + Files.readString(log));
      }
      String out = Files.readString(log);
      Files.deleteIfExists(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "):\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String publicKey() {
    try {
      return Files.readString(Artifacts.guestImage().resolve("id_ed25519.pub")).trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String privateKey() {
    try {
      return Files.readString(Artifacts.guestImage().resolve("id_ed25519"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
