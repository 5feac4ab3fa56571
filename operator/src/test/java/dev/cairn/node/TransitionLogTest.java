package dev.cairn.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.api.v1alpha1.ControlPlaneNode;
import dev.cairn.ssh.Redactor;
import dev.cairn.ssh.TestKeys;
import dev.cairn.ssh.TestLogging;
import dev.cairn.testing.NodeObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the operator log says of a host: one line per condition transition, and no secret in an error. */
class TransitionLogTest {
  private final ControlPlaneNode node =
      NodeObjects.node(new ControlPlaneNode(), "ns", "cp1", "demo", "192.168.56.30", null, "ssh");
  private ListAppender<ILoggingEvent> log;

  @BeforeEach
  void capture() {
    log = TestLogging.capture(NodeReconciler.class);
  }

  @AfterEach
  void release() {
    TestLogging.release(NodeReconciler.class, log);
  }

  @Test
  void badNewsIsOneWarnLineAndGoodNewsOneInfoLine() {
    NodeReconciler.log(node, new NodeRules.Transition(true, condition("HostReachable", "False",
        "AuthenticationFailed", "the server 192.168.56.30 refused the SSH key for user 'root'")));
    NodeReconciler.log(node, new NodeRules.Transition(false, condition("HostReachable", "True", "Connected",
        "host key SHA256:abc")));
    NodeReconciler.log(node, new NodeRules.Transition(false, condition("Stalled", "False", "NotStalled", "")));

    assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO, Level.INFO);
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "ControlPlaneNode ns/cp1: HostReachable=False AuthenticationFailed: the server 192.168.56.30 refused the"
            + " SSH key for user 'root'",
        "ControlPlaneNode ns/cp1: HostReachable=True Connected: host key SHA256:abc",
        "ControlPlaneNode ns/cp1: Stalled=False NotStalled");
  }

  @Test
  void anUnexpectedErrorIsLoggedWithItsStackButWithoutKeyOrPassphrase() throws Exception {
    String key = TestKeys.openSshPrivateKey(TestKeys.ed25519(), "s3cret-pass");
    Exception e = new IllegalStateException("could not use the key s3cret-pass",
        new KubernetesClientException("Failure executing: PUT ... body: " + key));

    NodeReconciler.logError(node, e, new Redactor().register("s3cret-pass"));

    ILoggingEvent line = log.list.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.ERROR);
    assertThat(line.getFormattedMessage()).isEqualTo("reconciling ControlPlaneNode ns/cp1 failed");
    String logged = ThrowableProxyUtil.asString(line.getThrowableProxy());
    assertThat(logged).doesNotContain("s3cret-pass", "PRIVATE KEY", key.lines().skip(1).findFirst().orElseThrow())
        .contains("java.lang.IllegalStateException: could not use the key " + Redactor.MASK)
        .contains(KubernetesClientException.class.getName() + ": Failure executing: PUT ... body: " + Redactor.MASK)
        .as("the stack is kept").contains("TransitionLogTest.anUnexpectedErrorIsLogged");
    IThrowableProxy cause = line.getThrowableProxy().getCause();
    assertThat(cause).as("the cause is kept").isNotNull();
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new Condition("2026-12-06T07:00:00Z", message, 3L, reason, status, type);
  }
}
