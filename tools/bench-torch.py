"""The PyTorch side of `npm run bench -- --peer`: the GarmentClassifier of the notebook, batch 64,
plain SGD (lr 0.01), cross-entropy, on seeded random data, timed like the tfjs side. Prints one
JSON line. Arguments: steps, warm-up steps, threads."""
import json
import sys
import time

import torch
from torch import nn

steps, warmup, threads = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(1)
net = nn.Sequential(
    nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
    nn.Flatten(), nn.Linear(16 * 4 * 4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
loss_fn = nn.CrossEntropyLoss()
xs = torch.randn(64, 1, 28, 28)
ys = torch.randint(0, 10, (64,))


def step():
    optimizer.zero_grad()
    loss = loss_fn(net(xs), ys)
    loss.backward()
    optimizer.step()
    return loss.item()


for _ in range(warmup):
    step()
start = time.perf_counter()
for _ in range(steps):
    step()
ms = (time.perf_counter() - start) * 1000 / steps
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "steps": steps,
                  "msPerStep": ms, "samplesPerSecond": 64 * 1000 / ms}))
