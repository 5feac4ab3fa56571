package dev.cairn.bootstrap.steps;

import static dev.cairn.ssh.Shell.quote;

import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.Membership;
import dev.cairn.kubeadm.KubeadmTuning;
import dev.cairn.pki.PkiFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The shell pieces kubeadm init and join share: files written safely, leftovers reset, the member mark. */
final class MembershipScripts {
  static final String CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";
  static final String PKI_DIR = "/etc/kubernetes/pki/";
  static final String MEMBER_MARK = "/etc/cairn/member";

  /**
   * Defines {@code put PATH BASE64}: the file written whole (a temporary name, then a rename)
   * with mode 0600. Contents travel base64-encoded inside the script, which goes over the SSH
   * channel's stdin: never on a command line, where {@code ps} would show it.
   */
  static final String PREAMBLE = """
      set -euo pipefail
      umask 077
      export PATH="$PATH:/usr/sbin:/sbin"
      put() {
        install -d -m 0755 "$(dirname "$1")"
        printf '%s' "$2" | base64 -d > "$1.cairn-new"
        chmod 0600 "$1.cairn-new"
        mv -f "$1.cairn-new" "$1"
      }
      """;

  /** What an unfinished kubeadm run of this cluster left behind is reset before trying again. */
  static final String RESET_LEFTOVERS = """
      if [ -n "$(ls -d /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf \\
          /etc/kubernetes/manifests/*.yaml /var/lib/etcd/member 2>/dev/null)" ]; then
        echo "cairn: resetting what an unfinished kubeadm run left behind"
        kubeadm reset -f --cri-socket %s
        rm -rf /etc/cni/net.d/* /var/lib/etcd
      fi
      """.formatted(CRI_SOCKET);

  private MembershipScripts() {}

  static String put(String path, String content) {
    return "put " + quote(path) + " " + quote(Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)))
        + "\n";
  }

  static String putPki(List<PkiFile> files) {
    StringBuilder s = new StringBuilder();
    files.forEach(f -> s.append(put(PKI_DIR + f.path(), f.content())));
    return s.toString();
  }

  /** The patches directory holds exactly these files (name to content); none: it is removed. */
  static String putPatches(Map<String, String> patches) {
    StringBuilder s = new StringBuilder("rm -rf " + quote(KubeadmTuning.PATCHES_DIR) + "\n");
    new TreeMap<>(patches).forEach((name, content) -> s.append(put(KubeadmTuning.PATCHES_DIR + "/" + name, content)));
    return s.toString();
  }

  static String markMember(String caFingerprint) {
    return "install -d -m 0755 /etc/cairn\nprintf '%s\\n' " + quote(caFingerprint) + " > " + MEMBER_MARK + "\n";
  }

  /** "sha256:" and the first 12 hex digits: enough to tell clusters apart in a message. */
  static String shortId(String fingerprint) {
    return "sha256:" + fingerprint.substring(0, Math.min(12, fingerprint.length()));
  }

  /** The host's kubeconfigs name a CA other than this cluster's: it belongs to another cluster. */
  static Optional<String> foreign(HostFacts facts, String caFingerprint) {
    for (String key : List.of("kubernetes.admin_ca", "kubernetes.kubelet_ca")) {
      String ca = facts.get(key);
      if (!ca.isEmpty() && !"absent".equals(ca) && !ca.equals(caFingerprint)) {
        String file = key.endsWith("admin_ca") ? "admin.conf" : "kubelet.conf";
        return Optional.of("the host belongs to another cluster: its /etc/kubernetes/" + file + " trusts CA "
            + ("unknown".equals(ca) ? "(unreadable)" : shortId(ca)) + ", this cluster's is " + shortId(caFingerprint)
            + "; run 'kubeadm reset' on it yourself or use another host");
      }
    }
    return Optional.empty();
  }

  static boolean member(HostFacts facts, String caFingerprint) {
    return caFingerprint.equals(facts.get("cairn.member"));
  }

  static String sha256(String content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
