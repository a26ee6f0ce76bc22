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

# fuzz_one fuzzes one target for FUZZTIME. Go 1.26's fuzz coordinator can
# fail a target with a bare "context deadline exceeded" at the end of
# -fuzztime, having found nothing (golang/go#75804, fixed in Go 1.27): such
# a run, which writes no failing input, is run once more. A failing input
# always fails the step.
fuzz_one() {
  local pkg=$1 target=$2 out corpus="$1/testdata/fuzz/$2" before after
  before=$(ls "$corpus" 2>/dev/null | wc -l || true)
  for attempt in 1 2; do
    if out=$(go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "./$pkg" 2>&1); then
      printf '%s\n' "$out" | tail -3
      return 0
    fi
    printf '%s\n' "$out"
    after=$(ls "$corpus" 2>/dev/null | wc -l || true)
    if [ "$after" != "$before" ] || ! grep -q 'context deadline exceeded' <<<"$out" || [ "$attempt" = 2 ]; then
      return 1
    fi
    echo "$target: the Go fuzz coordinator's deadline race (golang/go#75804), no failing input written; running it again"
  done
}

if [ "$FUZZTIME" != "0" ]; then
  step "fuzz ($FUZZTIME per target)"
  while read -r pkg target; do
    fuzz_one "$pkg" "$target"
  done < <(grep -rho --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' internal | sort -u | sed 's/^func //' |
    while read -r t; do
      f=$(grep -rl --include='*_test.go' "^func $t(" internal | head -1)
      echo "$(dirname "$f") $t"
    done)
fi

step "README first command"
./bin/datapipe run examples/hello.json

echo; echo "all tests passed"
