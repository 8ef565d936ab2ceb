#!/bin/bash
# The main job: set up (Debian packages), build optimised, run the benchmark
# suite with its peers and print the summary table (quick mode, about ten
# minutes). Pass --full for longer runs; --write-docs also rewrites
# docs/benchmarks.md and its charts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --bench
if [[ -d build-release ]]; then
  meson setup --reconfigure build-release --buildtype=release -Dbenchmarks=enabled -Dtests=disabled >/dev/null
else
  meson setup build-release --buildtype=release -Dbenchmarks=enabled -Dtests=disabled >/dev/null
fi
ninja -C build-release >/dev/null
/usr/bin/python3 bench/report.py build-release "$@"
