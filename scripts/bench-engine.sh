#!/usr/bin/env bash
# Engine benchmarks anyone can run (issue 4), on this machine:
#   (a) dispatch latency: a queued task to an idle waiting poll;
#   (b) a chain of 100 dependent `true` tasks through `datapipe run`
#       (orchestration overhead per hop = hop time - starting `true`);
#   (c) no-op task completions through the full protocol (16, then 64 SDK
#       clients over HTTP), on SQLite and PostgreSQL;
#   (d) 1,000 independent `true` tasks through `datapipe run`, against
#       this machine's rate of `sh -c true` four at a time.
# Each reports wall time and CPU time (cpu-ms/...), which other load on the
# machine changes less. Needs the test servers for (c) on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
eval "$(scripts/servers.sh start postgres)"
count="${BENCH_COUNT:-5}"
go test -run '^$' -bench 'DispatchLatency' -benchtime 500x -count "$count" ./internal/control/
go test -run '^$' -bench 'Run_Chain100|Run_Fan1000|Server_TaskThroughput' -benchtime 1x -count "$count" ./cmd/datapipe/
# (c) again with 64 clients: more concurrent runners share more commits.
DATAPIPE_BENCH_CLIENTS=64 go test -run '^$' -bench 'Server_TaskThroughput' -benchtime 1x -count "$count" ./cmd/datapipe/
