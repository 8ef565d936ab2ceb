#!/bin/sh
# A parent Meson project that pulls ndview in as a subproject and finds it
# with dependency('ndview') (resolved by meson.override_dependency). The
# subproject's tests must stay off by default.
# usage: subproject.sh SOURCE_ROOT
set -eu
src=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/subprojects"
ln -s "$src" "$work/subprojects/ndview"
cp "$src/examples/hello.c" "$work/hello.c"
cat > "$work/meson.build" <<'MESON'
project('parent', 'c', default_options: ['c_std=c11', 'warning_level=3', 'werror=true'])
ndview = dependency('ndview', fallback: ['ndview', 'ndview_dep'])
executable('hello', 'hello.c', dependencies: ndview)
MESON
meson setup "$work/build" "$work" > "$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
if ! grep -q "tests *: *NO" "$work/setup.log"; then
  echo "not ok 1 - the subproject's tests are not off by default"; exit 1
fi
ninja -C "$work/build" > "$work/ninja.log" 2>&1 || { cat "$work/ninja.log"; exit 1; }
"$work/build/hello" | sed 's/^/# /'
echo "ok 1 - dependency('ndview') as a subproject, tests off"
