#!/usr/bin/env bash
# Engine benchmarks anyone can run: a chain of 100 dependent tasks and 1,000
# independent `true` tasks through `datapipe run`, against the machine's own
# rate of starting `sh -c true` four at a time. Prints the figures recorded in
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
go build -o bin/datapipe ./cmd/datapipe
command -v bc >/dev/null || { echo "bench-engine.sh needs bc (apt-get install -y bc)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# gen KIND N: an on-demand definition of N shell tasks running `true`,
# chained with dependsOn (chain) or independent (fan).
gen() {
  local kind=$1 n=$2
  {
    echo '{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"bench","maximumRetries":"0"}'
    for i in $(seq 1 "$n"); do
      dep=""
      if [ "$kind" = chain ] && [ "$i" -gt 1 ]; then dep=",\"dependsOn\":{\"ref\":\"T$((i-1))\"}"; fi
      echo ",{\"id\":\"T$i\",\"type\":\"ShellCommandActivity\",\"command\":\"true\"$dep}"
    done
    echo ']}'
  } > "$work/$kind.json"
}

now() { date +%s.%N; }

gen chain 100
t0=$(now); ./bin/datapipe run "$work/chain.json" > /dev/null; t1=$(now)
echo "chain of 100 dependent tasks: $(echo "$t1 - $t0" | bc) s wall, $(echo "($t1 - $t0) * 10" | bc) ms per hop (including each command's own run)"

gen fan 1000
t0=$(now); ./bin/datapipe run "$work/fan.json" > /dev/null; t1=$(now)
run=$(echo "$t1 - $t0" | bc)
t0=$(now); seq 1000 | xargs -P4 -I{} sh -c true; t1=$(now)
base=$(echo "$t1 - $t0" | bc)
echo "1000 independent true tasks: datapipe run $run s ($(echo "1000 / $run" | bc) tasks/s); sh -c true x4: $base s ($(echo "1000 / $base" | bc)/s); ratio $(echo "scale=2; $base / $run" | bc)"
