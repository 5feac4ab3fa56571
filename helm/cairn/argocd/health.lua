-- Argo CD health of Cairn's objects: Cluster, ControlPlaneNode and WorkerNode (cairn.dev).
-- One script for the three kinds; argocd-cm.yaml installs it under each. Checked in the build
-- by ArgoHealthCheckTest. In order:
--   being deleted                                   -> Progressing
--   paused (spec.paused, annotation cairn.dev/paused other than "false", or Paused=True)
--                                                   -> Suspended
--   no status yet, or status.observedGeneration behind metadata.generation
--                                                   -> Progressing
--   Stalled=True (needs a person)                   -> Degraded, with its message
--   Ready=True                                      -> Healthy
--   anything else                                   -> Progressing, with Ready's message

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

-- A condition's message, else its reason, else the fallback.
local function explain(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil and c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

local function pausedByAnnotation()
  local annotations = obj.metadata.annotations
  if annotations == nil or annotations["cairn.dev/paused"] == nil then
    return false
  end
  return string.lower(annotations["cairn.dev/paused"]) ~= "false"
end

local hs = {}

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Being deleted"
  return hs
end

local paused = condition("Paused")
if (obj.spec ~= nil and obj.spec.paused == true) or pausedByAnnotation()
    or (paused ~= nil and paused.status == "True") then
  hs.status = "Suspended"
  hs.message = explain(paused ~= nil and paused.status == "True" and paused or nil, "Paused")
  return hs
end

local generation = obj.metadata.generation or 0
if obj.status == nil or obj.status.observedGeneration == nil or obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Cairn to observe generation " .. tostring(generation)
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = explain(stalled, "Stalled")
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = explain(ready, "Ready")
  return hs
end

hs.status = "Progressing"
hs.message = explain(ready, "Waiting for Ready")
return hs
