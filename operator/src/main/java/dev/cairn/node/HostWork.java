package dev.cairn.node;

import dev.cairn.api.v1alpha1.Cluster;
import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.HostSpec;
import dev.cairn.api.v1alpha1.NodeStatus;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.Membership;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.PlanResult;
import dev.cairn.bootstrap.Plans;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepRunner;
import dev.cairn.common.SecretData;
import dev.cairn.ssh.ExecResult;
import dev.cairn.ssh.HostKeyPolicy;
import dev.cairn.ssh.Redactor;
import dev.cairn.ssh.SshCredentials;
import dev.cairn.ssh.SshException;
import dev.cairn.ssh.SshFailure;
import dev.cairn.ssh.SshSession;
import dev.cairn.ssh.SshTarget;
import dev.cairn.status.Annotations;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One reconcile's host work for a node: credentials from its Secret, one verified SSH session,
 * the host-preparation plan run through it, the session closed again.
 */
final class HostWork {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  static final String KEY = "ssh-privatekey";
  static final String PASSPHRASE = "passphrase";

  /** Either the plan ran (maybe failing at a step) or no command could run at all. */
  record Outcome(PlanResult plan, List<Step> steps, String hostKeyFingerprint, String refusedReason,
      String refusedMessage, boolean needsPerson, boolean acceptedNewKey) {
    boolean connected() {
      return plan != null;
    }
  }

  private final SshConnector connector;
  private final StepRunner runner;

  HostWork(SshConnector connector, StepRunner runner) {
    this.connector = connector;
    this.runner = runner;
  }

  /**
   * @param caFingerprint the cluster's identity, or null while its CA is not available
   * @param membership how the host joins, without its kubeadm config yet (added here when the
   *     host's facts show kubeadm will run), or null when it has nothing to do about that yet
   * @param upgrade the rollout step this member takes now, or null
   * @param renewal this control plane's certificate renewal, when it is its turn, or null
   * @param redactor knows the cluster's secrets already; the SSH key is added here
   */
  Outcome run(HostNode node, Cluster cluster, Secret secret, List<NodePlan.Identity> peers, String caFingerprint,
      MembershipMaterial.Draft membership, NodePlan.Upgrade upgrade, NodePlan.Renewal renewal, Redactor redactor,
      Consumer<List<StepStatus>> progress) {
    Access access = access(node, secret, redactor);
    if (access.refused() != null) {
      return access.refused();
    }
    SshTarget target = access.target();
    SshCredentials credentials = access.credentials();
    HostKeyPolicy policy = access.policy();
    boolean acceptNew = access.acceptNew();
    NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    NodePlan plan = plan(node, cluster, peers, caFingerprint, membership == null ? null : membership.membership())
        .withUpgrade(upgrade == null ? null : upgrade.withTuning(KubeadmTuning.of(cluster.getSpec())))
        .withRenewal(renewal);
    List<Step> steps = Plans.forNode(plan);
    try (SshSession session = connector.open(target, credentials, policy, CONNECT_TIMEOUT)) {
      String fingerprint = session.hostKeyFingerprint();
      try {
        HostFacts facts = runner.facts(session::exec);
        if (membership != null && Plans.needsKubeadmConfig(facts, plan)) {
          plan = plan.withMembership(membership.complete(plan.advertiseAddressOn(facts), plan.kubernetesVersion()));
        }
        PlanResult result = runner.run(session::exec, facts, steps, plan,
            status.getSteps() == null ? List.of() : status.getSteps(), redactor, progress);
        return new Outcome(result, steps, fingerprint, null, null, false, acceptNew);
      } catch (SshException e) {
        return new Outcome(null, steps, fingerprint, e.reason(), redactor.redact(e.getMessage()), false, acceptNew);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // the facts came back cut off: the host went away mid-run (a reboot); try again soon
        return new Outcome(null, steps, fingerprint, SshFailure.TRANSPORT.reason(), redactor.redact(e.getMessage()),
            false, acceptNew);
      }
    } catch (SshException e) {
      boolean person = e.failure() != SshFailure.UNREACHABLE && e.failure() != SshFailure.TRANSPORT;
      return refused(e.reason(), redactor.redact(e.getMessage()), person);
    }
  }

  /**
   * Preflight only: the same verified session as {@link #run}, the facts gathered, and the plan's
   * checks run on them ({@link StepRunner#check}); no other command reaches the host. The plan is
   * the one a host starts with: the cluster identity (when the CA is known) and host preparation;
   * no membership, so no kubeadm config, no join token, no CA files.
   */
  Outcome preflight(HostNode node, Cluster cluster, Secret secret, List<NodePlan.Identity> peers, String caFingerprint,
      Redactor redactor) {
    Access access = access(node, secret, redactor);
    if (access.refused() != null) {
      return access.refused();
    }
    NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    NodePlan plan = plan(node, cluster, peers, caFingerprint, null);
    List<Step> steps = Plans.forNode(plan);
    try (SshSession session = connector.open(access.target(), access.credentials(), access.policy(), CONNECT_TIMEOUT)) {
      String fingerprint = session.hostKeyFingerprint();
      try {
        HostFacts facts = runner.facts(session::exec);
        PlanResult result = runner.check(facts, steps, plan, status.getSteps() == null ? List.of() : status.getSteps(),
            redactor);
        return new Outcome(result, steps, fingerprint, null, null, false, access.acceptNew());
      } catch (SshException e) {
        return new Outcome(null, steps, fingerprint, e.reason(), redactor.redact(e.getMessage()), false,
            access.acceptNew());
      } catch (IllegalStateException | IllegalArgumentException e) {
        return new Outcome(null, steps, fingerprint, SshFailure.TRANSPORT.reason(), redactor.redact(e.getMessage()),
            false, access.acceptNew());
      }
    } catch (SshException e) {
      boolean person = e.failure() != SshFailure.UNREACHABLE && e.failure() != SshFailure.TRANSPORT;
      return refused(e.reason(), redactor.redact(e.getMessage()), person);
    }
  }

  /** How to reach a node's host, from its Secret and status; or, in {@code refused}, why it cannot be. */
  record Access(SshTarget target, SshCredentials credentials, HostKeyPolicy policy, boolean acceptNew,
      Outcome refused) {}

  /** The credentials (registered with the redactor), the host-key policy and the target of a node. */
  static Access access(HostNode node, Secret secret, Redactor redactor) {
    HostSpec host = node.getSpec().getHost();
    String keyName = host.getSshKeySecretRef().name();
    if (secret == null) {
      return new Access(null, null, null, false, refused("SecretNotFound", "Secret " + keyName + " does not exist", true));
    }
    String key = SecretData.get(secret, KEY).orElse(null);
    if (key == null || key.isBlank()) {
      return new Access(null, null, null, false, refused("InvalidCredentials", "Secret " + keyName + " has no " + KEY,
          true));
    }
    SshCredentials credentials = new SshCredentials(key, SecretData.get(secret, PASSPHRASE).orElse(null));
    redactor.register(key);
    if (credentials.passphraseOrNull() != null) {
      redactor.register(credentials.passphraseOrNull());
    }
    NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
    boolean acceptNew = Annotations.has(node, Annotations.ACCEPT_NEW_HOST_KEY) && status.getHostKeyFingerprint() != null;
    HostKeyPolicy policy;
    try {
      policy = host.getHostKey() != null && !host.getHostKey().isBlank()
          ? HostKeyPolicy.pinned(host.getHostKey())
          : acceptNew ? HostKeyPolicy.acceptNewOnce(status.getHostKeyFingerprint())
          : HostKeyPolicy.trustOnFirstUse(status.getHostKeyFingerprint());
    } catch (IllegalArgumentException e) {
      return new Access(null, null, null, false, refused("InvalidHostKey",
          "spec.host.hostKey is not a valid SSH public key", true));
    }
    SshTarget target = new SshTarget(host.getAddress(), host.getPort() == null ? 22 : host.getPort(),
        host.getUser() == null ? "root" : host.getUser());
    return new Access(target, credentials, policy, acceptNew, null);
  }

  /** One script's result on the host, or (result null) why no command could run. */
  record ScriptOutcome(ExecResult result, String refusedReason, String refusedMessage) {
    boolean ok() {
      return result != null && result.ok();
    }
  }

  /**
   * Runs one script on the node's host through a verified session, as the plan does (same
   * credentials, same host-key trust); what comes back is redacted.
   */
  ScriptOutcome runScript(HostNode node, Secret secret, String script, Duration timeout, Redactor redactor) {
    Access access = access(node, secret, redactor);
    if (access.refused() != null) {
      return new ScriptOutcome(null, access.refused().refusedReason(), access.refused().refusedMessage());
    }
    try (SshSession session = connector.open(access.target(), access.credentials(), access.policy(), CONNECT_TIMEOUT)) {
      return new ScriptOutcome(session.exec(script, timeout).redacted(redactor), null, null);
    } catch (SshException e) {
      return new ScriptOutcome(null, e.reason(), redactor.redact(e.getMessage()));
    }
  }

  static NodePlan plan(HostNode node, Cluster cluster, List<NodePlan.Identity> peers, String caFingerprint,
      Membership membership) {
    var spec = cluster.getSpec();
    return new NodePlan(node.role(), UpgradePlanner.installVersion(node, cluster), spec.getPackages().getSource(),
        spec.getPackages().getMirror(), spec.getImageRepository(), spec.getRegistries(), node.getSpec().getAdvertiseAddress(),
        spec.getNetwork().getNodeSubnet(), node.getSpec().getHost().getAddress(), peers, caFingerprint, membership);
  }

  private static Outcome refused(String reason, String message, boolean needsPerson) {
    return new Outcome(null, List.of(), null, reason, message, needsPerson, false);
  }

}
