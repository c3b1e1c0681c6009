#!/usr/bin/env python3
"""The simulation shown in docs/rules.md ("What the programs do to the liabilities") is the one
the binary runs today: `jifen simulate` with the arguments of scripts/sim_docs.py writes exactly
the charts and the summary committed in docs/sim/. A change of the simulator, the settlement or
the default rules must regenerate them (python3 scripts/sim_docs.py).

usage: sim_charts.py JIFEN DOCS_SIM_DIR"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from sim_docs import DOCS_RUN, KEEP  # noqa: E402


def main():
    jifen, docs = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([jifen, "simulate", *DOCS_RUN, "--out", tmp], check=True,
                       capture_output=True)
        for name in KEEP:
            with open(os.path.join(tmp, name), "rb") as f:
                made = f.read()
            with open(os.path.join(docs, name), "rb") as f:
                kept = f.read()
            if made != kept:
                print("FAIL docs sim charts: docs/sim/%s is not what `jifen simulate %s` writes "
                      "now; run python3 scripts/sim_docs.py" % (name, " ".join(DOCS_RUN)))
                return 1
    print("docs sim charts: docs/sim/ is the binary's (%d files)" % len(KEEP))
    return 0


if __name__ == "__main__":
    sys.exit(main())
