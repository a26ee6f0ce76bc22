"""A minimal AWS JSON 1.1 Data Pipeline fake for regenerating the golden
files with the real aws CLI (see awscli_golden.sh). It serves the canned
responses in fake/ exactly as the Go fake in client_test.go does, and
appends each request ({"op", "body"}) to the file named by $FAKE_LOG.

    python3 fake_server.py PORT
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    with open(os.path.join(HERE, "fake", name)) as f:
        return json.load(f)


def reply(op, req):
    if req.get("pipelineId") == "df-missing" or "df-missing" in req.get("pipelineIds", []):
        return 400, {"__type": "PipelineNotFoundException", "message": "Pipeline df-missing does not exist."}
    if op == "ListPipelines":
        pipes = load("pipelines.json")
        if not req.get("marker"):
            return 200, {"pipelineIdList": pipes[:2], "marker": "page2", "hasMoreResults": True}
        return 200, {"pipelineIdList": pipes[2:], "hasMoreResults": False}
    if op == "QueryObjects":
        ids = [o["id"] for o in load("instances.json")]
        start, limit = int(req.get("marker") or "0"), req.get("limit", 2)
        out = {"ids": ids[start:start + limit], "hasMoreResults": start + limit < len(ids)}
        if start + limit < len(ids):
            out["marker"] = str(start + limit)
        return 200, out
    if op == "DescribeObjects":
        byid = {o["id"]: o for o in load("instances.json")}
        objs = [byid.get(i, {"id": i, "name": i, "fields": []}) for i in req["objectIds"]]
        return 200, {"pipelineObjects": objs, "hasMoreResults": False}
    if os.path.exists(os.path.join(HERE, "fake", op + ".json")):
        return 200, load(op + ".json")
    return 200, {}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(n) or b"{}")
        op = self.headers.get("X-Amz-Target", "").split(".", 1)[-1]
        with open(os.environ["FAKE_LOG"], "a") as log:
            log.write(json.dumps({"op": op, "body": body}) + "\n")
        status, out = reply(op, body)
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
