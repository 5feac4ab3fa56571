{{/* The release's name for its objects, at most 63 characters. */}}
{{- define "cairn.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cairn.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the operator's Pods; never change them, a Deployment's selector is immutable. */}}
{{- define "cairn.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cairn.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cairn.labels" -}}
{{ include "cairn.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: cairn
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "cairn.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cairn.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cairn.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/*
What the operator does in each namespace it manages, and nothing more (see the README's RBAC
table for which call needs which verb):
- its own kinds: informers (list, watch), reads (get), JSON and server-side-apply patches
  (annotations, finalizers) and status patches; finalizers/update lets it set owner references
  with blockOwnerDeletion on the Secrets it owns, and keeps the cleanup finalizer working;
- Secrets: the SSH keys it reads and watches (the watch keeps only their metadata), the PKI and
  kubeconfig Secrets it creates and renews;
- Events on condition transitions, core and events.k8s.io.
*/}}
{{- define "cairn.namespaceRules" -}}
- apiGroups: ["cairn.dev"]
  resources: ["clusters", "controlplanenodes", "workernodes"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["cairn.dev"]
  resources: ["controlplanenodes", "workernodes"]
  verbs: ["delete"]
- apiGroups: ["cairn.dev"]
  resources: ["clusters/status", "controlplanenodes/status", "workernodes/status"]
  verbs: ["patch"]
- apiGroups: ["cairn.dev"]
  resources: ["clusters/finalizers", "controlplanenodes/finalizers", "workernodes/finalizers"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}
