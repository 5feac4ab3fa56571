package dev.cairn.bootstrap;

import java.util.Locale;

/** The host families Cairn has scripts for. */
public enum OsFamily {
  DEBIAN,
  RHEL,
  UNSUPPORTED;

  static OsFamily of(String id, String like) {
    String all = (id + " " + like).toLowerCase(Locale.ROOT);
    if (all.matches(".*\\b(debian|ubuntu)\\b.*")) {
      return DEBIAN;
    }
    if (all.matches(".*\\b(rhel|rocky|almalinux|centos|fedora)\\b.*")) {
      return RHEL;
    }
    return UNSUPPORTED;
  }
}
