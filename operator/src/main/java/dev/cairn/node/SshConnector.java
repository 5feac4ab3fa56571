package dev.cairn.node;

import dev.cairn.ssh.HostKeyPolicy;
import dev.cairn.ssh.SshCredentials;
import dev.cairn.ssh.SshException;
import dev.cairn.ssh.SshSession;
import dev.cairn.ssh.SshTarget;
import java.time.Duration;

/** Opens the verified SSH session a reconcile uses; a seam so tests can count or refuse connections. */
@FunctionalInterface
public interface SshConnector {
  SshSession open(SshTarget target, SshCredentials credentials, HostKeyPolicy policy, Duration connectTimeout)
      throws SshException;

  SshConnector DEFAULT = SshSession::open;
}
