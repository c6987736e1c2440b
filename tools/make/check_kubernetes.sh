#!/usr/bin/env bash
# Offline checks of deploy/kubernetes/ and the Dockerfile: every overlay builds with
# `kubectl kustomize`, validates against the Kubernetes schemas (kubernetes-validate, schemas
# shipped in the package) and passes checkov (skipped checks are justified in the manifests'
# `checkov.io/skip` annotations). The environment the manifests give Rasa is checked by
# tests/unit/test_kubernetes.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools=.venv-tools/bin
# The Kubernetes version the schemas are checked against: the oldest one still supported
# by the major cloud providers when this was written.
kubernetes_version=${KUBERNETES_VERSION:-1.30.0}
built=$(mktemp -d)
trap 'rm -rf "$built"' EXIT

files=()
for overlay in deploy/kubernetes/overlays/*/; do
  name=$(basename "$overlay")
  echo "--- $name: kubectl kustomize"
  kubectl kustomize --load-restrictor LoadRestrictionsNone "$overlay" > "$built/$name.yaml"
  echo "--- $name: kubernetes-validate (Kubernetes $kubernetes_version, strict)"
  "$tools/kubernetes-validate" --strict --quiet --kubernetes-version "$kubernetes_version" \
    "$built/$name.yaml"
  files+=(--file "$built/$name.yaml")
done
# One run for all (checkov takes long to start); --skip-download: offline, no Prisma Cloud.
echo "--- checkov: every overlay and the Dockerfile"
"$tools/checkov" --quiet --compact --skip-download --framework kubernetes dockerfile \
  "${files[@]}" --file Dockerfile
