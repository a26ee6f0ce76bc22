#!/usr/bin/env bash
# Installs what the tests need, starts the real servers they use, and runs
# every test. This is the README's test command and what CI runs.
#
#   FUZZTIME=20s   how long each fuzz target runs (0 to skip fuzzing)
#   GOFLAGS        passed through to go
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="/usr/local/go/bin:$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"
FUZZTIME="${FUZZTIME:-20s}"

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
command -v go >/dev/null || { echo "go is not installed (want Go 1.26+ at /usr/local/go)"; exit 1; }
go version

step "format and vet"
unformatted=$(gofmt -l cmd internal)
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...

step "build"
go build -o bin/datapipe ./cmd/datapipe

step "test servers"
eval "$(scripts/servers.sh start)"
# Stop on exit only what this run started: a server that was already
# running is shared with others.
trap '[ -z "${DATAPIPE_TEST_SERVERS_STARTED:-}" ] || scripts/servers.sh stop $DATAPIPE_TEST_SERVERS_STARTED' EXIT

step "unit and end-to-end tests"
go test -count=1 ./...

if [ "$FUZZTIME" != "0" ]; then
  step "fuzz ($FUZZTIME per target)"
  while read -r pkg target; do
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "./$pkg"
  done < <(grep -rho --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' internal | sort -u | sed 's/^func //' |
    while read -r t; do
      f=$(grep -rl --include='*_test.go' "^func $t(" internal | head -1)
      echo "$(dirname "$f") $t"
    done)
fi

step "README first command"
./bin/datapipe run examples/hello.json

echo; echo "all tests passed"
