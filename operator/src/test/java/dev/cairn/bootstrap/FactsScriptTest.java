package dev.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real facts.sh, run by bash on this machine with stand-ins for kubeadm, kubelet and kubectl
 * that count their calls: their version answers are kept between runs, and asked again when a
 * binary is replaced.
 */
class FactsScriptTest {
  @TempDir
  Path dir;
  Path bin;
  Path calls;

  @BeforeEach
  void standIns() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    calls = dir.resolve("calls");
    Files.createFile(calls);
    install("v1.34.4");
  }

  @Test
  void theScriptIsTheSharedFactsThenEachStepsOwnInPlanOrderThenTheEndMarker() {
    String script = HostFacts.SCRIPT;
    assertThat(script).startsWith(HostFacts.load("facts.sh")).endsWith("\necho facts.end=ok\n");
    int at = 0;
    int fragments = 0;
    for (StepId step : StepId.values()) {
      if (HostFacts.class.getResource("steps/" + step.stepName() + ".facts.sh") == null) {
        continue;
      }
      int found = script.indexOf(HostFacts.load("steps/" + step.stepName() + ".facts.sh"), at);
      assertThat(found).as("%s's facts, after the steps before it", step).isGreaterThan(at);
      at = found;
      fragments++;
    }
    assertThat(fragments).as("steps with facts of their own").isEqualTo(12);
  }

  @Test
  void theBinariesAreAskedOnceAndTheirAnswersKept() throws Exception {
    HostFacts first = run();
    HostFacts second = run();

    for (HostFacts facts : new HostFacts[] {first, second}) {
      assertThat(facts.get("kubeadm.version")).isEqualTo("v1.34.4");
      assertThat(facts.get("kubelet.version")).isEqualTo("v1.34.4");
      assertThat(facts.get("kubectl.version")).isEqualTo("v1.34.4");
    }
    assertThat(Files.readAllLines(calls)).containsExactlyInAnyOrder("kubeadm", "kubelet", "kubectl");
  }

  @Test
  void aReplacedBinaryIsAskedAgain() throws Exception {
    run();
    // what a package upgrade does: a new file renamed over the old one
    Path next = bin.resolve(".kubeadm.new");
    Files.writeString(next, standIn("kubeadm", "v1.35.0"));
    Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.move(next, bin.resolve("kubeadm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);

    HostFacts after = run();

    assertThat(after.get("kubeadm.version")).isEqualTo("v1.35.0");
    assertThat(after.get("kubelet.version")).isEqualTo("v1.34.4");
    assertThat(Files.readAllLines(calls)).filteredOn("kubeadm"::equals).hasSize(2);
    assertThat(Files.readAllLines(calls)).filteredOn("kubelet"::equals).hasSize(1);
  }

  @Test
  void aRemovedBinaryHasNoVersionEvenWithAnAnswerKept() throws Exception {
    run();
    Files.delete(bin.resolve("kubelet"));

    HostFacts after = run();

    assertThat(after.get("kubelet.version")).isEmpty();
    assertThat(after.get("kubeadm.version")).isEqualTo("v1.34.4");
  }

  @Test
  void aLauncherOfAnotherNameIsAskedEveryTime() throws Exception {
    // snap's /snap/bin/kubectl is a link to /usr/bin/snap: its file does not change with kubectl
    Path launcher = dir.resolve("launcher");
    Files.move(bin.resolve("kubectl"), launcher);
    Files.createSymbolicLink(bin.resolve("kubectl"), launcher);
    run();
    HostFacts second = run();

    assertThat(second.get("kubectl.version")).isEqualTo("v1.34.4");
    assertThat(Files.readAllLines(calls)).filteredOn("kubectl"::equals).hasSize(2);
    assertThat(Files.readAllLines(calls)).filteredOn("kubeadm"::equals).hasSize(1);
  }

  @Test
  void aFailingBinaryIsNotRemembered() throws Exception {
    Files.writeString(bin.resolve("kubectl"), "#!/bin/sh\necho kubectl >> '" + calls + "'\nexit 1\n");
    run();
    run();

    assertThat(Files.readAllLines(calls)).filteredOn("kubectl"::equals).hasSize(2);
  }

  @Test
  void aControlPlanesCertificatesAreReadOnceAndReadAgainWhenTheyChange() throws Exception {
    dev.cairn.pki.Pki pki = new dev.cairn.pki.Pki(java.time.Clock.systemUTC());
    dev.cairn.pki.KeyPairAndCert ca = pki.newCa("kubernetes");
    dev.cairn.pki.KeyPairAndCert server = pki.issueServer(ca, "kube-apiserver", java.util.List.of("k8s"),
        java.util.List.of("192.168.56.30"), java.time.Duration.ofDays(365));
    dev.cairn.pki.KeyPairAndCert admin = pki.issueClient(ca, "kubernetes-admin", java.util.List.of("kubeadm:cluster-admins"),
        java.time.Duration.ofDays(2));
    Path etc = Files.createDirectories(dir.resolve("etc/kubernetes/pki/etcd"));
    Files.writeString(etc.resolve("../apiserver.crt"), server.certificatePem());
    Files.writeString(etc.resolve("server.crt"), server.certificatePem());
    Files.writeString(dir.resolve("etc/kubernetes/admin.conf"), "users:\n- name: admin\n  user:\n    client-certificate-data: "
        + java.util.Base64.getEncoder().encodeToString(admin.certificatePem().getBytes(StandardCharsets.US_ASCII)) + "\n");
    String fragment = HostFacts.load("steps/certificate-renewal.facts.sh")
        .replace("/etc/kubernetes", dir.resolve("etc/kubernetes").toString())
        .replace("/run/cairn", dir.resolve("run").toString());
    String script = "kv() { local v=${2//$'\\n'/,}; printf '%s=%s\\n' \"$1\" \"${v%,}\"; }\n"
        + "have() { command -v \"$1\" >/dev/null 2>&1; }\nset -u\n" + fragment + "echo facts.end=ok\n";

    HostFacts first = runScript(script);
    CertificateExpiry expiry = CertificateExpiry.of(first).orElseThrow();
    assertThat(expiry.expiries()).containsOnlyKeys("apiserver", "etcd-server", "admin.conf");
    assertThat(expiry.expiries().get("apiserver")).isEqualTo(server.certificate().getNotAfter().toInstant());
    assertThat(expiry.first()).hasValueSatisfying(e -> assertThat(e.getKey()).isEqualTo("admin.conf"));
    assertThat(expiry.due(java.time.Duration.ofDays(3))).isTrue();
    assertThat(expiry.due(java.time.Duration.ofDays(1))).isFalse();
    assertThat(expiry.unreadable()).isEmpty();
    // kept: the same answers without openssl, until a file changes
    Files.writeString(dir.resolve("run/certs"), Files.readString(dir.resolve("run/certs"))
        .replace("cert.apiserver=", "cert.apiserver=1"));
    assertThat(runScript(script).get("cert.apiserver")).startsWith("1");
    Files.setLastModifiedTime(etc.resolve("server.crt"), java.nio.file.attribute.FileTime.fromMillis(0));
    assertThat(runScript(script).get("cert.apiserver")).isEqualTo(first.get("cert.apiserver"));
  }

  private HostFacts runScript(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return HostFacts.parse(out);
  }

  private void install(String version) throws IOException {
    for (String name : new String[] {"kubeadm", "kubelet", "kubectl"}) {
      Path p = bin.resolve(name);
      Files.writeString(p, standIn(name, version));
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /** Answers as the real binary does, and notes each call. */
  private String standIn(String name, String version) {
    String answer = switch (name) {
      case "kubeadm" -> version;
      case "kubelet" -> "Kubernetes " + version;
      default -> "Client Version: " + version + "\nKustomize Version: v5.7.1";
    };
    return "#!/bin/sh\necho " + name + " >> '" + calls + "'\nprintf '%s\\n' '" + answer.replace("\n", "' '")
        + "'\n";
  }

  private HostFacts run() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-s");
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("CAIRN_VERSION_CACHE", dir.resolve("cache").toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(HostFacts.SCRIPT.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("facts.end=ok");
    return HostFacts.parse(out);
  }
}
