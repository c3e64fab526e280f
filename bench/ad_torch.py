"""PyTorch side of bench/ad.sh: times one training step (forward, loss,
backward, Adam update) of the suite's networks on the CPU, inside the process
(time.perf_counter around the loop, after warm-up steps), and the peak RSS
after N steps. Usage: ad_torch.py CASE THREADS DTYPE STEPS
  CASE: small (2-16-16-1 tanh, 200 points, full batch, BCE)
        mnist (784-128-10 relu, batch 64, cross-entropy)
Prints: ms_per_step max_rss_kib"""
import resource
import sys
import time

import torch

case, threads, dtype, steps = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
dt = torch.float64 if dtype == "float64" else torch.float32
torch.manual_seed(1)
g = torch.Generator().manual_seed(1)

if case == "small":
    X = torch.rand(200, 2, generator=g, dtype=dt) * 2 - 1
    y = (X[:, :1] * X[:, 1:2] > 0).to(dt)
    net = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
                              torch.nn.Linear(16, 1)).to(dt)
    lossf = torch.nn.BCEWithLogitsLoss()
    batches = [(X, y)]
else:
    X = torch.rand(640, 784, generator=g, dtype=dt)
    y = torch.randint(0, 10, (640,), generator=g)
    net = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).to(dt)
    lossf = torch.nn.CrossEntropyLoss()
    batches = [(X[i:i + 64], y[i:i + 64]) for i in range(0, 640, 64)]

opt = torch.optim.Adam(net.parameters(), lr=0.01)


def step(k):
    xb, yb = batches[k % len(batches)]
    opt.zero_grad()
    loss = lossf(net(xb), yb)
    loss.backward()
    opt.step()


for k in range(min(50, steps)):
    step(k)
t0 = time.perf_counter()
for k in range(steps):
    step(k)
t1 = time.perf_counter()
print("%.6f %d" % ((t1 - t0) * 1000 / steps, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
