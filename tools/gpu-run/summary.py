"""The GPU run's summary (run.sh): python3 summary.py RESULTS_DIR [SUMMARY_FILE [JSONL_FILE]].
RESULTS_DIR holds `status` ("part exit-code seconds" per line) and each part's output, PART.out;
every JSON line of the outputs goes to JSONL_FILE with its part's name, and one table of the
figures, tfjs webgpu / tfjs wasm / PyTorch side by side, to stdout and SUMMARY_FILE."""
import json
import os
import sys

res = sys.argv[1]
summary_file = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
jsonl_file = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None

status = []
try:
    with open(os.path.join(res, "status")) as f:
        status = [line.split() for line in f if line.strip()]
except OSError:
    pass

records = []
for part, *_ in status:
    try:
        with open(os.path.join(res, f"{part}.out"), errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{") and line.endswith("}"):
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(record, dict):
                        record["part"] = part
                        if part.endswith("-stock") and record.get("backend") == "webgpu":
                            record["backend"] = "webgpu-stock"
                        records.append(record)
    except OSError:
        pass
if jsonl_file:
    with open(jsonl_file, "w") as f:
        for r in records:
            f.write(json.dumps(r) + "\n")

out = []
with open(os.path.join(res, "machine.txt"), errors="replace") if os.path.exists(os.path.join(res, "machine.txt")) else open(os.devnull) as f:
    out += [line.rstrip() for line in f]
for r in records:
    if r.get("probe") == "default":
        a = r.get("adapter") or {}
        out.append(f"WebGPU adapter: {a.get('vendor')} {a.get('architecture')} \"{a.get('description')}\""
                   f"{' (software)' if a.get('fallback') else ''}, round trip {r.get('roundTripMs')} ms" if a else
                   f"WebGPU adapter: none ({r.get('error')})")
    if r.get("kind") == "device":
        out.append(f"PyTorch {r.get('torch')} on {r.get('device')} {r.get('name', '')}")
out.append("parts: " + ", ".join(f"{s[0]} {'ok' if s[1] == '0' else 'exit ' + s[1]} ({s[2] if len(s) > 2 else '?'} s)" for s in status))


def cell(r):
    if r is None:
        return "-"
    if r.get("kind") == "landscape":
        return f"{r['seconds']:.2f} s" + (" (extrapolated)" if r.get("cut") else "")
    if r.get("kind") == "grading-training":
        return f"{r['seconds']:.2f} s, loss {r['finalLoss']:.4f}"
    return f"{r['msPerBatch']:.2f} ms ({round(r['samplesPerSecond']):,}/s)"


sides = [("tfjs webgpu", "webgpu"), ("webgpu, tfjs's kernels", "webgpu-stock"), ("tfjs wasm", "wasm"), ("PyTorch", "torch")]
rows = []
# Only measured figures (a part past its budget writes {"kind": ..., "skipped": why}).
records = [r for r in records if "skipped" not in r]
for r in records:
    key = (r.get("kind"), r.get("batch"))
    if r.get("kind") in ("train", "forward", "landscape") and key not in rows:
        rows.append(key)
rows.append(("grading-training", None))
found = {}
for r in records:
    backend = str(r.get("backend", ""))
    side = "torch" if backend.startswith("torch") else backend
    if r.get("kind") in ("train", "forward", "landscape"):
        found[(r["kind"], r.get("batch"), side)] = r
    elif r.get("kind") == "grading-training" or ("finalLoss" in r and "optimizer" in r):
        found[("grading-training", None, side)] = {**r, "kind": "grading-training"}
names = {"train": "training step, batch {}", "forward": "forward (loss), batch {}",
         "landscape": "20x20 landscape, {} samples/point", "grading-training": "grading's one-epoch training"}
out.append("")
out.append(f"{'GarmentClassifier':40} | " + " | ".join(f"{s:26}" for s, _ in sides))
for kind, batch in rows:
    out.append(f"{names[kind].format(batch):40} | " + " | ".join(f"{cell(found.get((kind, batch, key))):26}" for _, key in sides))
text = "\n".join(out)
print(text)
if summary_file:
    with open(summary_file, "w") as f:
        f.write(text + "\n")
profiles = [r for r in records if r.get("kind") == "profile"]
if profiles:
    lines = [""]
    for r in profiles:
        top = ", ".join(f"{k['name']} {k['ms']:.2f}" for k in r.get("kernels", [])[:6])
        lines.append(f"{r.get('backend')} per kernel (ms), one step at batch {r.get('batch')}, {r.get('kernelMs', 0):.2f} ms in all: {top}")
    print("\n".join(lines))
    if summary_file:
        with open(summary_file, "a") as f:
            f.write("\n".join(lines) + "\n")
