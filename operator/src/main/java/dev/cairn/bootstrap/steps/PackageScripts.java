package dev.cairn.bootstrap.steps;

import static dev.cairn.ssh.Shell.quote;

import dev.cairn.api.v1alpha1.PackagesSpec;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.OsFamily;

/**
 * The package-manager preamble the install steps share: bash functions {@code pkg_refresh},
 * {@code pkg_install} and {@code pkg_hold} bound to the package source of the plan. With a
 * mirror, only the mirror is consulted, as an air-gapped site needs.
 */
final class PackageScripts {
  private PackageScripts() {}

  static String preamble(OsFamily family, NodePlan plan) {
    boolean mirror = plan.packageSource() == PackagesSpec.Source.MIRROR;
    if (family == OsFamily.RHEL) {
      return mirror ? """
          MIRROR=%s
          cat > /etc/yum.repos.d/cairn-mirror.repo <<REPO
          [cairn-mirror]
          name=Cairn package mirror
          baseurl=$MIRROR
          enabled=1
          gpgcheck=0
          REPO
          pkg_refresh() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror makecache; }
          pkg_install() { dnf -q -y --disablerepo='*' --enablerepo=cairn-mirror --disableexcludes=all install "$@"; }
          pkg_hold() { dnf -q -y install 'dnf-command(versionlock)' >/dev/null 2>&1 || true; dnf -q versionlock add "$@"; }
          """.formatted(quote(plan.mirror())) : """
          pkg_refresh() { dnf -q -y makecache; }
          pkg_install() { dnf -q -y --disableexcludes=kubernetes install "$@"; }
          pkg_hold() { :; }  # the kubernetes repo excludes its packages from upgrades
          """;
    }
    return mirror ? """
        export DEBIAN_FRONTEND=noninteractive
        MIRROR=%s
        install -d -m 0755 /etc/apt/sources.list.d
        printf 'deb [trusted=yes] %%s ./\\n' "$MIRROR" > /etc/apt/sources.list.d/cairn-mirror.list
        ONLY_MIRROR=(-o Dir::Etc::sourcelist=/etc/apt/sources.list.d/cairn-mirror.list -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0)
        pkg_refresh() { apt-get "${ONLY_MIRROR[@]}" update -qq; }
        pkg_install() { apt-get "${ONLY_MIRROR[@]}" install -y -qq -o Dpkg::Options::=--force-confold --allow-downgrades --allow-change-held-packages "$@"; }
        pkg_hold() { apt-mark hold "$@" >/dev/null; }
        """.formatted(quote(plan.mirror())) : """
        export DEBIAN_FRONTEND=noninteractive
        pkg_refresh() { apt-get update -qq; }
        pkg_install() { apt-get install -y -qq -o Dpkg::Options::=--force-confold --allow-downgrades --allow-change-held-packages "$@"; }
        pkg_hold() { apt-mark hold "$@" >/dev/null; }
        """;
  }
}
