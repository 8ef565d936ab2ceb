#!/bin/bash
# Install what building and testing ndview needs on Debian 12 (run as root).
# Idempotent: packages already present are left as they are.
set -euo pipefail
packages=(gcc libc6-dev binutils meson ninja-build pkg-config check python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
