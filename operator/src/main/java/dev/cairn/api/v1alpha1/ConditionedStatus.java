package dev.cairn.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What every Cairn status has in common: conditions, observedGeneration and a display phase. */
public interface ConditionedStatus {
  List<Condition> getConditions();

  void setConditions(List<Condition> conditions);

  Long getObservedGeneration();

  void setObservedGeneration(Long observedGeneration);

  String getPhase();

  void setPhase(String phase);
}
