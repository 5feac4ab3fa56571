package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.bootstrap.StepId;
import java.util.Optional;

/** A host-preparation step whose apply is one fixed script: no spec value reaches it. */
abstract class FixedScriptStep implements Step {
  private final StepId id;
  private final String script;

  FixedScriptStep(StepId id, String script) {
    this.id = id;
    this.script = script;
  }

  @Override
  public StepId id() {
    return id;
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(script);
  }
}
