package dev.cairn.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A MINA command that really runs the requested command line with {@code /bin/bash -c} on this
 * machine, wiring the channel's stdin, stdout and stderr to the process byte for byte (no pty, no
 * newline translation). Closing the channel kills the process and its children, unless the
 * command was made {@code likeOpenSsh}: OpenSSH leaves a command without a terminal running when
 * its channel closes.
 */
final class LocalBashCommand extends ChannelStreams {

    private final String commandLine;
    private final boolean likeOpenSsh;
    private volatile Process process;

    LocalBashCommand(String commandLine) {
        this(commandLine, false);
    }

    LocalBashCommand(String commandLine, boolean likeOpenSsh) {
        this.commandLine = commandLine;
        this.likeOpenSsh = likeOpenSsh;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Process p = new ProcessBuilder("/bin/bash", "-c", commandLine).start();
        process = p;
        daemon("stdin", () -> {
            try (OutputStream toProcess = p.getOutputStream()) {
                in.transferTo(toProcess);
            } catch (IOException e) {
                // process stopped reading; fine
            }
        });
        Thread stdout = daemon("stdout", () -> pump(p.getInputStream(), out));
        Thread stderr = daemon("stderr", () -> pump(p.getErrorStream(), err));
        daemon("wait", () -> {
            try {
                int code = p.waitFor();
                stdout.join();
                stderr.join();
                exit.onExit(code);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process p = process;
        if (p != null && !likeOpenSsh) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // channel closed under us (timeout test); fine
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, "test-sshd-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
