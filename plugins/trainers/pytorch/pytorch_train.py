#!/usr/bin/env python3
"""plugins/trainers/pytorch/pytorch_train.py: the training half of codebench's "pytorch"
trainer plugin, run by it as a subprocess (installed beside pytorch.so).

Owns: reading the job the plugin writes (a JSON description of the cb_graph: every vertex's op,
attributes by name, inputs, shapes and weight tensors; the recipe; where the data set is and
which of its images to use), building torch.nn modules for every op of codebench's std op pack
with the same semantics (docs/ops.md), reading IDX and CIFAR binaries with numpy, training with
the recipe on the CPU or a GPU, and writing the trained weights as a safetensors file named the
way codebench checkpoints are ("<vertex>.<weight>", docs/checkpoint.md).

Talks to the plugin through stdout, one line per message:
  @cb progress epoch=E epochs=N step=S steps=T loss=L accuracy=A val_accuracy=V images_per_s=I
  @cb log LEVEL message
  @cb result accuracy=A val_accuracy=V loss=L epochs=E seconds=S images_per_s=I device=D
  @cb error CODE PARAM message        (CODE einval or efail; PARAM "-" when none)
Anything else (warnings, tracebacks) goes to stderr, which the plugin logs.

Usage: pytorch_train.py JOB.json
"""

import gzip
import json
import math
import os
import struct
import sys
import time

JOB_FORMAT = "codebench-torch-job"


class JobError(Exception):
    """An error the plugin reports as one line: code einval (the input is wrong) or efail."""

    def __init__(self, msg, code="efail", param="-"):
        super().__init__(msg)
        self.code, self.param = code, param


def emit(kind, text):
    print("@cb %s %s" % (kind, text), flush=True)


def log(level, msg):
    emit("log", "%s %s" % (level, msg.replace("\n", " ")))


def fields(**kv):
    return " ".join("%s=%s" % (k, repr(float(v)) if isinstance(v, float) else v) for k, v in kv.items())


# ---- imports that may be missing --------------------------------------------------------------

# Imported here so the module classes below can derive from nn.Module; when an import fails the
# classes derive from object (never used) and main() reports what to install, in one line.
IMPORT_ERRORS = []
for _name, _deb in (("numpy", "python3-numpy"), ("torch", "python3-torch")):
    try:
        __import__(_name)
    except ImportError as _e:
        IMPORT_ERRORS.append((_name, _deb, _e))
if not IMPORT_ERRORS:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
Module = nn.Module if not IMPORT_ERRORS else object


def check_imports():
    """One line saying what to install for this interpreter."""
    for name, deb, e in IMPORT_ERRORS:
        raise JobError("%s cannot import %s (%s): install %s (Debian) or `pip install %s`, "
                       "or set the plugin's python parameter to an interpreter that has it"
                       % (sys.executable, name, e, deb, name))


# ---- safetensors, read and written with numpy (no safetensors package needed) -----------------

def st_read(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise JobError("%s: truncated safetensors file" % path)
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    base, out = 8 + n, {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] != "F32":
            raise JobError("%s: tensor %s has dtype %s, expected F32" % (path, name, t["dtype"]))
        b, e = t["data_offsets"]
        if base + e > len(raw):
            raise JobError("%s: truncated: tensor %s needs bytes %d..%d" % (path, name, b, e))
        out[name] = np.frombuffer(raw[base + b:base + e], dtype="<f4").reshape(t["shape"])
    return out


def st_write(path, tensors, meta):
    """tensors: name -> (file shape, float32 numpy array), in order."""
    header, off, blobs = {"__metadata__": meta}, 0, []
    for name, (shape, arr) in tensors.items():
        data = np.ascontiguousarray(arr, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [off, off + len(data)]}
        off += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def file_shape(shape5):
    """A cb_shape [n, c, d, h, w] as checkpoints spell it: d dropped when 1, then trailing 1s."""
    s = list(shape5[:2]) + ([shape5[2]] if shape5[2] != 1 else []) + list(shape5[3:])
    while len(s) > 1 and s[-1] == 1:
        s.pop()
    return s


# ---- data: IDX and CIFAR binaries, as the SDK's loaders read them -----------------------------

def read_maybe_gz(path):
    with open(path, "rb") as f:
        raw = f.read()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def idx_file(root, base):
    gz = os.path.join(root, base + ".gz")
    return gz if os.path.exists(gz) else os.path.join(root, base)


def load_idx(root, split):
    pre = "t10k" if split == "test" else "train"
    ipath, lpath = idx_file(root, pre + "-images-idx3-ubyte"), idx_file(root, pre + "-labels-idx1-ubyte")
    img, lab = read_maybe_gz(ipath), read_maybe_gz(lpath)
    magic, n, h, w = struct.unpack(">IIII", img[:16])
    if magic != 0x803 or len(img) < 16 + n * h * w:
        raise JobError("%s: not an IDX image file of %d images" % (ipath, n), "einval", "data_path")
    lmagic, ln = struct.unpack(">II", lab[:8])
    if lmagic != 0x801 or ln != n or len(lab) < 8 + n:
        raise JobError("%s: not an IDX label file for %d images" % (lpath, n), "einval", "data_path")
    x = np.frombuffer(img, dtype=np.uint8, count=n * h * w, offset=16).reshape(n, 1, h, w)
    y = np.frombuffer(lab, dtype=np.uint8, count=n, offset=8).astype(np.int64)
    return x, y


def load_cifar(root, split, fine):
    sub = os.path.join(root, "cifar-100-binary" if fine else "cifar-10-batches-bin")
    d = sub if os.path.exists(sub) else root
    if fine:
        files = [os.path.join(d, "test.bin" if split == "test" else "train.bin")]
    elif split == "test":
        files = [os.path.join(d, "test_batch.bin")]
    else:  # subsets ship fewer than five batches: those present, in order
        files = [p for p in (os.path.join(d, "data_batch_%d.bin" % b) for b in range(1, 6)) if os.path.exists(p)]
    rec = 3074 if fine else 3073
    xs, ys = [], []
    for p in files:
        raw = np.fromfile(p, dtype=np.uint8)
        if raw.size % rec:
            raise JobError("%s: not a whole number of %d-byte records" % (p, rec), "einval", "data_path")
        raw = raw.reshape(-1, rec)
        ys.append(raw[:, rec - 3073].astype(np.int64))
        xs.append(raw[:, rec - 3072:].reshape(-1, 3, 32, 32))
    return np.concatenate(xs), np.concatenate(ys)


def load_raw(d, split):
    c, h, w = d["channels"], d["height"], d["width"]
    x = np.fromfile(d["raw"][split + "_pixels"], dtype=np.uint8).reshape(-1, c, h, w)
    y = np.fromfile(d["raw"][split + "_labels"], dtype="<i4").astype(np.int64)
    return x, y


def load_split(d, split):
    fmt = d["format"]
    if fmt == "idx":
        x, y = load_idx(d["path"], split)
    elif fmt in ("cifar10", "cifar100"):
        x, y = load_cifar(d["path"], split, fmt == "cifar100")
    elif fmt == "raw":
        x, y = load_raw(d, split)
    else:
        raise JobError("unknown data format %s" % fmt, "einval", "data_format")
    want = d[split + "_images"]
    if len(x) != want or x.shape[1:] != (d["channels"], d["height"], d["width"]):
        raise JobError("%s: read %d images of %s, the plugin's loader found %d of %dx%dx%d" % (
            d["path"], len(x), "x".join(map(str, x.shape[1:])), want, d["channels"], d["height"],
            d["width"]), "einval", "data_path")
    return x, y


def take(x, y, index_path):
    idx = np.fromfile(index_path, dtype="<i8") if index_path else np.arange(len(x))
    return x[idx], y[idx]


def load_data(d, device):
    """(x uint8 NCHW, y int64) per split, on the device; val may be empty."""
    train_x, train_y = load_split(d, "train")
    test_x, test_y = load_split(d, "test")
    splits = {"train": take(train_x, train_y, d["train_index"]),
              "val": take(train_x, train_y, d["val_index"]) if d["val_index"] else (train_x[:0], train_y[:0]),
              "test": take(test_x, test_y, d["test_index"])}
    return {k: (torch.from_numpy(np.ascontiguousarray(x)).to(device),
                torch.from_numpy(np.ascontiguousarray(y)).to(device)) for k, (x, y) in splits.items()}


# ---- the std op pack as torch modules ----------------------------------------------------------

def pad_of(choice, k):
    return (k - 1) // 2 if choice == "same" else int(choice)


def groups_of(choice, cin, cout):
    """The seeds' rule (plugins/ops/std/common.c): the request, lowered until it divides both."""
    g = cin if choice == "dw" else int(choice)
    g = max(g, 1)
    while g > 1 and (cin % g or cout % g):
        g -= 1
    return g


def activation(name):
    return {"relu": F.relu, "silu": F.silu, "none": lambda x: x}[name]


def squeeze_depth(y):
    """Tensors of depth 1 travel as NCHW, deeper ones as NCDHW."""
    return y.squeeze(2) if y.dim() == 5 and y.shape[2] == 1 else y


def planes(fn, x):
    """Applies a 2-D per-plane op to NCHW or NCDHW (depth folded into channels)."""
    if x.dim() == 4:
        return fn(x)
    n, c, d = x.shape[:3]
    y = fn(x.reshape(n, c * d, *x.shape[3:]))
    return y.reshape(n, c, d, *y.shape[2:])


def resize_nearest(x, h, w):
    if x.shape[-2:] == (h, w):
        return x
    return planes(lambda p: F.interpolate(p, size=(h, w), mode="nearest"), x)


class Op(Module):
    """One vertex. Tensors are registered under codebench's weight names ("weight", "gamma",
    "dw_running_var", ...), so "<vertex>.<name>" addresses them in checkpoints."""

    def __init__(self, node):
        super().__init__()
        self.node, self.a = node, node["attrs"]
        self.cin = node["in_shapes"][0][0] if node["in_shapes"] else 0

    def add_param(self, name, *shape, fill=None):
        t = torch.empty(*shape)
        if fill is not None:
            t.fill_(fill)
        self.register_parameter(name, nn.Parameter(t))

    def add_bn(self, prefix, c):
        self.add_param(prefix + "gamma", c, fill=1.0)
        self.add_param(prefix + "beta", c, fill=0.0)
        self.register_buffer(prefix + "running_mean", torch.zeros(c))
        self.register_buffer(prefix + "running_var", torch.ones(c))

    def bn(self, prefix, x, momentum=0.1, eps=1e-5):
        g = lambda n: getattr(self, prefix + n)  # noqa: E731
        return F.batch_norm(x, g("running_mean"), g("running_var"), g("gamma"), g("beta"),
                            self.training, momentum, eps)


class Conv(Op):
    """conv2d and conv3d: convolution, [bias], [batch-norm], activation."""

    def __init__(self, node, dims):
        super().__init__(node)
        a, self.dims = self.a, dims
        self.cout = a["out_channels"] if a["out_channels"] > 0 else a["channels"]
        k = a["kernel"]
        self.stride, self.pad = a["stride"], pad_of(a["padding"], k)
        self.groups = groups_of(a["groups"], self.cin, self.cout)
        self.add_param("weight", self.cout, self.cin // self.groups, *([k] * dims))
        if a["bias"]:
            self.add_param("bias", self.cout)
        if a["batchnorm"]:
            self.add_bn("", self.cout)
        self.act = activation(a["activation"])

    def forward(self, xs):
        x = xs[0]
        conv = F.conv2d
        if self.dims == 3:
            x, conv = (x.unsqueeze(2) if x.dim() == 4 else x), F.conv3d
        y = conv(x, self.weight, getattr(self, "bias", None), self.stride, self.pad, 1, self.groups)
        if self.a["batchnorm"]:
            y = self.bn("", y)
        return squeeze_depth(self.act(y))


class DwsConv(Op):
    """dwsconv2d: depth-wise k x k, [bn], act, then point-wise 1x1, [bn], act."""

    def __init__(self, node):
        super().__init__(node)
        a, c = self.a, self.cin
        self.cout = a["out_channels"] if a["out_channels"] > 0 else a["channels"]
        k = a["kernel"]
        self.stride, self.pad = a["stride"], pad_of(a["padding"], k)
        self.add_param("dw_weight", c, 1, k, k)
        if a["batchnorm"]:
            self.add_bn("dw_", c)
        self.add_param("pw_weight", self.cout, c, 1, 1)
        if a["batchnorm"]:
            self.add_bn("pw_", self.cout)
        self.act = activation(a["activation"])

    def forward(self, xs):
        y = F.conv2d(xs[0], self.dw_weight, None, self.stride, self.pad, 1, self.cin)
        if self.a["batchnorm"]:
            y = self.bn("dw_", y)
        y = F.conv2d(self.act(y), self.pw_weight)
        if self.a["batchnorm"]:
            y = self.bn("pw_", y)
        return self.act(y)


class ConvTranspose(Op):
    """conv_transpose2d: weight [cin][cout/groups][k][k], [bias], [bn], activation."""

    def __init__(self, node):
        super().__init__(node)
        a = self.a
        self.cout = a["out_channels"] if a["out_channels"] > 0 else a["channels"]
        self.groups = groups_of(a["groups"], self.cin, self.cout)
        self.add_param("weight", self.cin, self.cout // self.groups, a["kernel"], a["kernel"])
        if a["bias"]:
            self.add_param("bias", self.cout)
        if a["batchnorm"]:
            self.add_bn("", self.cout)
        self.act = activation(a["activation"])

    def forward(self, xs):
        a = self.a
        y = F.conv_transpose2d(xs[0], self.weight, getattr(self, "bias", None), a["stride"],
                               a["padding"], a["output_padding"], self.groups)
        if a["batchnorm"]:
            y = self.bn("", y)
        return self.act(y)


class BatchNorm(Op):
    def __init__(self, node):
        super().__init__(node)
        self.add_bn("", self.cin)

    def forward(self, xs):
        return self.bn("", xs[0], self.a["momentum"], self.a["eps"])


class Dense(Op):
    """dense: on the flattened image; the classifier (classes > 0) has no activation."""

    def __init__(self, node):
        super().__init__(node)
        a, s = self.a, node["in_shapes"][0]
        self.units = a["classes"] if a["classes"] > 0 else a["units"]
        self.add_param("weight", self.units, s[0] * s[1] * s[2] * s[3])
        self.add_param("bias", self.units)
        self.act = activation("none" if a["classes"] > 0 else a["activation"])

    def forward(self, xs):
        x = xs[0]
        y = self.act(F.linear(x.reshape(x.shape[0], -1), self.weight, self.bias))
        return y.reshape(y.shape[0], self.units, 1, 1)


class Fn(Op):
    """The ops without weights, each a function of its inputs."""

    def __init__(self, node, fn):
        super().__init__(node)
        self.fn = fn

    def forward(self, xs):
        return self.fn(self, xs)


def pool(kind):
    def run(m, xs):
        k, s, p = m.a["kernel"], m.a["stride"], m.a["padding"]
        if kind == "max":
            return planes(lambda x: F.max_pool2d(x, k, s, p), xs[0])
        return planes(lambda x: F.avg_pool2d(x, k, s, p, count_include_pad=True), xs[0])
    return run


def shuffle(m, xs):
    x, g = xs[0], m.a["groups"]
    n, c = x.shape[:2]
    return x.reshape(n, g, c // g, *x.shape[2:]).transpose(1, 2).reshape(x.shape)


def upsample(m, xs):
    _, _, oh, ow = m.node["out"]
    if m.a["mode"] == "bilinear":  # nn.UpsamplingBilinear2d, as the seeds
        fn = lambda x: F.interpolate(x, size=(oh, ow), mode="bilinear", align_corners=True)  # noqa: E731
    else:
        fn = lambda x: F.interpolate(x, size=(oh, ow), mode="nearest")  # noqa: E731
    return planes(fn, xs[0])


def merge(kind):
    """add and concat: inputs of another height or width are first brought to the largest by
    nearest interpolation, as the seeds' modules do."""
    def run(m, xs):
        h, w = max(x.shape[-2] for x in xs), max(x.shape[-1] for x in xs)
        xs = [resize_nearest(x, h, w) for x in xs]
        if kind == "add":
            y = xs[0]
            for x in xs[1:]:
                y = y + x
            return y
        return torch.cat(xs, dim=1)
    return run


def gap(m, xs):
    x = xs[0]
    return x.mean(dim=tuple(range(2, x.dim()))).reshape(x.shape[0], x.shape[1], 1, 1)


def make_op(node):
    op = node["op"]
    fns = {
        "relu": lambda m, xs: F.relu(xs[0]),
        "silu": lambda m, xs: F.silu(xs[0]),
        "maxpool": pool("max"), "avgpool": pool("avg"), "global_avgpool": gap,
        "channel_shuffle": shuffle,
        "dropout": lambda m, xs: F.dropout(xs[0], m.a["p"], m.training),
        "upsample": upsample,
        "flatten": lambda m, xs: xs[0].reshape(xs[0].shape[0], -1, 1, 1),
        "add": merge("add"), "concat": merge("concat"),
    }
    if op in ("conv2d", "conv3d"):
        return Conv(node, 3 if op == "conv3d" else 2)
    if op == "dwsconv2d":
        return DwsConv(node)
    if op == "conv_transpose2d":
        return ConvTranspose(node)
    if op == "batchnorm":
        return BatchNorm(node)
    if op == "dense":
        return Dense(node)
    if op in fns:
        return Fn(node, fns[op])
    raise JobError("op %s has no PyTorch module (this trainer knows the std op pack's ops)" % op, "einval")


class Net(Module):
    def __init__(self, graph):
        super().__init__()
        self.graph = graph
        self.vertices = nn.ModuleList(make_op(n) for n in graph["nodes"])

    def forward(self, x):
        outs = []
        for node, m in zip(self.graph["nodes"], self.vertices):
            outs.append(m([x if j < 0 else outs[j] for j in node["in"]]))
        return outs

    def tensors(self):
        """codebench name -> tensor, for every weight of every vertex."""
        out = {}
        for v, m in enumerate(self.vertices):
            for name, t in list(m.named_parameters(recurse=False)) + list(m.named_buffers(recurse=False)):
                out["%d.%s" % (v, name)] = t
        return out


def check_weights(net):
    """The modules hold exactly the tensors codebench's ops list, of the same sizes."""
    have = net.tensors()
    for v, node in enumerate(net.graph["nodes"]):
        names = set()
        for w in node["weights"]:
            key = "%d.%s" % (v, w["name"])
            names.add(key)
            want = math.prod(w["shape"])
            if key not in have or have[key].numel() != want:
                raise JobError("vertex %d (%s): codebench lists weight %s of shape %s, the torch module has %s"
                               % (v, node["op"], w["name"], w["shape"],
                                  list(have[key].shape) if key in have else "none"), "einval")
        extra = sorted(k for k in have if k.startswith("%d." % v) and k not in names)
        if extra:
            raise JobError("vertex %d (%s): the torch module has tensors codebench does not list: %s"
                           % (v, node["op"], ", ".join(extra)), "einval")


def check_shapes(net, graph, device):
    """Every vertex's output shape as codebench inferred it."""
    c, d, h, w = graph["input"]
    net.eval()
    with torch.no_grad():
        outs = net(torch.zeros(2, c, h, w, device=device))
    for v, (node, y) in enumerate(zip(graph["nodes"], outs)):
        got = list(y.shape[1:]) if y.dim() == 5 else [y.shape[1], 1, y.shape[2], y.shape[3]]
        if got != list(node["out"]):
            raise JobError("vertex %d (%s): torch gives %s, codebench infers %s (CxDxHxW)" % (
                v, node["op"], "x".join(map(str, got)), "x".join(map(str, node["out"]))), "einval")


def check_probe(net, graph, job):
    """The op pack's logits for the probe image, with the same initial weights: computed here
    in double precision on the CPU so that only the C side's float32 rounding differs."""
    if not job.get("probe"):
        return
    c, d, h, w = graph["input"]
    x = torch.from_numpy(np.fromfile(job["probe"], dtype="<f4").astype(np.float64)).reshape(1, c, h, w)
    want = np.fromfile(job["probe_logits"], dtype="<f4").astype(np.float64)
    net.double().eval()
    with torch.no_grad():
        got = net(x)[-1].reshape(-1).numpy()
    net.float()
    if got.shape != want.shape:
        raise JobError("probe image: %d logits here, %d in codebench" % (got.size, want.size))
    # relative to the logits' size: float32 in C against float64 here leaves ~1e-6 of it
    tol = 1e-4 * max(float(np.abs(want).max()), 1e-6)
    worst = int(np.abs(got - want).argmax())
    diff = float(np.abs(got - want).max())
    if not diff <= tol:
        raise JobError("PyTorch's forward pass disagrees with the op pack's on a probe image: logit %d "
                       "is %.6g here, %.6g in codebench (tolerance %.2g); an op's PyTorch module no "
                       "longer matches its C implementation (or set verify to false)"
                       % (worst, got[worst], want[worst], tol))
    log("debug", "probe image: logits agree within %.3g" % diff)


def load_init(net, path):
    tensors, have = st_read(path), net.tensors()
    with torch.no_grad():
        for key, t in have.items():
            if key not in tensors:
                raise JobError("%s: no tensor %s" % (path, key))
            src = tensors[key]
            if src.size != t.numel():
                raise JobError("%s: tensor %s has %d values, the module %d" % (path, key, src.size, t.numel()))
            t.copy_(torch.from_numpy(src.copy()).reshape(t.shape))


def save_weights(net, graph, path, meta):
    have, out = net.tensors(), {}
    for v, node in enumerate(graph["nodes"]):
        for w in node["weights"]:
            key = "%d.%s" % (v, w["name"])
            out[key] = (file_shape(w["shape"]), have[key].detach().float().cpu().numpy())
    st_write(path, out, meta)


# ---- training ------------------------------------------------------------------------------------

def lr_at(r, t):
    """codebench's schedules at fractional epoch t (sdk/lib/engine_sched.c)."""
    gamma = r["gamma"] if r["gamma"] > 0 else 1.0
    if r["schedule"] == "cosine":
        f = min(max(t / max(r["epochs"], 1), 0.0), 1.0)
        return r["lr"] * 0.5 * (1.0 + math.cos(math.pi * f))
    if r["schedule"] == "exponential":
        return r["lr"] * gamma ** math.floor(t)
    if r["schedule"] == "step":
        return r["lr"] * gamma ** math.floor(math.floor(t) / max(r["step_epochs"], 1))
    return r["lr"]


def make_optimizer(net, r):
    params = [p for p in net.parameters() if p.requires_grad]
    if r["optimizer"] == "sgd":
        nesterov = bool(r["nesterov"]) and r["momentum"] > 0
        return torch.optim.SGD(params, lr=r["lr"], momentum=r["momentum"], nesterov=nesterov,
                               weight_decay=r["weight_decay"])
    cls = torch.optim.AdamW if r["optimizer"] == "adamw" else torch.optim.Adam
    return cls(params, lr=r["lr"], betas=(r["beta1"], r["beta2"]), eps=1e-8, weight_decay=r["weight_decay"])


class Batches:
    """Normalized (and, when asked, augmented) batches from uint8 images on the device."""

    def __init__(self, data, job, device):
        d, t = job["data"], job["train"]
        c = d["channels"]
        self.mean = torch.tensor(d["mean"][:c], device=device).reshape(1, c, 1, 1)
        self.std = torch.tensor(d["std"][:c], device=device).reshape(1, c, 1, 1)
        self.pad = t["crop_pad"] if t["augment"] else 0
        self.flip = bool(t["augment"] and t["flip"])
        self.device = device

    def make(self, x, augment, gen):
        x = x.float() / 255.0
        if augment and self.pad > 0:  # padding is pixel 0, as a padded image normalized after
            n, c, h, w = x.shape
            p = self.pad
            xp = F.pad(x, (p, p, p, p))
            dy = torch.randint(0, 2 * p + 1, (n,), generator=gen).to(self.device)
            dx = torch.randint(0, 2 * p + 1, (n,), generator=gen).to(self.device)
            rows = (dy[:, None] + torch.arange(h, device=self.device))[:, None, :, None]
            cols = (dx[:, None] + torch.arange(w, device=self.device))[:, None, None, :]
            x = xp[torch.arange(n, device=self.device)[:, None, None, None],
                   torch.arange(c, device=self.device)[None, :, None, None], rows, cols]
        if augment and self.flip:
            flip = (torch.rand(x.shape[0], generator=gen) < 0.5).to(self.device)
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
        return (x - self.mean) / self.std


def evaluate(net, batches, data, size):
    x, y = data
    if len(x) == 0:
        return -1.0, float("nan")
    net.eval()
    correct, loss = 0, 0.0
    with torch.no_grad():
        for at in range(0, len(x), size):
            logits = net(batches.make(x[at:at + size], False, None))[-1]
            logits = logits.reshape(logits.shape[0], -1)
            loss += F.cross_entropy(logits, y[at:at + size], reduction="sum").item()
            correct += (logits.argmax(1) == y[at:at + size]).sum().item()
    return correct / len(x), loss / len(x)


class Trainer:
    def __init__(self, job, net, data, device):
        self.job, self.net, self.data, self.device = job, net, data, device
        self.r, self.t = job["recipe"], job["train"]
        self.opt = make_optimizer(net, self.r)
        self.batches = Batches(data, job, device)
        self.gen = torch.Generator().manual_seed(self.t["seed"])
        self.best_val, self.best, self.bad = -1.0, None, 0
        self.val_acc, self.loss, self.acc = -1.0, float("nan"), 0.0
        self.seconds, self.images, self.epoch, self.stop = 0.0, 0, 0, False

    def report(self, step, steps, ips):
        emit("progress", fields(epoch=self.epoch, epochs=self.r["epochs"], step=step, steps=steps,
                                loss=float(self.loss), accuracy=float(self.acc),
                                val_accuracy=float(self.val_acc), images_per_s=float(ips)))

    def sync(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    def run_epoch(self):
        x, y = self.data["train"]
        n, b = len(x), self.r["batch"]
        steps = (n + b - 1) // b
        every = max(steps // 20, 1)
        perm = torch.randperm(n, generator=self.gen).to(self.device)
        loss_sum = torch.zeros((), device=self.device)
        correct = torch.zeros((), dtype=torch.int64, device=self.device)
        self.net.train()
        self.sync()
        t0, seen = time.perf_counter(), 0
        for s in range(steps):
            idx = perm[s * b:(s + 1) * b]
            xb, yb = self.batches.make(x[idx], True, self.gen), y[idx]
            for g in self.opt.param_groups:
                g["lr"] = lr_at(self.r, self.epoch + s / steps)
            logits = self.net(xb)[-1]
            logits = logits.reshape(logits.shape[0], -1)
            loss = F.cross_entropy(logits, yb)
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            self.opt.step()
            loss_sum += loss.detach() * len(idx)
            correct += (logits.detach().argmax(1) == yb).sum()
            seen += len(idx)
            if (s + 1) % every == 0 or s + 1 == steps:
                self.loss, self.acc = loss_sum.item() / seen, correct.item() / seen
                if not math.isfinite(self.loss):  # diverged: more steps only spread NaN
                    log("warn", "loss is not finite at epoch %d step %d: training stopped" % (self.epoch + 1, s + 1))
                    self.stop = True
                    break
                if s + 1 < steps:  # the last step reports after validation
                    self.report(s + 1, steps, seen / (time.perf_counter() - t0))
        self.sync()
        self.seconds += time.perf_counter() - t0
        self.images += seen
        return steps

    def after_epoch(self, steps):
        val_size = max(self.r["batch"], 256)
        if len(self.data["val"][0]):
            self.val_acc, _ = evaluate(self.net, self.batches, self.data["val"], val_size)
            if self.val_acc > self.best_val:
                self.best_val, self.bad = self.val_acc, 0
                self.best = {k: v.detach().clone() for k, v in self.net.tensors().items()}
            else:
                self.bad += 1
                if 0 < self.t["patience"] <= self.bad:
                    log("info", "early stop after epoch %d: validation accuracy %.4f, best %.4f"
                        % (self.epoch, self.val_acc, self.best_val))
                    self.stop = True
        self.report(steps, steps, self.images / self.seconds if self.seconds > 0 else 0.0)

    def fit(self):
        while self.epoch < self.r["epochs"] and not self.stop:
            steps = self.run_epoch()
            self.epoch += 1
            self.after_epoch(steps)
        if self.best is not None:  # the best validated weights, as the native trainer
            with torch.no_grad():
                for k, t in self.net.tensors().items():
                    t.copy_(self.best[k])


def pick_device(name):
    if name == "cpu" or (name == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise JobError("device cuda: torch %s sees no CUDA device (%s)" % (
            torch.__version__, "built without CUDA" if torch.version.cuda is None else "no GPU visible"),
            "einval", "device")
    return torch.device("cuda")


def run(job):
    t = job["train"]
    torch.manual_seed(t["seed"])
    if t["threads"] > 0:
        torch.set_num_threads(t["threads"])
    device = pick_device(t["device"])
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    graph = job["graph"]
    net = Net(graph)
    check_weights(net)
    load_init(net, job["init"])
    check_probe(net, graph, job)
    net.to(device)
    check_shapes(net, graph, device)
    data = load_data(job["data"], device)
    log("info", "torch %s on %s: %d training, %d validation, %d test images" % (
        torch.__version__, torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        len(data["train"][0]), len(data["val"][0]), len(data["test"][0])))
    tr = Trainer(job, net, data, device)
    tr.fit()
    test_acc, _ = evaluate(net, tr.batches, data["test"], max(job["recipe"]["batch"], 256))
    save_weights(net, graph, job["output"], {
        "format": "codebench-pytorch", "version": "1", "graph_hash": graph["hash"],
        "graph_name": graph["name"] or "", "epoch": str(tr.epoch), "best_val": repr(tr.best_val)})
    emit("result", fields(accuracy=float(test_acc), val_accuracy=float(tr.best_val), loss=float(tr.loss),
                          epochs=tr.epoch, seconds=float(tr.seconds),
                          images_per_s=float(tr.images / tr.seconds if tr.seconds > 0 else 0.0),
                          device=device.type))


def main(argv):
    try:
        if len(argv) != 2:
            raise JobError("usage: pytorch_train.py JOB.json", "einval")
        with open(argv[1]) as f:
            job = json.load(f)
        if job.get("format") != JOB_FORMAT:
            raise JobError("%s is not a %s file" % (argv[1], JOB_FORMAT), "einval")
        check_imports()
        run(job)
        return 0
    except JobError as e:
        emit("error", "%s %s %s" % (e.code, e.param, str(e).replace("\n", " ")))
        return 2 if e.code == "einval" else 1
    except Exception as e:  # a bug or the device failing: the traceback goes to stderr
        import traceback
        traceback.print_exc()
        emit("error", "efail - %s: %s" % (type(e).__name__, str(e).replace("\n", " ")[:400]))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
