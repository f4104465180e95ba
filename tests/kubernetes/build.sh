#!/usr/bin/env bash
# Builds kube-apiserver and kubectl of Kubernetes v1.37.2 from Go modules (go.mod beside this
# script pins k8s.io/kubernetes and its staging modules), into a cache directory:
#
#   tests/kubernetes/build.sh [BIN_DIR]
#
# BIN_DIR (or $OXCD_KUBE_BIN_DIR) defaults to target/kubernetes/bin under the repo root. The build
# is skipped while both binaries are there and the stamp beside them still matches go.mod, go.sum
# and the Go version. It runs at the lowest priority (a cold build takes a long while on 2 cores)
# and prints how long it took. Concurrent callers wait for each other on a lock in BIN_DIR.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin_dir="${1:-${OXCD_KUBE_BIN_DIR:-$root/target/kubernetes/bin}}"
mkdir -p "$bin_dir"
bin_dir="$(cd "$bin_dir" && pwd)"

if ! command -v go >/dev/null; then
  echo "build.sh: go is not installed" >&2
  exit 127
fi

stamp_of() {
  { cat "$here/go.mod" "$here/go.sum" "$here/build.sh"; go version; } | sha256sum | cut -d' ' -f1
}

exec 9>"$bin_dir/.lock"
flock 9

want="$(stamp_of)"
if [[ -x "$bin_dir/kube-apiserver" && -x "$bin_dir/kubectl" \
  && "$(cat "$bin_dir/.stamp" 2>/dev/null)" == "$want" ]]; then
  echo "kube-apiserver and kubectl are up to date in $bin_dir (0 s)"
  exit 0
fi

# The version Kubernetes' own build stamps in (hack/lib/version.sh); without it both report
# v0.0.0-master.
version=v1.37.2
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=37"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

start=$(date +%s)
rm -f "$bin_dir/.stamp"
cd "$here"
# -mod=readonly: go.mod and go.sum are what the repo holds, never rewritten by a build.
nice -n 19 go build -mod=readonly -buildvcs=false -trimpath -ldflags "$ldflags" -o "$bin_dir/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
echo "$want" >"$bin_dir/.stamp"
echo "built kube-apiserver and kubectl into $bin_dir in $(($(date +%s) - start)) s"
