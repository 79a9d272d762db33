#!/usr/bin/env bash
# Debian packages the tests need (CJK fonts to build PDF fixtures), from .ci/apt-packages.txt.
set -u
list="$(dirname "$0")/../.ci/apt-packages.txt"
[ -f "$list" ] || exit 0
missing=()
while read -r pkg; do
  [ -z "$pkg" ] || [ "${pkg#\#}" != "$pkg" ] && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < "$list"
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "missing Debian packages (tests that need them will skip): sudo apt-get install ${missing[*]}" >&2
fi
exit 0
