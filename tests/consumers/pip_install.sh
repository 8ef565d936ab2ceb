#!/bin/sh
# pip install --no-build-isolation . the way the README says, into a fresh
# virtual environment (--system-site-packages: meson-python, NumPy and mypy
# are Debian's; PyPI is not reachable), from a copy of the source tree; then
# use the module from outside the tree, and type-check a client against the
# installed stubs. usage: pip_install.sh SOURCE_DIR PYTHON
set -eu
src=$1
py=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "1..3"
tar -C "$src" --exclude='./build*' --exclude='./.git' -cf - . | (mkdir "$work/src" && tar -C "$work/src" -xf -)
"$py" -m venv --system-site-packages "$work/venv"
if ! "$work/venv/bin/pip" install --no-build-isolation --no-index "$work/src" >"$work/log" 2>&1; then
  sed 's/^/# /' "$work/log" | tail -n 40
  echo "not ok 1 - pip install --no-build-isolation ."
  exit 1
fi
echo "ok 1 - pip install --no-build-isolation . into a fresh virtual environment"
cd "$work"
"$work/venv/bin/python" - <<'PY'
import numpy as np, ndview, os, sys
assert ndview.__file__.startswith(sys.prefix), ndview.__file__  # the installed module
a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
v = ndview.View(a)
assert v[1, :, ::2].tolist() == a[1, :, ::2].tolist()
assert (np.from_dlpack(v) == a).all()
assert ndview.View.from_dlpack(a).tobytes() == a.tobytes()
assert v.astype('e').tolist() == a.astype(np.float16).tolist()
print('# ndview', ndview.version, 'at', os.path.dirname(ndview.__file__), 'level', ndview.isa())
PY
echo "ok 2 - the installed module works from outside the source tree"
cp "$src/tests/python/typing/client.py" "$work/client.py"
if "$work/venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null client.py \
     >"$work/log" 2>&1; then
  echo "ok 3 - mypy --strict finds the installed stubs (ndview-stubs) and accepts a client"
else
  sed 's/^/# /' "$work/log"
  echo "not ok 3 - mypy --strict with the installed stubs"
fi
