#!/usr/bin/env python3
"""Print 'N passed, N failed' for a meson test run.

usage: summarize-tests.py BUILD_DIR [BUILD_DIR ...]
A TAP test counts each of its 'ok' / 'not ok' lines; any other test counts
once, by its result. A TAP test that crashed or timed out counts as one more
failure, so a run that dies half-way can never look green.
"""
import json
import re
import sys

passed = failed = 0
for build in sys.argv[1:]:
    with open(build + "/meson-logs/testlog.json") as f:
        for line in f:
            t = json.loads(line)
            ok_lines = len(re.findall(r"^ok \d+", t["stdout"], re.M))
            bad_lines = len(re.findall(r"^not ok \d+", t["stdout"], re.M))
            if ok_lines or bad_lines:
                passed += ok_lines
                failed += bad_lines
                if t["result"] not in ("OK", "EXPECTEDFAIL") and bad_lines == 0:
                    failed += 1
            elif t["result"] in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif t["result"] != "SKIP":
                failed += 1
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
