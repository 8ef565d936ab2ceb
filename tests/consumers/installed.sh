#!/bin/sh
# Install the build into a scratch root, then build examples/hello.c the way
# a user would: once through pkg-config against the shared library, once
# against the static archive. Both must link and run.
# usage: installed.sh BUILD_DIR HELLO_C
set -eu
build=$1
hello=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --no-rebuild --destdir "$stage" --quiet >/dev/null
pcfile=$(find "$stage" -name ndview.pc | head -n 1)
[ -n "$pcfile" ] || { echo "ndview.pc was not installed"; exit 1; }
export PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_LIBDIR="$(dirname "$pcfile")"
libdir=$(dirname "$(dirname "$pcfile")")
cc=${CC:-cc}

$cc -std=c11 -Wall -Werror -o "$stage/hello" "$hello" $(pkg-config --cflags --libs ndview)
LD_LIBRARY_PATH="$libdir" "$stage/hello" | sed "s/^/# /"
echo "ok 1 - shared library through pkg-config"

if [ -f "$libdir/libndview.a" ]; then
  $cc -std=c11 -Wall -Werror -o "$stage/hello-static" "$hello" $(pkg-config --cflags ndview) \
    "$libdir/libndview.a"
  "$stage/hello-static" | sed "s/^/# /"
  echo "ok 2 - static archive"
fi

# Only the public ndv_ names leave the shared library.
if [ -f "$libdir/libndview.so" ]; then
  others=$(nm -D --defined-only "$libdir/libndview.so" | awk '{print $3}' | grep -v '^ndv_' || true)
  if [ -n "$others" ]; then
    echo "not ok 3 - exported symbols outside ndv_: $others"
    exit 1
  fi
  echo "ok 3 - only ndv_ symbols exported"
fi
