package dev.cairn.testing;

import dev.cairn.bootstrap.FakeHost;
import dev.cairn.ssh.ExecResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A converged Debian host (see {@link FakeHost}) on which Cairn's membership scripts take effect
 * the way they would on a real one: files it {@code put}s are kept (and the CA files' hashes and
 * modes show in the facts), {@code kubeadm init} and {@code kubeadm join} make it a member, and
 * each of those is recorded in a shared event list, to check the order across hosts; the
 * deletion's reset ({@code kubeadm reset -f} and Cairn's marks removed) makes it a bare prepared
 * host again; an upgrade's kubeadm step moves kubeadm and the upgrade mark, its kubelet step the
 * kubelet and kubectl (events {@code name:upgrade-apply:v…}, {@code name:upgrade-node:v…},
 * {@code name:kubelet:v…}); before that, its package source says it offers the target
 * ({@code name:source-offers:v…}) unless {@link #sourceLacks} names it.
 */
public final class MemberHost {
  private static final Pattern PUT = Pattern.compile("(?m)^put '([^']+)' '([^']*)'$");
  private static final Pattern TO = Pattern.compile("(?m)^TO='(v[0-9.]+)'$");
  private static final Pattern MARK = Pattern.compile("printf '%s\\\\n' '([0-9a-f]{64})' > /etc/cairn/member");

  public final String name;
  public final FakeHost host = FakeHost.convergedDebianControlPlane();
  public final Map<String, String> files = new ConcurrentHashMap<>();
  private final List<String> events;
  private volatile Duration renewalGives = Duration.ofDays(365);
  /** A version this host's package source does not offer (the upgrade-source step fails for it); null: it offers all. */
  public volatile String sourceLacks;
  /** How many times the deletion's reset ran here. */
  public volatile int resets;

  /** The release the members run before any upgrade (the ITs' clusters are made at it). */
  public static final String VERSION = "v1.35.4";
  private static final Pattern SANDBOX = Pattern.compile("(?m)^SANDBOX='([^']+)'$");

  public MemberHost(String name, String address, int index, List<String> events) {
    this.name = name;
    this.events = events;
    for (String binary : List.of("kubeadm", "kubelet", "kubectl")) {
      host.facts.put(binary + ".version", VERSION);
    }
    host.facts.put("hostname", name);
    host.facts.put("product_uuid", "uuid-" + name);
    host.facts.put("macs", String.format("52:54:00:00:01:%02x", index));
    host.facts.put("addresses", "127.0.0.1," + address);
    host.facts.put("kubernetes.admin_ca", "absent");
    host.facts.put("kubernetes.kubelet_ca", "absent");
    host.facts.put("kubernetes.leftovers", "");
    host.facts.put("cairn.member", "");
    for (String f : List.of("ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "etcd/ca.crt", "etcd/ca.key",
        "sa.key", "sa.pub")) {
      host.facts.put("pki." + f, "absent");
    }
  }

  public synchronized ExecResult run(String script) {
    Matcher put = PUT.matcher(script);
    while (put.find()) {
      String content = new String(Base64.getDecoder().decode(put.group(2)), StandardCharsets.UTF_8);
      files.put(put.group(1), content);
      if (put.group(1).startsWith("/etc/kubernetes/pki/")) {
        host.facts.put("pki." + put.group(1).substring("/etc/kubernetes/pki/".length()), sha256(content) + ":600");
      }
    }
    Matcher mark = MARK.matcher(script);
    String fingerprint = mark.find() ? mark.group(1) : null;
    Matcher sandbox = SANDBOX.matcher(script);
    if (sandbox.find()) {
      // containerd-configure: the pause image of the version the host runs now
      host.facts.put("containerd.sandbox", sandbox.group(1));
    }
    if (script.contains("> /run/cairn/upgrade-source") && TO.matcher(script).find()) {
      // the upgrade-source step: the package source asked for the target, which it offers unless told not to
      Matcher to = TO.matcher(script);
      to.find();
      if (to.group(1).equals(sourceLacks)) {
        return new ExecResult(1, "", "the package source offers no kubeadm kubelet kubectl at "
            + to.group(1).substring(1) + ": nothing was changed on this host", Duration.ofMillis(5), false);
      }
      host.facts.put("upgrade.source", to.group(1));
      events.add(name + ":source-offers:" + to.group(1));
    }
    if (script.contains("systemctl restart kubelet")) {
      host.facts.put("kubelet.active", "active");
    }
    if (script.contains("rm -f /etc/cairn/member")) {
      // the deletion's reset: kubeadm reset, the CNI config and Cairn's marks gone
      events.add(name + ":reset");
      resets++;
      host.facts.put("kubernetes.admin_ca", "absent");
      host.facts.put("kubernetes.kubelet_ca", "absent");
      host.facts.put("kubernetes.leftovers", "");
      host.facts.put("cairn.member", "");
      host.facts.put("kubelet.active", "inactive");
      host.facts.keySet().stream().filter(k -> k.startsWith("pki.")).toList()
          .forEach(k -> host.facts.put(k, "absent"));
      files.keySet().removeIf(p -> p.startsWith("/etc/kubernetes/") || p.startsWith("/etc/cairn/"));
    } else if (script.contains("kubeadm init --config")) {
      host.facts.put("kubelet.active", "active");
      events.add(name + ":init");
      host.facts.put("kubernetes.admin_ca", fingerprint);
      host.facts.put("kubernetes.kubelet_ca", fingerprint);
      host.facts.put("cairn.member", fingerprint);
    } else if (script.contains("kubeadm upgrade node") && TO.matcher(script).find()) {
      // the kubeadm-upgrade step: kubeadm at the target, then upgrade apply (first control plane) or node
      Matcher to = TO.matcher(script);
      to.find();
      host.facts.put("kubeadm.version", to.group(1));
      host.facts.put("cairn.upgraded", to.group(1));
      events.add(name + ":upgrade-" + (script.contains("MODE='apply'") ? "apply" : "node") + ":" + to.group(1));
    } else if (script.contains("pkg_install \"kubelet=$TO_BARE-*\"") && TO.matcher(script).find()) {
      Matcher to = TO.matcher(script);
      to.find();
      host.facts.put("kubelet.version", to.group(1));
      host.facts.put("kubectl.version", to.group(1));
      host.facts.put("kubelet.active", "active");
      events.add(name + ":kubelet:" + to.group(1));
    } else if (script.contains("kubeadm certs renew all")) {
      // the certificate-renewal step: a year from the host's clock, as kubeadm would (or what the test set)
      long now = java.time.Instant.now().getEpochSecond();
      host.facts.put("certs.now", String.valueOf(now));
      host.facts.keySet().stream().filter(k -> k.startsWith("cert.")).toList()
          .forEach(k -> host.facts.put(k, String.valueOf(now + renewalGives.toSeconds())));
      events.add(name + ":renew-certs");
    } else if (script.contains("kubeadm join --config")) {
      host.facts.put("kubelet.active", "active");
      events.add(name + ":join");
      host.facts.put("kubernetes.kubelet_ca", fingerprint);
      host.facts.put("cairn.member", fingerprint);
    }
    return host.run(script, Duration.ofMinutes(1));
  }

  /** A renewal on this host issues certificates for {@code lifetime} (a year unless set). */
  public void renewalGives(Duration lifetime) {
    renewalGives = lifetime;
  }

  /** Its control plane's certificates expire {@code in} from now (the facts say so from the next look). */
  public void certificatesExpireIn(Duration in) {
    long now = java.time.Instant.now().getEpochSecond();
    host.facts.put("certs.now", String.valueOf(now));
    host.facts.put("cert.apiserver", String.valueOf(now + in.toSeconds() + 3600));
    host.facts.put("cert.admin.conf", String.valueOf(now + in.toSeconds()));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
