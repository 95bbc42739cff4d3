#!/usr/bin/env python3
"""bench/train_torch.py: the PyTorch peer of bench/train_bench.c.

Trains the same LeNet-5 (Fashion-MNIST) or small VGG with batch-norm (CIFAR-10) on the CPU with
the same protocol (the first N training images, 10% held out for validation, per-channel
normalization from the training images, AdamW lr 1e-3 wd 1e-4 with a per-step cosine schedule
unless --optimizer/--lr/--momentum/--wd/--schedule say otherwise, batch 128, one epoch, a fixed
thread count) and prints training images per second, test accuracy and peak RSS in the same
line format. Uses Debian's python3-torch; prints
"peer not available" and exits 0 when torch cannot be imported.

    train_torch.py lenet5|vgg DATA_DIR [--train N] [--test N] [--epochs E] [--batch B] [--threads T]
                   [--optimizer adamw|sgd] [--lr LR] [--momentum M] [--wd WD] [--schedule cosine|constant]
"""
import argparse
import gzip
import math
import os
import resource
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("torch peer not available: python3-torch is not installed (apt-get install python3-torch)")
    sys.exit(0)


def idx(path):
    """An IDX file (gzip'd or raw) as a uint8 tensor shaped by its header."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).view(*dims)


def fashion_mnist(root, split):
    pre = "train" if split == "train" else "t10k"
    def find(base):
        gz = os.path.join(root, base + ".gz")
        return gz if os.path.exists(gz) else os.path.join(root, base)
    x = idx(find(pre + "-images-idx3-ubyte")).unsqueeze(1)
    y = idx(find(pre + "-labels-idx1-ubyte")).long()
    return x, y


def cifar10(root, split):
    names = ["test_batch.bin"] if split == "test" else \
        [f"data_batch_{b}.bin" for b in range(1, 6) if os.path.exists(os.path.join(root, f"data_batch_{b}.bin"))]
    xs, ys = [], []
    for n in names:
        with open(os.path.join(root, n), "rb") as f:
            raw = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).view(-1, 3073)
        ys.append(raw[:, 0].long())
        xs.append(raw[:, 1:].reshape(-1, 3, 32, 32))
    return torch.cat(xs), torch.cat(ys)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(3, 2, 1), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def vgg():
    def conv(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*conv(3, 32), *conv(32, 32), nn.MaxPool2d(3, 2, 1),
                         *conv(32, 64), *conv(64, 64), nn.MaxPool2d(3, 2, 1),
                         *conv(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", choices=["lenet5", "vgg"])
    ap.add_argument("data")
    ap.add_argument("--train", type=int, default=0)
    ap.add_argument("--test", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--optimizer", choices=["adamw", "sgd"], default="adamw")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--schedule", choices=["cosine", "constant"], default="cosine")
    a = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    load = fashion_mnist if a.model == "lenet5" else cifar10
    x, y = load(a.data, "train")
    xt, yt = load(a.data, "test")
    if a.train:
        x, y = x[:a.train], y[:a.train]
    if a.test:
        xt, yt = xt[:a.test], yt[:a.test]
    perm = torch.randperm(len(x))
    nval = round(0.1 * len(x))
    x, y = x[perm[nval:]].float() / 255, y[perm[nval:]]
    xt = xt.float() / 255
    mean = x.mean(dim=(0, 2, 3), keepdim=True)
    std = x.std(dim=(0, 2, 3), keepdim=True)
    x, xt = (x - mean) / std, (xt - mean) / std
    model = lenet5() if a.model == "lenet5" else vgg()
    if a.optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.wd)
    else:
        opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.wd)
    steps = math.ceil(len(x) / a.batch) * a.epochs
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps) if a.schedule == "cosine" else \
        torch.optim.lr_scheduler.LambdaLR(opt, lambda _: 1.0)
    seen, t0 = 0, time.perf_counter()
    for _ in range(a.epochs):
        model.train()
        order = torch.randperm(len(x))
        for s in range(0, len(x), a.batch):
            b = order[s:s + a.batch]
            loss = F.cross_entropy(model(x[b]), y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            seen += len(b)
    seconds = time.perf_counter() - t0
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(xt), a.batch):
            correct += (model(xt[s:s + a.batch]).argmax(1) == yt[s:s + a.batch]).sum().item()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"torch  {a.model:<6} threads {a.threads}: {seen / seconds:8.0f} images/s training, "
          f"test accuracy {correct / len(xt):.4f} after {a.epochs} epoch(s), {seconds:.1f} s, "
          f"peak RSS {rss:.0f} MB (torch {torch.__version__})")


if __name__ == "__main__":
    main()
