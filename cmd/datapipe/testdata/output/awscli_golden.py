"""Regenerates the golden files of cmd/datapipe's output formatter tests
with the aws CLI's own formatters (pip package awscli; 1.45.11 was used).

    cd cmd/datapipe/testdata/output && python3 awscli_golden.py

For each case of cases.json it writes NAME.json, NAME.text and NAME.table:
what `aws … --output FORMAT` prints for that response (colour off, a
terminal 80 columns wide). Where the aws CLI fails on a case (its table
formatter rejects lists of differently sized lists, its text formatter
lists mixing strings and objects), no file is written for that format and
the test only checks that datapipe's formatter copes. TestWriteResult
compares datapipe's formatters with them.
"""
import io
import json
import os
from argparse import Namespace

from awscli.formatter import get_formatter
from awscli.table import MultiTable, Styler

for case in json.load(open("cases.json")):
    for fmt in ("json", "text", "table"):
        out = io.StringIO()
        formatter = get_formatter(fmt, Namespace(query=None, color="off"))
        if fmt == "table":
            formatter.table = MultiTable(initial_section=False, column_separator="|", styler=Styler())
            formatter.table._terminal_width = 80
        name = "%s.%s" % (case["name"], fmt)
        try:
            formatter(case["title"], case["value"], out)
        except Exception as e:
            print("%s: the aws CLI fails: %r" % (name, e))
            if os.path.exists(name):
                os.remove(name)
            continue
        with open(name, "w") as f:
            f.write(out.getvalue())
