package dev.cairn.testing;

import dev.cairn.ssh.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A script Cairn sends to {@code bash -s}, answered by a Java function instead of a shell; any
 * other command line ({@code true}, say) succeeds with no output.
 */
final class ScriptedCommand extends ChannelStreams {
  private final String command;
  private final Function<String, ExecResult> shell;

  ScriptedCommand(String command, Function<String, ExecResult> shell) {
    this.command = command;
    this.shell = shell;
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
          code = 0;
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
