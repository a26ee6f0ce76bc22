#!/usr/bin/env bash
# Console benchmark: seeds 1,000 pipelines and 50,000 instances straight
# into a SQLite store (one pipeline with 5,000 hourly intervals of 4
# components and an attempt each, 999 with 10 intervals of 3), serves the
# console over HTTP on loopback and requests every page 60 times in a row
# after 3 warm-ups. Prints p50 / p95 / max per page, the figures recorded in
# docs/benchmarks.md ("Console (issue 6)"). Takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
if ! out=$(go test -run '^$' -bench 'BenchmarkConsole_Pages' -benchtime 1x -timeout 20m ./internal/web/ 2>&1); then
  echo "$out"
  exit 1
fi
printf '%-28s %10s %10s %10s\n' page p50-ms p95-ms max-ms
echo "$out" | awk '/^BenchmarkConsole_Pages\// {
  name = $1; sub(/^BenchmarkConsole_Pages\//, "", name); sub(/-[0-9]+$/, "", name)
  p50 = p95 = mx = ""; ns = $3
  for (i = 4; i < NF; i++) {
    if ($(i+1) == "p50-ms") p50 = $i
    if ($(i+1) == "p95-ms") p95 = $i
    if ($(i+1) == "max-ms") mx = $i
  }
  if (p50 == "") { printf "%-28s %10s %10s %10s  (one uncached computation: %.1f ms)\n", name, "-", "-", "-", ns / 1e6 }
  else printf "%-28s %10s %10s %10s\n", name, p50, p95, mx
}'
echo "$out" | grep -E '^(ok|FAIL)' || true
