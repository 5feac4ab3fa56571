# Shared by the scripts/build-*.sh scripts (sourced, not run): throwaway Go modules that require
# one upstream module at one release and build its commands, static and version-stamped.
# Nothing is downloaded but Go modules through the Go module proxy.

# kube_module DIR KUBE_VERSION: a module that requires k8s.io/kubernetes at KUBE_VERSION and pins
# every staging module (which k8s.io/kubernetes replaces with ./staging paths) to its release;
# tools.go names every command the testbed builds, so one `go mod tidy` covers them all.
kube_module() {
  local dir=$1 version=$2 minor staging tools
  [[ "$version" =~ ^v1\.([0-9]+)\.([0-9]+)$ ]] || { echo "KUBE_VERSION must look like v1.34.4" >&2; return 2; }
  minor=${BASH_REMATCH[1]}; staging="v0.${minor}.${BASH_REMATCH[2]}"
  tools='//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)'
  mkdir -p "$dir"
  ( cd "$dir"
    if [[ ! -f go.mod ]]; then
      printf 'module cairn.dev/kube-build\n\ngo 1.24.0\n' > go.mod
      local kmodfile
      kmodfile=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
      # every "k8s.io/x => ./staging/src/k8s.io/x" becomes "k8s.io/x => k8s.io/x v0.MINOR.PATCH"
      grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+' "$kmodfile" | awk '{print $1}' | sort -u |
        while read -r m; do go mod edit -replace "$m=$m@$staging"; done
      go mod edit -require "k8s.io/kubernetes@$version"
    fi
    if [[ "$(cat tools.go 2>/dev/null)" != "$tools" || ! -f go.sum ]]; then
      printf '%s\n' "$tools" > tools.go
      go mod tidy -e >/dev/null 2>tidy.log || { cat tidy.log >&2; exit 1; }
    fi )
}

# kube_ldflags KUBE_VERSION: what a release build stamps, so `--version` and kubeadm's own
# version checks see a real release
kube_ldflags() {
  local version=$1 minor flags=""
  [[ "$version" =~ ^v1\.([0-9]+)\. ]] && minor=${BASH_REMATCH[1]}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

# go_module DIR MODULE VERSION PKG...: a module that requires MODULE@VERSION and imports PKG...
#   REQUIRE="MOD@VER ...": further requirements (minimum versions: one newer than MODULE's own wins)
#   REPLACE="MOD=MOD@VER ...": go.mod replace directives (a version the module proxy does not serve)
# Made again when its recipe (these arguments) changed.
go_module() {
  local dir=$1 module=$2 version=$3; shift 3
  local recipe; recipe=$(printf '%s\n' "$module@$version" "$@" "require ${REQUIRE:-}" "replace ${REPLACE:-}")
  mkdir -p "$dir"
  ( cd "$dir"
    [[ -f go.sum && "$(cat .recipe 2>/dev/null)" == "$recipe" ]] && exit 0
    rm -f go.sum .recipe
    printf 'module cairn.dev/build\n\ngo 1.24.0\n' > go.mod
    { printf '//go:build tools\n\npackage tools\n\nimport (\n'; printf '\t_ "%s"\n' "$@"; printf ')\n'; } > tools.go
    go mod edit -require "$module@$version"
    local r
    for r in ${REQUIRE:-}; do go mod edit -require "$r"; done
    for r in ${REPLACE:-}; do go mod edit -replace "$r"; done
    go mod tidy -e >/dev/null 2>tidy.log || { cat tidy.log >&2; exit 1; }
    [[ -s go.sum ]] || { cat tidy.log >&2; exit 1; }
    printf '%s\n' "$recipe" > .recipe )
}

# go_build MODULE_DIR OUT PKG LDFLAGS: static, trimmed, stripped; OUT appears only when complete.
# CGO=1: with cgo, linked statically (needs gcc and libc6-dev)
go_build() {
  local dir=$1 out=$2 pkg=$3 ldflags=${4:-}
  local tags=()
  # pure-Go resolver and user lookup: a static glibc would want its shared NSS modules at run time
  [[ ${CGO:-0} == 1 ]] && { ldflags+=" -linkmode=external -extldflags=-static"; tags=(-tags netgo,osusergo); }
  mkdir -p "$(dirname "$out")"
  ( cd "$dir" && CGO_ENABLED=${CGO:-0} GOFLAGS=-mod=mod go build "${tags[@]}" -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg" )
  mv "$out.tmp" "$out"
}
