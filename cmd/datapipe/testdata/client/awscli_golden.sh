#!/bin/bash
# Regenerates the golden files of the client end-to-end tests with the real
# aws CLI (pip package awscli; 1.45.11 was used) against fake_server.py:
# for each case of cases.json, golden/NAME.out is what `aws datapipeline
# ARGS` printed and golden/NAME.requests the requests it sent, one JSON
# object a line. TestMain_ClientGolden runs the same cases through datapipe.
#
#   cd cmd/datapipe && bash testdata/client/awscli_golden.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
port=18765
export FAKE_LOG=$(mktemp)
python3 testdata/client/fake_server.py $port & server=$!
trap 'kill $server; rm -f "$FAKE_LOG"' EXIT
sleep 1
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example AWS_DEFAULT_REGION=us-east-1 \
  AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
mkdir -p testdata/client/golden
python3 - "$port" <<'PY'
import json, os, subprocess, sys
port = sys.argv[1]
for case in json.load(open("testdata/client/cases.json")):
    open(os.environ["FAKE_LOG"], "w").close()
    cmd = ["aws", "--endpoint-url", "http://127.0.0.1:" + port, "datapipeline"] + case["args"]
    p = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if p.returncode != 0:
        sys.exit("%s: aws exited %d: %s" % (case["name"], p.returncode, p.stderr))
    base = "testdata/client/golden/" + case["name"]
    with open(base + ".out", "w") as f:
        f.write(p.stdout)
    with open(os.environ["FAKE_LOG"]) as log, open(base + ".requests", "w") as f:
        f.write(log.read())
PY
