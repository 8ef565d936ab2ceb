#!/bin/sh
# The oracle for the differential tests: the newest pyenv CPython >= 3.12 when
# there is one (memoryview learned 'e' in 3.12), else python3 from PATH.
for v in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]* 2>/dev/null | sort -V -r); do
  if [ -x "$v/bin/python3" ]; then echo "$v/bin/python3"; exit 0; fi
done
command -v python3
