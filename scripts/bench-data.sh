#!/usr/bin/env bash
# Data layer benchmarks anyone can run, against the real test servers that
# scripts/servers.sh starts (versitygw, PostgreSQL, dynalite):
#   - S3 -> S3 copy of one object through the runner: the datanode layer
#     against a plain SDK streaming GetObject then PutObject;
#   - one CSV object from S3 into PostgreSQL with COPY through the datanode
#     layer, against psql's \copy of the same bytes from a local file;
#   - DynamoDB -> S3 export (DynamoDbExport layout), in items per second;
#   - the CopyActivity executor on the same object: into PostgreSQL (COPY),
#     to S3 server-side, streamed through the runner, and record by record,
#     with psql's \copy of the same bytes run just before as the baseline.
# Each benchmark runs in its own process, so its peak-RSS-MB (VmHWM after
# the set-up) is its own.
#
#   DATAPIPE_BENCH_MB     object size in MiB (default 1024)
#   DATAPIPE_BENCH_ITEMS  items of the export (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
eval "$(scripts/servers.sh start postgres versitygw dynalite)"
export DATAPIPE_BENCH_MB="${DATAPIPE_BENCH_MB:-1024}" DATAPIPE_BENCH_ITEMS="${DATAPIPE_BENCH_ITEMS:-100000}"
bin=$(mktemp -d)/datanodetest.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./internal/datanode/datanodetest/
echo "object size ${DATAPIPE_BENCH_MB} MiB, export ${DATAPIPE_BENCH_ITEMS} items, $(nproc) cores"
for bench in 'S3Copy/datanode' 'S3Copy/datanode-ranged' 'S3Copy/sdk' 'S3ToPostgres/datanode' 'S3ToPostgres/psql' 'DynamoDBExport'; do
  pattern="^Benchmark${bench%%/*}\$"
  [[ $bench == */* ]] && pattern+="/^${bench#*/}\$"
  "$bin" -test.run '^$' -test.bench "$pattern" -test.benchtime 1x -test.timeout 60m |
    grep '^Benchmark' || { echo "$bench failed"; exit 1; }
done
act=$(dirname "$bin")/copyact.test
go test -c -o "$act" ./internal/activity/copyact/
for bench in Psql S3ToPostgres S3ToS3 S3ToS3Stream S3ToS3Records; do
  "$act" -test.run '^$' -test.bench "^BenchmarkCopyActivity\$/^${bench}\$" -test.benchtime 1x -test.timeout 60m |
    grep '^Benchmark' || { echo "CopyActivity/$bench failed"; exit 1; }
done
