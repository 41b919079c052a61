#!/usr/bin/env bash
# Fetches the sample media Vigil's demo and tests use: Debian's opencv-doc package ships them
# (vtest.avi: pedestrians, 768x576, 10 fps, 795 frames). Extracts only the named files.
# usage: fetch-media.sh CACHE_DIR [FILE ...]   (default file: vtest.avi)
set -euo pipefail
dest=${1:?usage: fetch-media.sh CACHE_DIR [FILE ...]}
shift || true
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(vtest.avi)
mkdir -p "$dest"
missing=()
for f in "${files[@]}"; do [ -s "$dest/$f" ] || missing+=("$f"); done
[ ${#missing[@]} -eq 0 ] && { echo "media present in $dest"; exit 0; }
command -v apt-get >/dev/null || { echo "apt-get not found: cannot fetch opencv-doc; pass --source FILE" >&2; exit 3; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download opencv-doc >/dev/null 2>"$work/err"; then
  # A fresh machine has no package lists yet; updating needs root.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
  apt-get download opencv-doc >/dev/null 2>"$work/err" || { echo "apt-get download opencv-doc failed: $(tail -1 "$work/err")" >&2; exit 4; }
fi
deb=$(ls opencv-doc_*.deb | head -1)
paths=()
for f in "${missing[@]}"; do paths+=("./usr/share/doc/opencv-doc/examples/data/$f"); done
dpkg-deb --fsys-tarfile "$deb" | tar -x "${paths[@]}"
for f in "${missing[@]}"; do
  mv "./usr/share/doc/opencv-doc/examples/data/$f" "$dest/$f.part" && mv "$dest/$f.part" "$dest/$f"
done
echo "fetched ${missing[*]} into $dest"
