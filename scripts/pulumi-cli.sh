#!/usr/bin/env bash
# Builds the pinned `pulumi` CLI from the Go module proxy into a per-user cache
# and prints its bin directory on the last line of stdout.
#
# Why build: the `pulumi` npm package downloads the CLI at run time, and these
# machines cannot reach get.pulumi.com. `go install .../pkg/v3/cmd/pulumi@v` is
# refused because pkg/go.mod has `replace` directives, so we build from a
# throw-away wrapper module in the cache (a dependency's replaces are ignored).
#
# The Go Node.js language host (module .../sdk/nodejs/cmd/pulumi-language-nodejs/v3)
# is not served by this machine's proxy at any version (403, see CONTRIBUTING),
# so it is not built: tests/cli runs programs the way the Automation API runs an
# inline program (`pulumi up --client`, the language server inside Node), and
# the policy pack as an executable analyzer (`--policy-pack <file>`); both are
# code paths of this same CLI binary.
#
# Idempotent: with the binary present it prints the path and exits at once.
# Usage: npm run pulumi-cli                     (version from package.json "pulumiCli")
#        PULUMI_CLI_VERSION=3.274.0 npm run pulumi-cli
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION="${PULUMI_CLI_VERSION:-$(node -p "require('$ROOT/package.json').pulumiCli.version")}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-training/pulumi-cli/$VERSION"
BIN="$CACHE/bin"

# The dynamic-provider plugin is a shell script shipped in the @pulumi/pulumi npm
# package; a release of the CLI carries it beside the binary, and a plugin found
# only on PATH earns a warning on every run.
shim() {
  local src="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [[ -f "$src" ]] && ! cmp -s "$src" "$BIN/pulumi-resource-pulumi-nodejs"; then
    cp "$src" "$BIN/pulumi-resource-pulumi-nodejs" && chmod +x "$BIN/pulumi-resource-pulumi-nodejs"
  fi
}

if [[ -x "$BIN/pulumi" ]]; then
  shim
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || { echo "pulumi-cli: Go is needed to build the CLI (https://go.dev/dl)" >&2; exit 1; }

WRAP="$CACHE/wrapper"
mkdir -p "$WRAP" "$BIN"
cd "$WRAP"
started=$(date +%s)
echo "pulumi-cli: building pulumi v$VERSION in $WRAP (a cold build takes several minutes)" >&2

printf 'module pulumitrainingcli\n\ngo 1.26\n' > go.mod
printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' > tools.go
# sdk/v3 at the same release: pkg/v3 replaces it with ../sdk in its own go.mod,
# and a dependency's replaces are ignored, so the pair is pinned here.
go get "github.com/pulumi/pulumi/pkg/v3@v$VERSION" "github.com/pulumi/pulumi/sdk/v3@v$VERSION" >&2
go mod tidy >&2

# Release flags; without the -X stamp `pulumi version` is empty.
CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
  -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
# Rename last so an interrupted build never leaves a binary that looks finished.
mv "$BIN/pulumi.tmp" "$BIN/pulumi"
shim
echo "pulumi-cli: built in $(( $(date +%s) - started ))s" >&2
echo "$BIN"
