/**
 * Talking to the machines Cairn prepares for kubeadm, over SSH.
 *
 * <p>{@link dev.cairn.ssh.SshSession} is the entry point: it opens one connection per machine,
 * refuses untrusted host keys ({@link dev.cairn.ssh.HostKeyPolicy}), runs bash scripts as root and
 * uploads files atomically. Values from a cluster spec enter scripts only through
 * {@link dev.cairn.ssh.Shell#quote(String)}; anything shown to users passes through
 * {@link dev.cairn.ssh.Redactor} first. Connection problems are {@link dev.cairn.ssh.SshException}s
 * whose {@link dev.cairn.ssh.SshFailure} names the status condition reason; a failing command is just
 * an {@link dev.cairn.ssh.ExecResult} with a non-zero exit code.
 */
package dev.cairn.ssh;
