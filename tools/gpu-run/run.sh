#!/usr/bin/env bash
# The GPU run: the project's tfjs figures on webgpu (Dawn on Vulkan) and on wasm, and PyTorch's
# on CUDA, on one machine with no Node.js, no node_modules and no network. Built by
# tools/gpu-run/build.sh; see docs/gpu.md, "The GPU run".
#
#   bash .gpu/run.sh            on the GPU machine, as root (it unpacks the Vulkan loader into /
#                               where the machine lacks it); with $OUT set, writes there
#                               gpu-log.txt (everything), gpu-summary.txt and gpu-results.jsonl
#   bash .gpu/run.sh --local    a smoke test without a GPU: tiny sizes, webgpu forced onto
#                               whatever adapter Dawn finds, the .debs unpacked into scratch only
#
# Every part runs under its own timeout within one budget (RUN_BUDGET seconds, default 280); a
# part that fails or times out never stops the others.
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCAL=0
for arg in "$@"; do
  case "$arg" in
    --local) LOCAL=1 ;;
    *) echo "run.sh: unknown option $arg (expected --local)" >&2; exit 2 ;;
  esac
done
BUDGET="${RUN_BUDGET:-280}"
[ "$LOCAL" = 1 ] && BUDGET="${RUN_BUDGET:-600}"
START=$SECONDS
RESERVE=0 # seconds of the budget kept for the parts after the current one
W="$(mktemp -d "${TMPDIR:-/tmp}/optnn-gpu.XXXXXX")"
RES="$W/results"
mkdir -p "$RES"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"
  LOG="$OUT/gpu-log.txt" SUMMARY="$OUT/gpu-summary.txt" JSONL="$OUT/gpu-results.jsonl"
else
  LOG="$W.log" SUMMARY="$W.summary.txt" JSONL="$W.results.jsonl"
fi
PY="$(command -v python3 || command -v python || true)"
elapsed() { echo $((SECONDS - START)); }

# part NAME LIMIT COMMAND...: COMMAND under timeout (LIMIT, or what is left of the budget), its
# output shown and kept in $RES/NAME.out, its exit status recorded in $RES/status.
part() {
  local name="$1" limit="$2"; shift 2
  local left=$((BUDGET - RESERVE - $(elapsed))) t
  t="$limit"; [ "$left" -lt "$t" ] && t="$left"
  echo
  if [ "$t" -lt 5 ]; then
    echo "== $name: skipped, the budget ($BUDGET s, $RESERVE s of it kept for what follows) is spent"
    echo "$name skipped 0" >>"$RES/status"
    return 0
  fi
  echo "== $name (timeout $t s, at +$(elapsed) s): $*"
  local t0=$SECONDS
  timeout -k 5 "$t" "$@" 2>&1 | tee "$RES/$name.out"
  local rc=${PIPESTATUS[0]}
  echo "-- $name: exit $rc after $((SECONDS - t0)) s"
  echo "$name $rc $((SECONDS - t0))" >>"$RES/status"
}
unxz_to() { # SRC DEST, with xz or Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"
  else "$PY" -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"), 1 << 20)' "$1" "$2"; fi
}
untarxz_to() { # SRC DIR
  if command -v xz >/dev/null 2>&1; then tar -xJf "$1" -C "$2"
  else "$PY" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; fi
}
diag() {
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1
  else echo "nvidia-smi: not found"; fi
  env | grep -E '^(NVIDIA_|CUDA_VISIBLE|LD_LIBRARY_PATH|VK_|XDG_RUNTIME)' | sort
  ls -la /dev/nvidia* /dev/dri 2>&1 | head -20
  echo "Vulkan ICD file: ${VK_DRIVER_FILES:-none set, the default search of the loader}"
  { ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -E 'libvulkan\.so|libGLX_nvidia|libGLdispatch' | head
  echo "glibc: $(ldd --version 2>&1 | head -1)"
}
# Whether the adapter probe's default request found a GPU (not a software fallback).
found_gpu() { grep -q '^{"probe":"default","flags":\[\],"ok":true,"adapter":{[^}]*"fallback":false' "$1"; }

main() {
  echo "== optnn GPU run, $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $([ $LOCAL = 1 ] && echo 'local smoke test' || echo 'GPU machine'), budget $BUDGET s"
  echo "folder $HERE; scratch $W; log $LOG"
  cat "$HERE/BUILD-INFO.txt" 2>/dev/null
  echo "cores: $(nproc); $(grep -h MemTotal /proc/meminfo); python: ${PY:-none}"

  # A scratch folder where programs may run (a noexec /tmp cannot hold node or dawn.node).
  local E="$W"
  cp "$(type -P true)" "$W/.exec-test" 2>/dev/null
  if ! "$W/.exec-test" 2>/dev/null; then E="$(mktemp -d "$HERE/.scratch.XXXXXX")"; fi
  rm -f "$W/.exec-test"
  # The NVIDIA driver's libraries where container installs put them.
  if [ "$LOCAL" = 0 ] && [ -d /usr/local/nvidia/lib64 ]; then
    export LD_LIBRARY_PATH="/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  fi
  # Debian's Vulkan loader and glvnd: into / where this machine lacks them (--local: into scratch).
  local debroot=/ debs=() line f nodeld="${LD_LIBRARY_PATH:-}"
  if [ "$LOCAL" = 1 ]; then
    debroot="$E/debroot"; debs=("$HERE"/debs/*.deb)
  elif [ -n "$PY" ]; then
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      echo "debs: $(basename "${line%%$'\t'*}") provides what is missing here: ${line#*$'\t'}"
      debs+=("${line%%$'\t'*}")
    done < <("$PY" "$HERE/debx.py" needed "$HERE"/debs/*.deb 2>&1)
  else
    debs=("$HERE"/debs/*.deb)
  fi
  echo "debs: unpacking ${#debs[@]} into $debroot"
  if [ "${#debs[@]}" -gt 0 ]; then
    if [ "$debroot" = / ] && [ -w / ]; then
      for f in "${debs[@]}"; do
        if command -v dpkg >/dev/null 2>&1; then dpkg -x "$f" /; else "$PY" "$HERE/debx.py" extract / "$f"; fi
      done
      ldconfig 2>/dev/null || /sbin/ldconfig
    else
      [ "$debroot" = / ] && debroot="$E/debroot"
      mkdir -p "$debroot" && "$PY" "$HERE/debx.py" extract "$debroot" "${debs[@]}"
      nodeld="$debroot/usr/lib/x86_64-linux-gnu${nodeld:+:$nodeld}"
    fi
  fi
  local vulkaninfo
  vulkaninfo="$( [ -x "$debroot/usr/bin/vulkaninfo" ] && echo "$debroot/usr/bin/vulkaninfo" || command -v vulkaninfo || true)"
  # The NVIDIA Vulkan driver's ICD file.
  if [ "$LOCAL" = 0 ]; then
    for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json \
      /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
      if [ -f "$f" ]; then export VK_DRIVER_FILES="$f" VK_ICD_FILENAMES="$f"; break; fi
    done
  fi
  mkdir -p "$W/xdg" && chmod 700 "$W/xdg"
  export XDG_RUNTIME_DIR="$W/xdg" OPTNN_PROGRESS=0

  # Node, dawn.node and the digits, unpacked into scratch.
  local node="$E/node" app="$E/app"
  unxz_to "$HERE"/node/node-*.xz "$node" && chmod +x "$node"
  cp -r "$HERE/app" "$app"
  unxz_to "$app/dist/linux-x64/dawn.node.xz" "$app/dist/linux-x64/dawn.node" && rm -f "$app/dist/linux-x64/dawn.node.xz"
  untarxz_to "$HERE/data/mnist-digits.tar.xz" "$app"
  local N=(env "LD_LIBRARY_PATH=$nodeld" "$node" "$app/optnn.cjs")
  echo "node $(env "LD_LIBRARY_PATH=$nodeld" "$node" -v); LD_LIBRARY_PATH for node: ${nodeld:-unset}"
  echo "$(uname -srm), $(nproc) cores; node $("$node" -v); Vulkan ICD: ${VK_DRIVER_FILES:-default search}" >"$RES/machine.txt"

  # On a GPU: each figure within a few seconds (the wasm landscape cut and extrapolated). Local:
  # tiny sizes, and room for lavapipe, a CPU Vulkan driver, to compile its shaders.
  local sizes=(--seconds 8) wasm_sizes=(--seconds 6) training=() torch=(--budget 70) slow=1
  if [ "$LOCAL" = 1 ]; then
    sizes=(--batches 16 --samples 16 --grid 2 --seconds 1); wasm_sizes=("${sizes[@]}")
    training=(--steps 2); torch=(--quick --budget 20); slow=3
  fi
  [ -n "$PY" ] && RESERVE=80
  export -f diag
  part diag 20 bash -c diag
  [ -n "$vulkaninfo" ] && part vulkaninfo 20 env "LD_LIBRARY_PATH=$nodeld" "$vulkaninfo" --summary
  part adapter 60 "${N[@]}" adapter
  if [ "$LOCAL" = 0 ] && ! found_gpu "$RES/adapter.out" && [ -n "${VK_DRIVER_FILES:-}" ]; then
    echo "no GPU adapter with VK_DRIVER_FILES=$VK_DRIVER_FILES: the loader's own search instead"
    local icd="$VK_DRIVER_FILES"; unset VK_DRIVER_FILES VK_ICD_FILENAMES
    part adapter-default-search 40 env VK_LOADER_DEBUG=error,warn,driver "${N[@]}" adapter default
    found_gpu "$RES/adapter-default-search.out" || export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
  fi
  cd "$app" || return 1
  part bench-gpu-webgpu $((90 * slow)) "${N[@]}" bench-gpu --backend webgpu --profile "${sizes[@]}"
  part training-webgpu $((40 * slow)) "${N[@]}" gpu-training --backend webgpu "${training[@]}"
  # tfjs's own gradient kernels, for the comparison (OPTNN_WEBGPU_KERNELS=stock).
  part bench-gpu-webgpu-stock $((60 * slow)) env OPTNN_WEBGPU_KERNELS=stock "${N[@]}" bench-gpu --backend webgpu --profile "${sizes[@]}"
  part training-webgpu-stock $((30 * slow)) env OPTNN_WEBGPU_KERNELS=stock "${N[@]}" gpu-training --backend webgpu "${training[@]}"
  part training-wasm 30 "${N[@]}" gpu-training --backend wasm "${training[@]}"
  part bench-gpu-wasm 75 "${N[@]}" bench-gpu --backend wasm "${wasm_sizes[@]}"
  RESERVE=0
  cd "$HERE" || return 1
  if [ -n "$PY" ] && "$PY" -c 'import torch' >/dev/null 2>&1; then
    part torch 80 "$PY" "$HERE/torch_compare.py" --digits "$app/mnist/src/digits" "${torch[@]}"
  else
    echo; echo "== torch: skipped, no python with torch"
  fi
  echo
  if [ -n "$PY" ]; then "$PY" "$HERE/summary.py" "$RES" "$SUMMARY" "$JSONL"; else cat "$RES/status"; fi
  echo "== done in $(elapsed) s (budget $BUDGET s)"
  [ "$E" != "$W" ] && rm -rf "$E"
}

main 2>&1 | tee "$LOG"
rm -rf "$W"
exit 0
