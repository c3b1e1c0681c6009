#!/usr/bin/env python3
"""The report of `jifen rules check --defaults` pasted in docs/rules.md ("Rules check") is the
one the binary prints today: a change of the report, the warnings or the default rules must
update the document too.

usage: rules_check.py JIFEN RULES_MD"""
import subprocess
import sys


def main():
    jifen, doc = sys.argv[1], sys.argv[2]
    out = subprocess.run([jifen, "rules", "check", "--defaults"], capture_output=True, text=True,
                         check=True).stdout
    text = open(doc, encoding="utf-8").read()
    head = "The report for the default rules (`jifen rules check --defaults`):\n\n```\n"
    at = text.find(head)
    if at < 0:
        print("FAIL docs rules check: %s has no report for the default rules" % doc)
        return 1
    start = at + len(head)
    pasted = text[start:text.index("```", start)]
    if pasted != out:
        got, want = pasted.splitlines(), out.splitlines()
        for i, (a, b) in enumerate(zip(got, want)):
            if a != b:
                print("FAIL docs rules check: line %d differs:\n  doc:    %s\n  binary: %s" %
                      (i + 1, a, b))
                return 1
        print("FAIL docs rules check: %d lines in the document, %d printed" %
              (len(got), len(want)))
        return 1
    print("docs rules check: the report in %s is the binary's (%d lines)" %
          (doc, len(out.splitlines())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
