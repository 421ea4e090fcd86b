"""Reads checkov's JSON report (stdin) for deploy/aws/*.yaml: fails on any
failed check or parsing error, and on an inline suppression that no check
used (a stale `checkov: skip:` hides nothing and misleads). Prints the
summary and every suppression with its reason."""

from __future__ import annotations

import json
import sys

import cfn


def main() -> int:
    report = json.load(sys.stdin)
    reports = report if isinstance(report, list) else [report]
    failed, skipped, parsing_errors, passed = [], set(), [], 0
    for r in reports:
        if r.get("check_type") not in (None, "cloudformation"):
            continue
        summary = r["summary"]
        passed += summary["passed"]
        parsing_errors += r["results"].get("parsing_errors", []) or ([] if not summary["parsing_errors"] else ["?"])
        failed += [f"{c['check_id']} {c['resource']} ({c['file_path']}:{c['file_line_range']}) {c['check_name']}"
                   for c in r["results"]["failed_checks"]]
        skipped |= {(c["check_id"], c["resource"].split(".", 1)[1]) for c in r["results"]["skipped_checks"]}

    declared = {}
    for name in cfn.TEMPLATES:
        for logical_id, resource in cfn.load(name)["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                declared[(skip["id"], logical_id)] = skip.get("comment", "")
    stale = sorted(set(declared) - skipped)

    print(f"checkov: {passed} passed, {len(failed)} failed, {len(skipped)} suppressed inline, {len(parsing_errors)} parsing errors")
    for (check, resource), reason in sorted(declared.items()):
        print(f"  suppressed {check} on {resource}: {reason}")
    for line in failed:
        print(f"FAILED {line}")
    for check, resource in stale:
        print(f"STALE suppression {check} on {resource}: no such check ran there")
    if parsing_errors:
        print(f"PARSING ERRORS {parsing_errors}")
    return 1 if failed or stale or parsing_errors else 0


if __name__ == "__main__":
    sys.exit(main())
