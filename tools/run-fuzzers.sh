#!/bin/bash
# Build the libFuzzer targets (clang, ASan + UBSan) and fuzz each for a while.
#   tools/run-fuzzers.sh [SECONDS_PER_TARGET]      (default 60)
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>) in a
# scratch copy; any finding stops the run with its reproducer saved under
# build-fuzz/findings/. Prints "N passed, N failed" (one per target).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
bash tools/setup.sh --fuzz || exit 1
if [[ -d build-fuzz ]]; then
  CC=clang meson setup --reconfigure build-fuzz -Dpython=disabled >/dev/null || exit 1
else
  CC=clang meson setup build-fuzz -Dfuzzers=enabled -Dtests=disabled -Dbenchmarks=disabled -Dpython=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fno-sanitize-recover=all \
    >/dev/null || exit 1
fi
ninja -C build-fuzz >/dev/null || { ninja -C build-fuzz; exit 1; }
mkdir -p build-fuzz/findings
passed=0 failed=0
for t in format view lifetime reentrant; do
  work=$(mktemp -d)
  cp tests/fuzz/corpus/$t/* "$work/"
  log=build-fuzz/findings/$t.log
  dict=()
  [[ -f tests/fuzz/$t.dict ]] && dict=(-dict="$PWD/tests/fuzz/$t.dict")
  if (cd build-fuzz/findings && ../tests/fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 \
        "${dict[@]}" -print_final_stats=1 -artifact_prefix="$t-" "$work" >"../../$log" 2>&1); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "fuzz_$t: finding; see $log" >&2
    tail -n 30 "$log" >&2
  fi
  echo "fuzz_$t: $(grep -o 'number_of_executed_units: [0-9]*' "$log" | head -n 1)" >&2
  rm -rf "$work"
done
echo "$passed passed, $failed failed"
((failed == 0))
