#!/usr/bin/env bash
# End-to-end DynamoDB export benchmark, against the real test servers that
# scripts/servers.sh starts (dynalite for DynamoDB, versitygw for S3):
#
#   1. create an on-demand table and load it with DATAPIPE_BENCH_ITEMS items
#      (default 100000, about 200 bytes each) by running a DynamoDbImport
#      EMR step from a generated local export directory;
#   2. time `datapipe run` of a pipeline whose EmrActivity runs the
#      DynamoDbExport step of the shared samples natively: a 4-segment
#      parallel Scan into s3:// in the DynamoDbExport layout.
#
# It prints items per second for the export step alone (from the attempt's
# log line) and for the whole `datapipe run` (start-up, scheduling and
# shutdown included), and the peak RSS of the `datapipe run` process, which
# holds the control plane and the in-process task runner that does the work
# (GNU time's maximum resident set size). The import of step 1 is reported
# the same way.
#
#   DATAPIPE_BENCH_ITEMS  items in the table (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
eval "$(scripts/servers.sh start versitygw dynalite)"
items="${DATAPIPE_BENCH_ITEMS:-100000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/datapipe" ./cmd/datapipe

suffix=$(date +%s%N)
table="bench-export-$suffix"
bucket="bench-export-$suffix"
key="$DATAPIPE_TEST_S3_ACCESS_KEY" secret="$DATAPIPE_TEST_S3_SECRET_KEY"

# dynamodb ACTION JSON: one signed DynamoDB call to the first dynalite.
dynamodb() {
  curl -sSf --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "$key:$secret" \
    -H "X-Amz-Target: DynamoDB_20120810.$1" -H 'Content-Type: application/x-amz-json-1.0' \
    -d "$2" "$DATAPIPE_TEST_DYNAMODB_ENDPOINT" >/dev/null
}
dynamodb CreateTable "{\"TableName\":\"$table\",\"BillingMode\":\"PAY_PER_REQUEST\",
  \"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],
  \"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}"
# s3 METHOD PATH: one signed S3 call to versitygw; prints the response.
s3() {
  curl -sSf --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -X "$1" "$DATAPIPE_TEST_S3_ENDPOINT/$2"
}
s3 PUT "$bucket" >/dev/null
cleanup_servers() {
  dynamodb DeleteTable "{\"TableName\":\"$table\"}" || true
  for k in $(s3 GET "$bucket?list-type=2" | grep -oE '<Key>[^<]+</Key>' | sed -E 's#</?Key>##g'); do
    s3 DELETE "$bucket/$k" >/dev/null || true
  done
  s3 DELETE "$bucket" >/dev/null || true
  rm -rf "$work"
}
trap cleanup_servers EXIT

cat >"$work/datapipe.yaml" <<YAML
aws:
  region: us-east-1
  s3ForcePathStyle: true
  accessKeyId: $key
  secretAccessKey: $secret
  endpoints:
    s3: $DATAPIPE_TEST_S3_ENDPOINT
    dynamodb: $DATAPIPE_TEST_DYNAMODB_ENDPOINT
YAML

# definition TOOL PATH: a one-step EMR pipeline running TOOL on PATH and
# the table, logging to file://$work/logs.
definition() {
  cat <<JSON
{"objects": [
  {"id": "Default", "scheduleType": "cron", "schedule": {"ref": "Once"}, "pipelineLogUri": "file://$work/logs/$1",
   "role": "DataPipelineDefaultRole", "resourceRole": "DataPipelineDefaultResourceRole"},
  {"id": "Once", "type": "Schedule", "period": "1 day", "startAt": "FIRST_ACTIVATION_DATE_TIME", "occurrences": "1"},
  {"id": "Cluster", "type": "EmrCluster", "region": "us-east-1", "terminateAfter": "2 hours"},
  {"id": "Step", "type": "EmrActivity", "runsOn": {"ref": "Cluster"},
   "step": "s3://dynamodb-emr-us-east-1/emr-ddb-storage-handler/2.1.0/emr-ddb-2.1.0.jar,org.apache.hadoop.dynamodb.tools.$1,$2,$table,1.0"}
]}
JSON
}

# measure NAME TOOL PATH: run the pipeline under GNU time and report.
measure() {
  definition "$2" "$3" >"$work/$2.json"
  /usr/bin/time -o "$work/$2.time" -f '%e %M' "$work/datapipe" run "$work/$2.json" \
    --config "$work/datapipe.yaml" --timeout 60m >"$work/$2.out" 2>&1 || { cat "$work/$2.out"; exit 1; }
  read -r wall rss <"$work/$2.time"
  line=$(grep -rhoE "$2: [0-9]+ items( in [0-9]+ files)? in [0-9.]+(ms|s|m[0-9.]+s)" "$work/logs/$2" | tail -1)
  step=$(sed -E 's/.* in ([0-9.ms]+)$/\1/' <<<"$line")
  secs=$(awk -v d="$step" 'BEGIN { if (d ~ /ms$/) { sub(/ms$/, "", d); print d / 1000 }
    else if (d ~ /m/) { split(d, p, "m"); sub(/s$/, "", p[2]); print p[1] * 60 + p[2] } else { sub(/s$/, "", d); print d } }')
  printf '%-15s %s items: step %.2f s = %.0f items/s; whole run %.2f s = %.0f items/s; peak RSS %.0f MB\n' \
    "$1" "$items" "$secs" "$(awk -v n="$items" -v s="$secs" 'BEGIN { print n / s }')" \
    "$wall" "$(awk -v n="$items" -v s="$wall" 'BEGIN { print n / s }')" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
}

mkdir -p "$work/seed"
awk -v n="$items" 'BEGIN {
  pad = sprintf("%0120d", 0); gsub(/0/, "x", pad)
  for (i = 0; i < n; i++)
    printf "{\"id\":{\"s\":\"item-%07d\"},\"n\":{\"n\":\"%d\"},\"payload\":{\"s\":\"%s\"},\"tags\":{\"sS\":[\"a\",\"t%d\"]}}\n", i, i, pad, i % 10
}' >"$work/seed/part-00000"
echo "$(nproc) cores; dynalite $(node --version) and versitygw on loopback"
measure "DynamoDbImport" DynamoDbImport "file://$work/seed"
measure "DynamoDbExport" DynamoDbExport "s3://$bucket/export"
