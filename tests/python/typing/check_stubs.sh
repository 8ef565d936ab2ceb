#!/bin/sh
# mypy --strict accepts a sample client against python/ndview-stubs and
# reports each misuse in bad_client.py (one error per line after the view).
# TAP output: two lines.
# Usage: check_stubs.sh PYTHON (the interpreter the module was built for).
set -u
py=${1:-python3}
here=$(dirname "$0")
stubs=$(mktemp -d)
trap 'rm -rf "$stubs"' EXIT
cp "$here/../../../python/ndview-stubs/__init__.pyi" "$stubs/ndview.pyi"
echo "1..3"
if out=$(MYPYPATH=$stubs mypy --strict --no-incremental --cache-dir=/dev/null "$here/client.py" 2>&1); then
  echo "ok 1 - mypy --strict accepts the sample client"
else
  echo "not ok 1 - mypy --strict rejects the sample client"; echo "$out" | sed 's/^/# /'
fi
out=$(MYPYPATH=$stubs mypy --strict --no-incremental --cache-dir=/dev/null "$here/bad_client.py" 2>&1)
errors=$(echo "$out" | grep -c ': error:')
if [ "$errors" -eq 4 ]; then
  echo "ok 2 - mypy --strict reports the 4 misuses in bad_client.py"
else
  echo "not ok 2 - mypy --strict reported $errors errors in bad_client.py, want 4"; echo "$out" | sed 's/^/# /'
fi
# The client runs against the built module: the stubs describe what is there.
if out=$(cd "$here" && "$py" -c '
import array, struct, client
assert client.column_sum(struct.pack("4d", 1, 2, 3, 4), 2, 2) == 4.0
f = client.halves(array.array("i", [1, 2, 3, 4]))
assert f.format == "e" and f.tolist() == [1.0, 2.0, 3.0, 4.0]
assert client.device(f) > 1
' 2>&1); then
  echo "ok 3 - the sample client runs against the module"
else
  echo "not ok 3 - the sample client fails against the module"; echo "$out" | sed 's/^/# /'
fi
