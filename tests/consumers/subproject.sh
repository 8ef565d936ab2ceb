#!/bin/sh
# A parent Meson project that pulls ndview in as a subproject and finds it
# with dependency('ndview') (resolved by meson.override_dependency).
#  1. With default options: the subproject's tests are off, ndview is linked
#     static (the parent's program needs no libndview at run time), and
#     `meson install` of the parent installs nothing of ndview's.
#  2. A parent that asks (install=enabled, default_library=shared) gets a
#     shared, installed ndview: library, header and pkg-config file.
# usage: subproject.sh SOURCE_ROOT
set -eu
src=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

parent() { # dir, dependency options
  mkdir -p "$1/subprojects"
  ln -s "$src" "$1/subprojects/ndview"
  cp "$src/examples/hello.c" "$1/hello.c"
  cat > "$1/meson.build" <<MESON
project('parent', 'c', default_options: ['c_std=c11', 'warning_level=3', 'werror=true'])
ndview = dependency('ndview', fallback: ['ndview', 'ndview_dep'], default_options: [$2])
executable('hello', 'hello.c', dependencies: ndview, install: true)
MESON
  meson setup "$1/build" "$1" > "$1/setup.log" 2>&1 || { cat "$1/setup.log"; exit 1; }
  ninja -C "$1/build" > "$1/ninja.log" 2>&1 || { cat "$1/ninja.log"; exit 1; }
  meson install -C "$1/build" --destdir "$1/stage" --quiet > "$1/install.log" 2>&1 ||
    { cat "$1/install.log"; exit 1; }
}

echo "1..2"
parent "$work/plain" ""
if ! grep -q "tests *: *NO" "$work/plain/setup.log"; then
  echo "not ok 1 - the subproject's tests are not off by default"; exit 1
fi
"$work/plain/build/hello" | sed 's/^/# /'
if ldd "$work/plain/build/hello" | grep -q ndview; then
  echo "not ok 1 - hello needs a shared libndview at run time"; exit 1
fi
extra=$(cd "$work/plain/stage" && find . -type f ! -name hello)
if [ -n "$extra" ]; then
  echo "$extra" | sed 's/^/# installed: /'
  echo "not ok 1 - the parent's install carries files of ndview's"; exit 1
fi
if [ -e "$work/plain/build/subprojects/ndview/programs/ndview-info" ]; then
  echo "not ok 1 - the subproject built its programs"; exit 1
fi
echo "ok 1 - dependency('ndview') as a subproject: static, tests off, installs nothing"

parent "$work/asked" "'install=enabled', 'default_library=shared'"
for f in ndview.h ndview.pc; do
  [ -n "$(find "$work/asked/stage" -name "$f")" ] || { echo "not ok 2 - $f not installed"; exit 1; }
done
[ -n "$(find "$work/asked/stage" -name 'libndview.so*')" ] ||
  { echo "not ok 2 - no shared libndview installed"; exit 1; }
ldd "$work/asked/build/hello" | grep -q libndview ||
  { echo "not ok 2 - hello does not use the shared libndview"; exit 1; }
echo "ok 2 - a parent that asks gets a shared, installed ndview"
