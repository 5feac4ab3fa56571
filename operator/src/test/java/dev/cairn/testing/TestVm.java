package dev.cairn.testing;

import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.HostKeyPolicy;
import dev.cairn.ssh.SshCredentials;
import dev.cairn.ssh.SshException;
import dev.cairn.ssh.SshSession;
import dev.cairn.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Debian guest under QEMU (TCG), booted by {@code testbed/boot-vm.sh} on user-mode
 * networking with restrict=on: it reaches nothing but the forwards the test gives it. Tests
 * check its state over SSH with the host key pinned.
 */
public final class TestVm implements AutoCloseable {
  private final String name;
  private final int sshPort;
  private final String hostKey;
  private final Map<String, String> env;

  private TestVm(String name, int sshPort, String hostKey, Map<String, String> env) {
    this.name = name;
    this.sshPort = sshPort;
    this.hostKey = hostKey;
    this.env = env;
  }

  public static TestVm boot(String name, int memMb, String guestForward) {
    Testbed.run(Map.of(), 1800, "make-image.sh");
    int port = Testbed.freePort();
    // nice 10: the suites that run beside the guest's keep their pace; the guest takes what is left
    Map<String, String> env = new HashMap<>(Map.of("NET", "user", "SSH_PORT", String.valueOf(port),
        "MEM", String.valueOf(memMb), "CPUS", "2", "NICE", "10"));
    if (guestForward != null) {
      env.put("GUESTFWD", guestForward);
    }
    String out = Testbed.run(env, 400, "boot-vm.sh", name);
    System.out.print(out);
    try {
      String key = Files.readString(Artifacts.vmState(name).resolve("host_key.pub")).trim();
      return new TestVm(name, port, key, env);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String name() {
    return name;
  }

  public int sshPort() {
    return sshPort;
  }

  /** The guest's ed25519 host key as "ssh-ed25519 AAAA... comment". */
  public String hostKey() {
    return hostKey;
  }

  /** Runs a command as root on the guest, for assertions; the host key is pinned. */
  public ExecResult ssh(String script) {
    try (SshSession s = SshSession.open(new SshTarget("127.0.0.1", sshPort, "root"),
        new SshCredentials(Testbed.privateKey(), null), HostKeyPolicy.pinned(hostKey), Duration.ofSeconds(20))) {
      return s.exec(script, Duration.ofMinutes(2));
    } catch (SshException e) {
      throw new IllegalStateException("ssh to " + name + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs several commands in one SSH session and answers each one's stdout by its key: a look at
   * many things costs one round trip, not one each.
   */
  public Map<String, String> sections(Map<String, String> commands) {
    String marker = "@@cairn-section@@";
    StringBuilder script = new StringBuilder();
    commands.forEach((key, command) ->
        script.append("echo '").append(marker).append(key).append("'\n( ").append(command).append(" )\n"));
    String out = ssh(script.toString()).stdout();
    Map<String, String> answers = new HashMap<>();
    String key = null;
    StringBuilder value = new StringBuilder();
    for (String line : out.split("\n", -1)) {
      if (line.startsWith(marker)) {
        if (key != null) answers.put(key, value.toString());
        key = line.substring(marker.length());
        value.setLength(0);
      } else if (key != null) {
        value.append(line).append('\n');
      }
    }
    if (key != null) answers.put(key, value.substring(0, Math.max(0, value.length() - 1)));
    if (!answers.keySet().equals(commands.keySet())) {
      throw new IllegalStateException(name + ": answers for " + answers.keySet() + ", asked " + commands.keySet());
    }
    return answers;
  }

  /**
   * Power-cycles the guest, as a power cut would: its disk synced, the machine off at once, then a
   * fresh QEMU boots the same disk and SSH answers from the new boot. Under TCG that took 43 s
   * where {@code systemctl reboot} took 86–117 s (after QEMU's own reset the kernel needed 34 s to
   * reach user space, from a cold start 10–15 s).
   */
  public Duration powerCycle() {
    String bootId = ssh("cat /proc/sys/kernel/random/boot_id").stdout().trim();
    long start = System.nanoTime();
    Path pidFile = Artifacts.vmState(name).resolve("pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException(name + ": no QEMU pid in " + pidFile, e);
    }
    try {
      ssh("sync && echo o > /proc/sysrq-trigger");
    } catch (RuntimeException e) {
      // the connection drops as the guest goes down
    }
    ProcessHandle qemu = ProcessHandle.of(pid).orElse(null);
    if (qemu != null) {
      try {
        qemu.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(name + " did not power off in a minute; serial log in " + serialLog(), e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    Map<String, String> again = new HashMap<>(env);
    again.put("KEEP_DISK", "1");
    System.out.print(Testbed.run(again, 400, "boot-vm.sh", name));
    String now = ssh("cat /proc/sys/kernel/random/boot_id").stdout().trim();
    if (now.isEmpty() || now.equals(bootId)) {
      throw new IllegalStateException(name + " answered with the old boot id after its power cycle");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  public Path serialLog() {
    return Artifacts.vmState(name).resolve("serial.log");
  }

  @Override
  public void close() {
    Testbed.run(Map.of(), 60, "stop-vm.sh", name);
  }
}
