package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import dev.cairn.pki.PkiFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's CAs and service-account key pair, from the management cluster's Secrets, in
 * /etc/kubernetes/pki with mode 0600 before kubeadm runs, so kubeadm signs with them instead of
 * minting its own. Checked by content hash: a file edited or replaced on the host is put back.
 */
public final class CertificatesStep implements Step {
  @Override
  public StepId id() {
    return StepId.CERTIFICATES;
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> wrong = new ArrayList<>();
    for (PkiFile f : plan.membership().pkiFiles()) {
      String found = facts.get("pki." + f.path());
      String want = MembershipScripts.sha256(f.content()) + ":600";
      if ("absent".equals(found) || found.isEmpty()) {
        wrong.add(f.path() + " missing");
      } else if (!found.startsWith(want.substring(0, 64))) {
        wrong.add(f.path() + " differs from the cluster's");
      } else if (!found.equals(want)) {
        wrong.add(f.path() + " has mode " + found.substring(65) + ", want 600");
      }
    }
    return wrong.isEmpty() ? Check.ok(plan.membership().pkiFiles().size() + " files in place") : Check.unless(wrong);
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(MembershipScripts.PREAMBLE + MembershipScripts.putPki(plan.membership().pkiFiles()));
  }
}
