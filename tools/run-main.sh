#!/bin/bash
# Set up, build optimised, and run ndview's main job: the tour of formats,
# views and export locking. (The benchmark suite takes this place once it
# exists.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
if [[ -d build-release ]]; then meson setup --reconfigure build-release --buildtype=release >/dev/null
else meson setup build-release --buildtype=release >/dev/null; fi
ninja -C build-release >/dev/null
./build-release/tour
