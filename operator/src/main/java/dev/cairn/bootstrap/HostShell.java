package dev.cairn.bootstrap;

import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.SshException;
import java.time.Duration;

/** Runs one script on a host; a non-zero exit is data, an exception means the transport failed. */
@FunctionalInterface
public interface HostShell {
  ExecResult run(String script, Duration timeout) throws SshException;
}
