{{/* The chart name, truncated to 63 characters (DNS-1123 label). */}}
{{- define "flowmap.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The full name: the release name, plus the chart name unless the release name already contains it. */}}
{{- define "flowmap.fullname" -}}
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

{{/* Labels every object carries. */}}
{{- define "flowmap.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "flowmap.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels the collector's selector matches. */}}
{{- define "flowmap.selectorLabels" -}}
app.kubernetes.io/name: {{ include "flowmap.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The ServiceAccount the collector runs as. */}}
{{- define "flowmap.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "flowmap.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The collector image reference. */}}
{{- define "flowmap.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* Labels the collector pods carry and its Deployment and Service select (not the ipt_NETFLOW DaemonSet's pods). */}}
{{- define "flowmap.collectorSelectorLabels" -}}
{{ include "flowmap.selectorLabels" . }}
app.kubernetes.io/component: collector
{{- end -}}
