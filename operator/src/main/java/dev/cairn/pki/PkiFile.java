package dev.cairn.pki;

/**
 * One file under /etc/kubernetes/pki as kubeadm names it ({@code ca.key}, {@code etcd/ca.crt}),
 * written with mode 0600. A secret when it is a key: {@link #toString} names only the path.
 */
public record PkiFile(String path, String content) {
  @Override
  public String toString() {
    return "PkiFile[" + path + "]";
  }
}
