package dev.cairn.bootstrap.steps;

import dev.cairn.bootstrap.HostFacts;
import dev.cairn.bootstrap.NodePlan;
import dev.cairn.bootstrap.Step;
import dev.cairn.status.ConditionType;
import java.util.Optional;

/** A host-preparation step whose apply is one fixed script: no spec value reaches it. */
abstract class FixedScriptStep implements Step {
  private final String name;
  private final String script;

  FixedScriptStep(String name, String script) {
    this.name = name;
    this.script = script;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String condition() {
    return ConditionType.HOST_PREPARED;
  }

  @Override
  public Optional<String> apply(HostFacts facts, NodePlan plan) {
    return Optional.of(script);
  }
}
