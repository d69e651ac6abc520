#!/bin/sh
# Puts httpx (Debian's python3-httpx and what it imports) under $1, for the agent-task document's
# Python example; PyPI is not reachable from these machines, Debian's archive is.
set -e
dir="$1"
mkdir -p "$dir/debs"
cd "$dir/debs"
for p in python3-httpx python3-httpcore python3-h11 python3-anyio python3-sniffio \
         python3-certifi python3-idna python3-rfc3986; do
  apt-get download "$p" >/dev/null 2>&1
done
for d in *.deb; do dpkg-deb -x "$d" "$dir/root"; done
