#!/bin/bash
# Install what building and testing ndview needs on Debian 12 (run as root).
#   tools/setup.sh            compiler, Meson, Ninja, Check, DLPack header, CPython (the
#                             oracle, with its headers for the bridge, its own test suite),
#                             NumPy, pytest, hypothesis, mypy, meson-python, venv and pip
#   tools/setup.sh --cross    also the AArch64 and s390x cross toolchains, qemu-user, check:arm64/s390x
#   tools/setup.sh --bench    also Google Benchmark, OpenBLAS, libxsmm, NumPy, matplotlib
#   tools/setup.sh --fuzz     also clang and its runtimes (libFuzzer, sanitizers)
# Idempotent: packages already present are left as they are.
set -euo pipefail
packages=(gcc libc6-dev binutils meson ninja-build pkg-config check python3 python3-dev doxygen
          python3-numpy libdlpack-dev libpython3.11-testsuite python3-pytest python3-hypothesis
          mypy python3-mesonpy python3-venv python3-pip)
for arg in "$@"; do
  case $arg in
    --cross) packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user check:arm64
                        libsubunit-dev:arm64 gcc-s390x-linux-gnu libc6-dev-s390x-cross
                        check:s390x libsubunit-dev:s390x) ;;
    --bench) packages+=(g++ libbenchmark-dev libopenblas-dev libxsmm-dev python3-numpy
                        python3-matplotlib) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "usage: $0 [--cross] [--bench] [--fuzz]" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  for arch in arm64 s390x; do
    if printf '%s\n' "${missing[@]}" | grep -q ":$arch\$"; then
      dpkg --add-architecture "$arch"
    fi
  done
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
