#!/bin/bash
# Set up, build with warnings as errors, and run every test suite: the Check
# suites, the differential tests against CPython and the installed-library
# consumers; the Check suites and the differential tests again under
# ASan + UBSan; the Check suites of an AArch64 (NEON) and an s390x
# (big-endian, portable) cross build under qemu-user; the threading tests
# under ThreadSanitizer; the fuzz corpora, then
# each fuzz target for NDV_FUZZ_SECONDS (default 60). Every kernel runs at
# every instruction-set level the machine has.
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --cross --fuzz || exit 1

build() { # dir, extra meson options...
  local dir=$1; shift
  if [[ -d $dir ]]; then meson setup --reconfigure "$dir" "$@" >/dev/null
  else meson setup "$dir" "$@" >/dev/null; fi || return 1
  ninja -C "$dir" >/dev/null || { ninja -C "$dir"; return 1; }
}

status=0
build build -Dwerror=true -Dtests=enabled -Dbenchmarks=disabled || status=1
build build-sanitize -Dwerror=true -Dtests=enabled -Dbenchmarks=disabled -Db_sanitize=address,undefined \
  -Db_lundef=false -Dc_args=-fno-sanitize-recover=all || status=1
build build-aarch64 --cross-file cross/aarch64-linux-gnu.ini -Dwerror=true -Dtests=enabled \
  -Dbenchmarks=disabled || status=1
build build-s390x --cross-file cross/s390x-linux-gnu.ini -Dwerror=true -Dtests=enabled \
  -Dbenchmarks=disabled || status=1
build build-tsan -Dwerror=true -Dtests=enabled -Dbenchmarks=disabled -Db_sanitize=thread \
  -Db_lundef=false || status=1
((status)) && { echo "0 passed, 1 failed"; exit 1; }

meson test -C build --print-errorlogs
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  meson test -C build-sanitize --suite check --suite differential --suite tools --suite python \
  --print-errorlogs
# Check's fork mode hangs under qemu-user.
CK_FORK=no meson test -C build-aarch64 --suite check --print-errorlogs
CK_FORK=no meson test -C build-s390x --suite check --print-errorlogs
# ThreadSanitizer: first use of the dispatch from many threads, shared registrations.
TSAN_OPTIONS=halt_on_error=1 meson test -C build-tsan threads lifetime --print-errorlogs

# The outside suites' counts (CPython's test_buffer.py / test_memoryview.py, NumPy's
# buffer tests with memoryview -> ndview.View; docs/python.md), plain and ASan builds.
for b in build build-sanitize; do
  grep -h "with memoryview -> ndview.View" "$b/meson-logs/testlog.txt" 2>/dev/null |
    sed "s/^# /$b: /"
done

# Fuzzing (builds build-fuzz with clang), then the corpora as regression tests.
fuzz=$(bash tools/run-fuzzers.sh "${NDV_FUZZ_SECONDS:-60}" | tail -n 1)
meson test -C build-fuzz --suite fuzz --print-errorlogs
total=$(python3 tools/summarize-tests.py build build-sanitize build-aarch64 build-s390x build-tsan \
  build-fuzz)
counts() { # "N passed, M failed" -> "N M"; anything else counts as one failure
  if [[ $1 =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  else
    echo "0 1"
  fi
}
read -r p f <<<"$(counts "$total")"
read -r fp ff <<<"$(counts "$fuzz")"
echo "$((p + fp)) passed, $((f + ff)) failed"
((f + ff == 0))
