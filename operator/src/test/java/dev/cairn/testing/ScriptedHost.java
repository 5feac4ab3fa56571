package dev.cairn.testing;

import dev.cairn.ssh.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.function.Function;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A pretend host behind a real SSH server (Apache MINA, 127.0.0.1, random port): Cairn's scripts
 * arrive over SSH exactly as on a VM, and a Java function answers them instead of a shell. For
 * reconciler tests of many hosts where nothing must really run (kubeadm reset on the test machine!).
 */
public final class ScriptedHost implements AutoCloseable {
  private final SshServer sshd;

  private ScriptedHost(PublicKey clientKey, Function<String, ExecResult> shell) throws Exception {
    KeyPair hostKey = dev.cairn.ssh.TestKeys.ed25519();
    sshd = SshServer.setUpDefaultServer();
    sshd.setHost("127.0.0.1");
    sshd.setPort(0);
    sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey));
    sshd.setCommandFactory((channel, command) -> new ScriptCommand(command, shell));
    sshd.start();
  }

  /** @param shell answers one script (the body Cairn sends to {@code bash -s}) */
  public static ScriptedHost start(PublicKey clientKey, Function<String, ExecResult> shell) throws Exception {
    return new ScriptedHost(clientKey, shell);
  }

  public int port() {
    return sshd.getPort();
  }

  @Override
  public void close() throws IOException {
    sshd.stop(true);
  }

  private static final class ScriptCommand implements Command {
    private final String command;
    private final Function<String, ExecResult> shell;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;

    ScriptCommand(String command, Function<String, ExecResult> shell) {
      this.command = command;
      this.shell = shell;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread t = new Thread(() -> {
        int code;
        try {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          in.transferTo(buffer);
          String body = buffer.toString(StandardCharsets.UTF_8);
          if (!command.endsWith("bash -s")) {
            code = 0; // "sudo -n true" and the like
          } else {
            // SshSession wraps every script as "{\n<script>\n} </dev/null\n"
            String script = body.substring(2, body.length() - "\n} </dev/null\n".length());
            ExecResult result = shell.apply(script);
            out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
            err.write(result.stderr().getBytes(StandardCharsets.UTF_8));
            code = result.exitCode();
          }
          out.flush();
          err.flush();
        } catch (IOException | RuntimeException e) {
          code = 255;
        }
        exit.onExit(code);
      }, "scripted-host");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
