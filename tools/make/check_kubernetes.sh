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

for overlay in deploy/kubernetes/overlays/*/; do
  name=$(basename "$overlay")
  echo "--- $name: kubectl kustomize"
  kubectl kustomize --load-restrictor LoadRestrictionsNone "$overlay" > "$built/$name.yaml"
  echo "--- $name: kubernetes-validate (Kubernetes $kubernetes_version, strict)"
  "$tools/kubernetes-validate" --strict --kubernetes-version "$kubernetes_version" "$built/$name.yaml"
  echo "--- $name: checkov"
  "$tools/checkov" --quiet --compact --framework kubernetes --file "$built/$name.yaml"
done
echo "--- Dockerfile: checkov"
"$tools/checkov" --quiet --compact --framework dockerfile --file Dockerfile
