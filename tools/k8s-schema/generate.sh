#!/usr/bin/env bash
# Regenerates crates/k8s/schema/ from Kubernetes' Go modules (the versions go.mod pins):
#   kubernetes.pb  the protobuf descriptors of every stored API type (protoc over the modules'
#                  generated.proto files, without comments), which the decoder reads values with;
#   fields.json    what encoding/json does with each field (main.go reflects over the Go types).
# Needs Go and the Go module proxy; the build of oxcd needs neither (the output is committed).
#   tools/k8s-schema/generate.sh [PROTOC]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../crates/k8s/schema"
protoc="${1:-${PROTOC:-$(ls ~/.cargo/registry/src/*/protoc-bin-vendored-linux-x86_64-*/bin/protoc | head -1)}}"
mkdir -p "$out"
cd "$here"
go mod download
go run . > "$out/fields.json"

# protoc resolves imports such as "k8s.io/api/core/v1/generated.proto" under one include root.
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/k8s.io"
for module in api apimachinery apiextensions-apiserver kube-aggregator; do
  dir="$(go list -m -f '{{.Dir}}' "k8s.io/$module")"
  ln -s "$dir" "$root/k8s.io/$module"
done
cd "$root"
files=$(
  find -L k8s.io/api -name generated.proto | sort
  echo k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto
  echo k8s.io/apimachinery/pkg/runtime/generated.proto
  echo k8s.io/apimachinery/pkg/runtime/schema/generated.proto
  echo k8s.io/apimachinery/pkg/util/intstr/generated.proto
  echo k8s.io/apimachinery/pkg/api/resource/generated.proto
  find -L k8s.io/apiextensions-apiserver/pkg/apis/apiextensions -name generated.proto | sort
  find -L k8s.io/kube-aggregator/pkg/apis/apiregistration -name generated.proto | sort
)
# shellcheck disable=SC2086
"$protoc" -I "$root" --include_imports -o "$out/kubernetes.pb" $files 2> >(grep -v "is unused" >&2)
echo "wrote $out/fields.json ($(wc -c < "$out/fields.json") bytes) and $out/kubernetes.pb ($(wc -c < "$out/kubernetes.pb") bytes)"
