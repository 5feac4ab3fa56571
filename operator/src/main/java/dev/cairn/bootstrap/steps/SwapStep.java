package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.Check;
import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.StepId;
import java.util.ArrayList;
import java.util.List;

/** Swap off now and across reboots: fstab entries commented, swap units masked. */
public final class SwapStep extends FixedScriptStep {
  static final String SCRIPT = """
      set -euo pipefail
      # the units systemd made from fstab, named before the fstab edit makes them vanish
      units=$( { systemctl list-unit-files --type swap --no-legend; \\
                 systemctl list-units --type swap --all --plain --no-legend; } | awk '{print $1}' | sort -u)
      swapoff -a
      if awk '$1 !~ /^#/ && $3 == "swap" {found=1} END {exit !found}' /etc/fstab; then
        cp -p /etc/fstab /etc/fstab.cairn-backup
        awk '$1 !~ /^#/ && $3 == "swap" {print "# " $0 "  # swap disabled by cairn"; next} {print}' \\
          /etc/fstab > /etc/fstab.cairn-new
        cat /etc/fstab.cairn-new > /etc/fstab
        rm -f /etc/fstab.cairn-new
      fi
      for unit in $units; do
        systemctl mask "$unit" >/dev/null
      done
      systemctl daemon-reload
      """;

  public SwapStep() {
    super(StepId.SWAP_OFF, SCRIPT);
  }

  @Override
  public Check check(HostFacts facts, NodePlan plan) {
    List<String> wrong = new ArrayList<>();
    if (!facts.list("swap.active").isEmpty()) {
      wrong.add("swap active on " + String.join(", ", facts.list("swap.active")));
    }
    if (!facts.list("swap.fstab").isEmpty()) {
      wrong.add("swap in /etc/fstab: " + String.join(", ", facts.list("swap.fstab")));
    }
    if (!facts.list("swap.units").isEmpty()) {
      wrong.add("swap units not masked: " + String.join(", ", facts.list("swap.units")));
    }
    return Check.unless(wrong);
  }
}
