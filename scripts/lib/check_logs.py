"""Checks docs/operations.md's table of JSON log fields against a real log
(SOUNDSTREAM_LOG_FORMAT=json) written by scripts/check-deploy's API run:
every field in the log is documented, the four fields documented for every
line are on every line, and the access line of the request sent with
`X-Request-Id: check-deploy-1` carries what the table promises.

  check_logs.py DOC LOG
"""

import json
import re
import sys


def flatten(record, prefix=""):
    for key, value in record.items():
        name = f"{prefix}{key}"
        yield name
        if isinstance(value, dict):
            yield from flatten(value, f"{name}.")


def main(doc_path, log_path):
    doc = open(doc_path).read()
    section = doc[doc.index("### Fields"):doc.index("### Shipping them")]
    documented, everywhere = set(), set()
    for row in section.splitlines():
        if not row.startswith("| `"):
            continue
        cells = [c.strip() for c in row.strip("|").split("|")]
        names = re.findall(r"`([a-z_.]+)`", cells[0])
        documented.update(names)
        if cells[2] == "every line":
            everywhere.update(names)
    lines = [json.loads(l) for l in open(log_path) if l.startswith("{")]
    failures = []
    if not lines:
        failures.append("the log has no JSON line")
    for record in lines:
        fields = set(flatten(record))
        failures += [f"undocumented field '{f}' in: {json.dumps(record)}" for f in sorted(fields - documented)]
        failures += [f"'{f}' missing from: {json.dumps(record)}" for f in sorted(everywhere - fields)]
    access = [r for r in lines if r.get("span", {}).get("request_id") == "check-deploy-1" and r["message"] == "request finished"]
    if len(access) != 1:
        failures.append(f"expected one access line for request check-deploy-1, found {len(access)}")
    else:
        line = access[0]
        expected = {"method": "GET", "route": "/api/v1/me", "path": "/api/v1/me", "status": 401, "level": "INFO",
                    "target": "soundstream_api::telemetry"}
        failures += [f"access line: {k} is {line.get(k)!r}, not {v!r}" for k, v in expected.items() if line.get(k) != v]
        if not isinstance(line.get("latency_ms"), (int, float)):
            failures.append("access line: latency_ms is not a number")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", line.get("timestamp", "")):
            failures.append(f"access line: timestamp {line.get('timestamp')!r} is not RFC 3339 UTC")
    for failure in failures:
        print(f"  FAIL {failure}")
    if failures:
        sys.exit(1)
    print(f"  ok   {len(lines)} JSON log lines: every field documented in {doc_path} "
          f"({len(documented)} documented), the access line as described")


if __name__ == "__main__":
    main(*sys.argv[1:])
