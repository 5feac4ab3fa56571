package dev.cairn.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs one command on its own channel of an existing connection: feeds stdin, collects stdout and
 * stderr, waits for the exit status, all under one deadline.
 *
 * <p>stdin, stdout and stderr are each served by their own thread. Doing any of them inline could
 * deadlock: a command that writes a lot to stderr before reading its stdin stalls once the SSH
 * window fills up, while we wait on the other stream.
 */
final class RemoteExec {

    /** Shell convention for "killed by signal n": exit status 128 + n. */
    private static final Map<Signal, Integer> SIGNAL_NUMBERS = Map.ofEntries(
            Map.entry(Signal.HUP, 1), Map.entry(Signal.INT, 2), Map.entry(Signal.QUIT, 3), Map.entry(Signal.ILL, 4),
            Map.entry(Signal.ABRT, 6), Map.entry(Signal.FPE, 8), Map.entry(Signal.KILL, 9), Map.entry(Signal.USR1, 10),
            Map.entry(Signal.SEGV, 11), Map.entry(Signal.USR2, 12), Map.entry(Signal.PIPE, 13),
            Map.entry(Signal.ALRM, 14), Map.entry(Signal.TERM, 15));

    private static final long EXIT_POLL_MILLIS = 5;

    private final SSHClient client;
    private final ExecutorService pumps;

    RemoteExec(SSHClient client, ExecutorService pumps) {
        this.client = client;
        this.pumps = pumps;
    }

    /**
     * Runs {@code command} (an SSH exec request, i.e. a command line for the login shell), sends
     * {@code stdin} followed by end-of-file, and returns what it did.
     *
     * @throws IOException if the connection failed; a failing or timed-out command is not an error
     */
    ExecResult run(String command, byte[] stdin, Duration timeout) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Future<Void> stdoutPump = pumps.submit(() -> copy(cmd.getInputStream(), out));
            Future<Void> stderrPump = pumps.submit(() -> copy(cmd.getErrorStream(), err));
            Future<Void> stdinPump = pumps.submit(() -> feed(cmd.getOutputStream(), stdin));
            boolean finished = false;
            try {
                finished = awaitUntil(stdoutPump, deadline) && awaitUntil(stderrPump, deadline)
                        && awaitExit(cmd, deadline);
            } finally {
                // Once we stop waiting, unsent stdin is moot. And it must go first: a writer blocked on
                // the SSH window holds the lock of the channel's stdin stream, which sshj's single
                // reader thread needs to process the channel's close; left alone, it would stall the
                // whole connection until sshj's own timeout.
                stdinPump.cancel(true);
                if (!finished) {
                    abandon(cmd);
                    stdoutPump.cancel(true);
                    stderrPump.cancel(true);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!finished) {
                return new ExecResult(ExecResult.TIMED_OUT_EXIT_CODE, text(out), text(err), took, true);
            }
            return new ExecResult(exitCode(cmd), text(out), text(err), took, false);
        }
    }

    private static Void copy(InputStream from, OutputStream to) throws IOException {
        from.transferTo(to);
        return null;
    }

    /**
     * Sends {@code bytes}, then end-of-file. End-of-file is sent only once every byte went out: after
     * a failed or interrupted write, the command must not be told its input is complete. (Closing
     * the channel still ends the remote stdin, which is why scripts check what they received.)
     */
    private static Void feed(OutputStream channelStdin, byte[] bytes) {
        try {
            channelStdin.write(bytes);
            channelStdin.close();
        } catch (IOException e) {
            // The command exited without reading all of its stdin, or we gave up on it. Either way
            // its exit status (or the stdout/stderr pumps) tell the story.
        }
        return null;
    }

    private static boolean awaitUntil(Future<Void> pump, long deadline) throws IOException, InterruptedException {
        try {
            pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("reading command output failed", e.getCause());
        }
    }

    /**
     * Waits until the exit status is known or the channel closed; false if the deadline passed
     * first. This polls instead of calling {@code join()}: join waits for the channel close, which
     * sshj cannot complete while our stdin writer is blocked on the window (see {@link #run}),
     * whereas the exit status arrives before the close and lets us release that writer.
     */
    private static boolean awaitExit(Session.Command cmd, long deadline) throws InterruptedException {
        while (!hasExitInfo(cmd) && cmd.isOpen()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(EXIT_POLL_MILLIS);
        }
        return true;
    }

    private static boolean hasExitInfo(Session.Command cmd) {
        return cmd.getExitStatus() != null || cmd.getExitSignal() != null;
    }

    private static int exitCode(Session.Command cmd) throws IOException {
        Integer status = cmd.getExitStatus();
        if (status != null) {
            return status;
        }
        Signal signal = cmd.getExitSignal();
        if (signal != null) {
            return 128 + SIGNAL_NUMBERS.getOrDefault(signal, 0);
        }
        throw new IOException("channel closed without an exit status");
    }

    /**
     * Gives up on a command: asks the server to kill it (servers may ignore this), then closes the
     * channel, which stops the output pumps.
     */
    private static void abandon(Session.Command cmd) {
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException e) {
            // already closed or connection gone; nothing more to do
        }
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
