#!/usr/bin/env python3
"""bench/boshnas_ref.py REF NB201_JSON [SIZES]: the peer of bench_search_nb201's "CPU seconds
per active-learning step": the seeds' own PyTorch BOSHNAS (github.com/jha-lab/boshnas, which is
not part of this repository: clone it anywhere and pass the clone's path as REF) fitted on a
corpus of random NAS-Bench-201 cells and asked for one proposal, on one thread.

Same setting as codebench's boshnas step in that benchmark: the 84-bit path encoding of a cell
(the ops along each live input-output path), accuracies scaled to [0, 1], the heteroscedastic
NPN, the MC-dropout teacher and the student, second-order GOBI (AdaHessian), 4 restarts, the
proposal snapped to the nearest of the candidates. Prints CPU seconds of the fit, of GOBI and of
the whole step for each corpus size (default 50, 200, 1000). Needs python3-torch, and for the
reference's imports python3-joblib, -scipy, -pandas, -matplotlib, -tqdm.
"""
import json
import os
import random
import sys
import tempfile
import time

OPS = ["skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]  # "none" cuts a path


def edges(arch):
    """{(src, dst): op} of an architecture string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|"""
    out = {}
    for dst, node in enumerate(arch.strip("|").split("|+|"), start=1):
        for item in node.strip("|").split("|"):
            op, src = item.split("~")
            out[(int(src), dst)] = op
    return out


def path_encoding(arch):
    """One bit per op sequence along a path 0 -> 3: 4 of length 1, 16 of 2, 64 of 3 (84)."""
    e = edges(arch)
    bits = [0.0] * 84
    for path in ([0, 3], [0, 1, 3], [0, 2, 3], [0, 1, 2, 3]):
        ops = [e[(a, b)] for a, b in zip(path, path[1:])]
        if "none" in ops:
            continue
        index = 0
        for op in ops:
            index = index * 4 + OPS.index(op)
        bits[{1: 0, 2: 4, 3: 20}[len(ops)] + index] = 1.0
    return bits


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    ref, data = sys.argv[1], sys.argv[2]
    sizes = [int(s) for s in sys.argv[3].split(",")] if len(sys.argv) > 3 else [50, 200, 1000]
    sys.path.insert(0, os.path.join(ref, "boshnas"))
    import numpy as np
    import torch
    torch.set_num_threads(1)
    from boshnas import BOSHNAS  # the reference implementation

    table = json.load(open(data))
    archs, acc = table["archs"], table["accuracies"]
    scale = 100.0 if max(acc) > 1.5 else 1.0
    print("reference BOSHNAS (PyTorch %s), one thread: CPU seconds per active-learning step"
          % torch.__version__)
    print("%8s %9s %9s %9s" % ("corpus", "fit", "gobi", "step"))
    with tempfile.TemporaryDirectory() as ckpt:
        for n in sizes:
            rng = random.Random(n)
            random.seed(n)
            torch.manual_seed(n)
            picked = rng.sample(range(len(archs)), n)
            x = [path_encoding(archs[i]) for i in picked]
            y = [acc[i] / scale for i in picked]
            cand = [path_encoding(archs[i]) for i in rng.sample(range(len(archs)), 1000)]
            model = BOSHNAS(input_dim=84, bounds=(np.zeros(84), np.ones(84)), trust_region=False,
                            second_order=True, parallel=False, model_aleatoric=True,
                            save_path=ckpt, pretrained=False)
            t0 = time.process_time()
            model.train(x, y)
            t1 = time.process_time()
            model.get_queries(cand, 4, "ucb")
            t2 = time.process_time()
            print("%8d %9.3f %9.3f %9.3f" % (n, t1 - t0, t2 - t1, t2 - t0), flush=True)


if __name__ == "__main__":
    main()
