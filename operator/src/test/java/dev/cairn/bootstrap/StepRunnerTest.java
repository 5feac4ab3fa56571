package dev.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.v1alpha1.HostNode;
import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.api.v1alpha1.StepStatus.State;
import dev.cairn.api.v1alpha1.StepStatus;
import dev.cairn.common.KubernetesVersion;
import dev.cairn.ssh.Redactor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
  private final StepRunner runner = new StepRunner(Clock.systemUTC());
  private final List<List<StepStatus>> progress = new ArrayList<>();

  static NodePlan plan(HostNode.Role role) {
    return new NodePlan(role, KubernetesVersion.parse("v1.34.4"), PackagesSpec.Source.UPSTREAM, null, null, null, null, "192.168.56.0/24",
        "192.168.56.30", List.of(), null, null);
  }

  private PlanResult run(FakeHost host, NodePlan plan, List<StepStatus> previous) throws Exception {
    return runner.run(host, Plans.hostPreparation(), plan, previous, new Redactor(), progress::add);
  }

  @Test
  void aConvergedHostIsConfirmedInOneRoundTripWithNoApply() throws Exception {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(result.converged()).isTrue();
    assertThat(result.roundTrips()).isEqualTo(1);
    assertThat(host.applies()).isEmpty();
    assertThat(result.steps()).extracting(StepStatus::state).containsOnly(State.Succeeded);
    assertThat(result.steps()).extracting(StepStatus::name).containsExactly("preflight", "swap-off",
        "kernel-modules", "sysctl", "selinux-firewall", "containerd", "kubernetes-packages");

    PlanResult again = run(host, plan(HostNode.Role.CONTROL_PLANE), result.steps());
    assertThat(again.steps()).as("a converged re-check changes no record").isEqualTo(result.steps());
  }

  @Test
  void aBareHostGetsEveryApplyOnceInOrderAndIsVerified() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane();
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(result.failure()).isEmpty();
    assertThat(result.applied()).containsExactly("swap-off", "kernel-modules", "sysctl", "containerd",
        "kubernetes-packages");
    assertThat(result.roundTrips()).as("facts, then apply + verify per applied step").isEqualTo(1 + 2 * 5);
    assertThat(result.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(State.Succeeded));
    assertThat(progress).as("each apply is announced as Running first").hasSize(5);
    assertThat(progress.get(0)).filteredOn(s -> s.state() == State.Running).extracting(StepStatus::name)
        .containsExactly("swap-off");

    host.ran.clear();
    PlanResult second = run(host, plan(HostNode.Role.CONTROL_PLANE), result.steps());
    assertThat(host.applies()).as("the second run applies nothing").isEmpty();
    assertThat(second.roundTrips()).isEqualTo(1);
  }

  @Test
  void aFailingApplyNamesItsStepAndStopsThere() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane()
        .failOn("containerd config default", 100, "E: Unable to locate package containerd");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("containerd");
      assertThat(f.condition()).isEqualTo("ContainerRuntimeReady");
      assertThat(f.needsPerson()).isFalse();
      assertThat(f.message()).contains("exit code 100", "Unable to locate package containerd");
    });
    assertThat(state(result, "containerd")).isEqualTo(State.Failed);
    assertThat(state(result, "kubernetes-packages")).isEqualTo(State.Pending);
    assertThat(result.applied()).doesNotContain("kubernetes-packages");

    PlanResult again = run(host, plan(HostNode.Role.CONTROL_PLANE), result.steps());
    assertThat(again.steps().stream().filter(s -> s.name().equals("containerd")).findFirst().orElseThrow().attempts())
        .isEqualTo(2);
  }

  @Test
  void anApplyThatDoesNotTakeEffectFailsItsVerify() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane().onApply("swapoff -a", f -> { });
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("swap-off");
      assertThat(f.message()).contains("applied, but the check still fails", "swap active on /swapfile");
    });
  }

  @Test
  void preflightFailureNeedsAPersonAndChangesNothing() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane();
    host.facts.put("cpus", "1");
    host.facts.put("listening", "22,6443");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(host.applies()).isEmpty();
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("preflight");
      assertThat(f.needsPerson()).isTrue();
      assertThat(f.message()).contains("cpus 1 < 2", "ports in use: 6443");
    });
  }

  @Test
  void theAdvertiseAddressComesFromTheNodeSubnetNotTheNatNic() throws Exception {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    host.facts.put("addresses", "127.0.0.1,10.0.2.15");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    assertThat(result.failure()).hasValueSatisfying(f ->
        assertThat(f.message()).contains("no address of the host is inside nodeSubnet 192.168.56.0/24"));
  }

  @Test
  void aClonedVmIsRefused() throws Exception {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    NodePlan plan = new NodePlan(HostNode.Role.WORKER, KubernetesVersion.parse("v1.34.4"), PackagesSpec.Source.UPSTREAM, null, null, null,
        null, null, "192.168.56.30", List.of(new NodePlan.Identity("WorkerNode/w2", "cp1", "UUID-CP1",
            List.of("52:54:00:00:00:01"))), null, null);
    PlanResult result = run(host, plan, List.of());
    assertThat(result.failure()).hasValueSatisfying(f -> assertThat(f.message())
        .contains("hostname cp1 also used by WorkerNode/w2", "product_uuid also used by WorkerNode/w2",
            "MAC 52:54:00:00:00:01 also used by WorkerNode/w2"));
  }

  @Test
  void secretsInOutputAreRedactedFromTheRecord() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane().failOn("modprobe overlay", 1,
        "oops -----BEGIN OPENSSH PRIVATE KEY-----\nAAAAsecret\n-----END OPENSSH PRIVATE KEY----- kubeadm join --token abcdef.0123456789abcdef");
    PlanResult result = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    String message = result.failure().orElseThrow().message();
    assertThat(message).doesNotContain("AAAAsecret", "abcdef.0123456789abcdef").contains("REDACTED");
  }

  @Test
  void preinstalledPackagesAreVerifiedNotInstalled() throws Exception {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    host.facts.put("kubeadm.version", "v1.33.0");
    NodePlan plan = new NodePlan(HostNode.Role.CONTROL_PLANE, KubernetesVersion.parse("v1.34.4"), PackagesSpec.Source.PREINSTALLED, null,
        null, null, null, null, "192.168.56.30", List.of(), null, null);
    PlanResult result = run(host, plan, List.of());
    assertThat(host.applies()).isEmpty();
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("kubernetes-packages");
      assertThat(f.needsPerson()).isTrue();
      assertThat(f.message()).contains("kubeadm is v1.33.0, want v1.34.4");
    });
  }

  @Test
  void aCheckOnlyRunOnABareHostRunsNothingButTheFactsAndNamesWhatWouldChange() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane();
    HostFacts facts = runner.facts(host);
    PlanResult result = runner.check(facts, Plans.hostPreparation(), plan(HostNode.Role.CONTROL_PLANE), List.of(),
        new Redactor());
    assertThat(host.ran).as("only the facts script reached the host").containsExactly(HostFacts.SCRIPT);
    assertThat(result.applied()).isEmpty();
    assertThat(result.roundTrips()).isEqualTo(1);
    assertThat(result.failure()).isEmpty();
    assertThat(state(result, "preflight")).isEqualTo(State.Succeeded);
    assertThat(state(result, "selinux-firewall")).isEqualTo(State.Succeeded);
    assertThat(result.steps()).filteredOn(s -> s.state() == State.Pending).extracting(StepStatus::name)
        .containsExactly("swap-off", "kernel-modules", "sysctl", "containerd", "kubernetes-packages");
    assertThat(result.steps()).filteredOn(s -> s.name().equals("swap-off")).singleElement()
        .satisfies(s -> assertThat(s.message()).startsWith(StepRunner.WOULD_APPLY).contains("swap active on /swapfile"));

    // the same host then runs its plan as usual, from those records
    PlanResult run = run(host, plan(HostNode.Role.CONTROL_PLANE), result.steps());
    assertThat(run.applied()).containsExactly("swap-off", "kernel-modules", "sysctl", "containerd",
        "kubernetes-packages");
    assertThat(run.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(State.Succeeded));
  }

  @Test
  void aCheckOnlyRunChecksEveryStepPastAFailedPreflight() throws Exception {
    FakeHost host = FakeHost.bareDebianControlPlane();
    host.facts.put("cpus", "1");
    PlanResult result = runner.check(runner.facts(host), Plans.hostPreparation(), plan(HostNode.Role.CONTROL_PLANE),
        List.of(), new Redactor());
    assertThat(host.applies()).isEmpty();
    assertThat(result.failure()).hasValueSatisfying(f -> {
      assertThat(f.step()).isEqualTo("preflight");
      assertThat(f.needsPerson()).isTrue();
      assertThat(f.message()).contains("cpus 1 < 2");
    });
    assertThat(state(result, "preflight")).isEqualTo(State.Failed);
    assertThat(state(result, "containerd")).as("checked all the same").isEqualTo(State.Pending);
  }

  @Test
  void aCheckOnlyRunOnAConvergedHostChangesNoRecord() throws Exception {
    FakeHost host = FakeHost.convergedDebianControlPlane();
    PlanResult first = run(host, plan(HostNode.Role.CONTROL_PLANE), List.of());
    host.ran.clear();
    PlanResult checked = runner.check(runner.facts(host), Plans.hostPreparation(), plan(HostNode.Role.CONTROL_PLANE),
        first.steps(), new Redactor());
    assertThat(host.applies()).isEmpty();
    assertThat(checked.steps()).isEqualTo(first.steps());
  }

  private static State state(PlanResult result, String step) {
    return result.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElseThrow().state();
  }
}
