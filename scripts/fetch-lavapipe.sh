#!/usr/bin/env bash
# Optional second software adapter for tests: Mesa 25 lavapipe (Vulkan on the CPU) from Debian
# bookworm-backports, unpacked into .cache/lavapipe (nothing installed system-wide). Dawn then sees
# a core-feature adapter with timestamp-query, which llvmpipe's OpenGL ES path lacks. Prints the
# environment to export:  eval "$(scripts/fetch-lavapipe.sh)" && pnpm vitest run tests/parity
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$PWD/.cache/lavapipe"
if [ ! -f "$dest/icd.json" ]; then
  tmp=$(mktemp -d)
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$tmp/backports.sources"
  apt_opts=(-o Dir::Etc::SourceParts="$tmp" -o Dir::Etc::SourceList=/dev/null -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache" -qq)
  mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
  apt-get "${apt_opts[@]}" update >&2
  (cd "$tmp" && apt-get "${apt_opts[@]}" download mesa-vulkan-drivers/bookworm-backports >&2 && apt-get -qq download libvulkan1 >&2)
  mkdir -p "$dest"
  for f in "$tmp"/*.deb; do dpkg-deb -x "$f" "$dest/root"; done
  lib="$dest/root/usr/lib/x86_64-linux-gnu"
  sed "s#\"library_path\": \"[^\"]*\"#\"library_path\": \"$lib/libvulkan_lvp.so\"#" "$dest/root/usr/share/vulkan/icd.d/lvp_icd.json" >"$dest/icd.json"
  rm -rf "$tmp"
fi
echo "export VK_ICD_FILENAMES=$dest/icd.json LD_LIBRARY_PATH=$dest/root/usr/lib/x86_64-linux-gnu"
