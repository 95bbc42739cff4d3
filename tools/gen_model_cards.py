#!/usr/bin/env python3
"""tools/gen_model_cards.py: writes the ImageNet model cards in examples/models/ from compact
descriptions of the published architectures (the cards are long, flat layer lists: writing them
by hand invites typos). Run it from the repository root after changing a description:

    python3 tools/gen_model_cards.py

Each description follows the reference implementation whose parameter count is quoted in the
card's header (torchvision for most, Keras for Xception), as far as the std op pack allows;
every approximation is stated in the header. Layer semantics: docs/ops.md; card format:
docs/model-cards.md.
"""
import os
import sys

OUT = "examples/models"


class Card:
    def __init__(self, name, header, hw=224, classes=1000):
        self.name, self.header, self.hw, self.classes = name, header, hw, classes
        self.lines, self.last, self.names = [], "input", set()

    def add(self, name, op, attrs=None, inputs=None):
        assert name not in self.names, name
        self.names.add(name)
        parts = [f"name: {name}", f"op: {op}"]
        if attrs:
            parts.append("attrs: {" + ", ".join(f"{k}: {v}" for k, v in attrs.items()) + "}")
        if inputs is not None and inputs != [self.last]:
            parts.append("inputs: [" + ", ".join(inputs) + "]")
        self.lines.append("  - {" + ", ".join(parts) + "}")
        self.last = name
        return name

    def conv(self, name, cout, k, s=1, p=None, groups=None, act="relu", bn=True, bias=False, inputs=None):
        a = {"out_channels": cout, "kernel": k}
        if s != 1:
            a["stride"] = s
        if p is not None:
            a["padding"] = p
        if groups:
            a["groups"] = groups
        if act != "relu":
            a["activation"] = act
        if not bn:
            a["batchnorm"] = "false"
        if bias:
            a["bias"] = "true"
        return self.add(name, "conv2d", a, inputs)

    def write(self):
        path = os.path.join(OUT, self.name + ".yaml")
        with open(path, "w") as f:
            for line in self.header.strip().splitlines():
                f.write("# " + line.strip() + "\n" if line.strip() else "#\n")
            f.write(f"name: {self.name}\n")
            f.write(f"input: {{channels: 3, height: {self.hw}, width: {self.hw}}}\n")
            f.write(f"classes: {self.classes}\n")
            f.write("layers:\n")
            f.write("\n".join(self.lines) + "\n")
        print(path, len(self.lines), "layers")


def alexnet():
    c = Card("alexnet", """
        AlexNet (Krizhevsky et al. 2012) as torchvision builds it (one tower, 64-192-384-256-256
        channels): 61,100,840 parameters at 224x224, 1000 classes. Convolutions have biases and
        no batch-norm; torchvision's adaptive average pool to 6x6 is the identity at 224x224 and
        is left out. No local response normalisation (torchvision has none either).""")
    c.conv("conv1", 64, 11, 4, 2, bn=False, bias=True)
    c.add("pool1", "maxpool", {"kernel": 3, "stride": 2})
    c.conv("conv2", 192, 5, 1, 2, bn=False, bias=True)
    c.add("pool2", "maxpool", {"kernel": 3, "stride": 2})
    c.conv("conv3", 384, 3, 1, 1, bn=False, bias=True)
    c.conv("conv4", 256, 3, 1, 1, bn=False, bias=True)
    c.conv("conv5", 256, 3, 1, 1, bn=False, bias=True)
    c.add("pool5", "maxpool", {"kernel": 3, "stride": 2})
    c.add("flat", "flatten")
    c.add("drop6", "dropout", {"p": 0.5})
    c.add("fc6", "dense", {"units": 4096})
    c.add("drop7", "dropout", {"p": 0.5})
    c.add("fc7", "dense", {"units": 4096})
    c.add("fc8", "dense", {"classes": 1000})
    return c


def vgg(depth, count):
    cfg = {16: [2, 2, 3, 3, 3], 19: [2, 2, 4, 4, 4]}[depth]
    c = Card(f"vgg{depth}", f"""
        VGG-{depth} (Simonyan and Zisserman 2015), configuration {'D' if depth == 16 else 'E'}, as torchvision builds it
        without batch-norm: {count} parameters at 224x224, 1000 classes. Approximation: the
        2x2 stride-2 max-pools are 3x3 stride-2 pools with padding 1 (the op set's windows are
        3x3 and 5x5); on these even sizes they give the same output sizes, and pools have no
        parameters or MACs.""")
    for stage, (n, ch) in enumerate(zip(cfg, [64, 128, 256, 512, 512]), 1):
        for i in range(1, n + 1):
            c.conv(f"conv{stage}_{i}", ch, 3, 1, 1, bn=False, bias=True)
        c.add(f"pool{stage}", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    c.add("flat", "flatten")
    c.add("fc6", "dense", {"units": 4096})
    c.add("drop6", "dropout", {"p": 0.5})
    c.add("fc7", "dense", {"units": 4096})
    c.add("drop7", "dropout", {"p": 0.5})
    c.add("fc8", "dense", {"classes": 1000})
    return c


def resnet(name, blocks, bottleneck, count, macs):
    c = Card(name, f"""
        {name.replace('resnet', 'ResNet-').replace('_imagenet', '')} (He et al. 2016) for ImageNet as torchvision builds it
        (v1.5: a bottleneck's stride sits on its 3x3 convolution): {count} parameters and about
        {macs} multiply-accumulates at 224x224, 1000 classes. Batch-norm follows every convolution;
        ReLU follows each residual add; a 1x1 projection with batch-norm where a stage starts.""")
    c.conv("stem", 64, 7, 2, 3)
    x = c.add("pool", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    cin = 64
    for stage, (n, width) in enumerate(zip(blocks, [64, 128, 256, 512]), 1):
        cout = width * 4 if bottleneck else width
        for b in range(1, n + 1):
            s = 2 if b == 1 and stage > 1 else 1
            p = f"s{stage}b{b}"
            if bottleneck:
                c.conv(p + "c1", width, 1, inputs=[x])
                c.conv(p + "c2", width, 3, s)
                y = c.conv(p + "c3", cout, 1, act="none")
            else:
                c.conv(p + "c1", width, 3, s, inputs=[x])
                y = c.conv(p + "c2", width, 3, act="none")
            short = x
            if s != 1 or cin != cout:
                short = c.conv(p + "proj", cout, 1, s, act="none", inputs=[x])
            c.add(p + "add", "add", inputs=[y, short])
            x = c.add(p + "relu", "relu")
            cin = cout
    c.add("gap", "global_avgpool")
    c.add("fc", "dense", {"classes": 1000})
    return c


def mobilenet_v2():
    c = Card("mobilenet_v2_imagenet", """
        MobileNet-V2 (Sandler et al. 2018) for ImageNet as torchvision builds it (width 1.0):
        3,504,872 parameters and about 300 M multiply-accumulates at 224x224, 1000 classes.
        Inverted residual blocks: 1x1 expansion (x t, absent for t = 1), 3x3 depth-wise, linear
        1x1 projection, an add where stride and width allow; a 1x1 convolution to 1280, global
        average pooling, dropout 0.2 and the classifier. Approximation: ReLU for ReLU6 (the op set
        has ReLU and SiLU; counts are unchanged).""")
    x = c.conv("stem", 32, 3, 2)
    cin, blk = 32, 0
    for t, ch, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            blk += 1
            stride = s if i == 0 else 1
            p = f"b{blk}"
            hidden = cin * t
            if t != 1:
                c.conv(p + "e", hidden, 1, inputs=[x])
                c.conv(p + "d", hidden, 3, stride, groups="dw")
            else:
                c.conv(p + "d", hidden, 3, stride, groups="dw", inputs=[x])
            y = c.conv(p + "p", ch, 1, act="none")
            if stride == 1 and cin == ch:
                y = c.add(p + "add", "add", inputs=[y, x])
            x, cin = y, ch
    c.conv("last", 1280, 1)
    c.add("gap", "global_avgpool")
    c.add("drop", "dropout", {"p": 0.2})
    c.add("fc", "dense", {"classes": 1000})
    return c


def googlenet():
    c = Card("googlenet", """
        GoogLeNet (Szegedy et al. 2015) as torchvision builds it, without the auxiliary
        classifiers: 6,624,904 parameters at 224x224, 1000 classes. Every convolution has
        batch-norm (torchvision's BasicConv2d). As in torchvision, the "5x5" branch of each
        inception module uses a 3x3 kernel. Approximations: the ceil-mode 3x3 stride-2
        max-pools are floor-mode pools with padding 1 (the same sizes here); no local response
        normalisation.""")
    c.conv("conv1", 64, 7, 2, 3)
    c.add("pool1", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    c.conv("conv2", 64, 1)
    c.conv("conv3", 192, 3, 1, 1)
    x = c.add("pool2", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    spec = {"3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64), "4a": (192, 96, 208, 16, 48, 64),
            "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64), "4d": (112, 144, 288, 32, 64, 64),
            "4e": (256, 160, 320, 32, 128, 128), "5a": (256, 160, 320, 32, 128, 128),
            "5b": (384, 192, 384, 48, 128, 128)}
    for name, (a, b_red, b, c_red, cc, d) in spec.items():
        p = "i" + name
        b1 = c.conv(p + "_1x1", a, 1, inputs=[x])
        c.conv(p + "_3x3r", b_red, 1, inputs=[x])
        b2 = c.conv(p + "_3x3", b, 3, 1, 1)
        c.conv(p + "_5x5r", c_red, 1, inputs=[x])
        b3 = c.conv(p + "_5x5", cc, 3, 1, 1)
        c.add(p + "_pool", "maxpool", {"kernel": 3, "stride": 1, "padding": 1}, inputs=[x])
        b4 = c.conv(p + "_proj", d, 1)
        x = c.add(p, "concat", inputs=[b1, b2, b3, b4])
        if name in ("3b", "4e"):
            x = c.add("pool_" + name, "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    c.add("gap", "global_avgpool")
    c.add("drop", "dropout", {"p": 0.2})
    c.add("fc", "dense", {"classes": 1000})
    return c


def densenet121():
    c = Card("densenet121", """
        DenseNet-121 (Huang et al. 2017) as torchvision builds it (growth 32, bottleneck 4x,
        compression 0.5, blocks of 6, 12, 24, 16 layers): 7,978,856 parameters at 224x224, 1000
        classes. Each dense layer is batch-norm, ReLU, 1x1 convolution to 128 with batch-norm
        and ReLU fused, then a 3x3 convolution to 32; its output is concatenated to its input.
        Approximation: the transitions' 2x2 stride-2 average pools are 3x3 stride-2 pools with
        padding 1 (the op set's windows): the same sizes and parameters, about 9/4 the pooling
        MACs.""")
    c.conv("conv0", 64, 7, 2, 3)
    x = c.add("pool0", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    ch = 64
    for blk, n in enumerate([6, 12, 24, 16], 1):
        for i in range(1, n + 1):
            p = f"d{blk}_{i}"
            c.add(p + "bn", "batchnorm", inputs=[x])
            c.add(p + "relu", "relu")
            c.conv(p + "c1", 128, 1)
            y = c.conv(p + "c2", 32, 3, 1, 1, act="none", bn=False)
            x = c.add(p + "cat", "concat", inputs=[x, y])
            ch += 32
        if blk < 4:
            p = f"t{blk}"
            c.add(p + "bn", "batchnorm")
            c.add(p + "relu", "relu")
            ch //= 2
            c.conv(p + "conv", ch, 1, act="none", bn=False)
            x = c.add(p + "pool", "avgpool", {"kernel": 3, "stride": 2, "padding": 1})
    c.add("bn5", "batchnorm")
    c.add("relu5", "relu")
    c.add("gap", "global_avgpool")
    c.add("fc", "dense", {"classes": 1000})
    return c


def squeezenet():
    c = Card("squeezenet", """
        SqueezeNet 1.1 (Iandola et al. 2016; the v1.1 of the authors' repository) as torchvision
        builds it: 1,235,496 parameters at 224x224, 1000 classes. Convolutions have biases and
        no batch-norm; fire modules squeeze with a 1x1 convolution and expand with 1x1 and 3x3
        convolutions, concatenated. The classifier is dropout, a 1x1 convolution to 1000
        channels with ReLU and global average pooling, whose output is the logits.
        Approximation: ceil-mode max-pools are floor-mode (the same sizes here: 111, 55, 27).""")
    c.conv("conv1", 64, 3, 2, 0, bn=False, bias=True)
    x = c.add("pool1", "maxpool", {"kernel": 3, "stride": 2})
    fires = [(16, 64), (16, 64), "pool", (32, 128), (32, 128), "pool", (48, 192), (48, 192), (64, 256), (64, 256)]
    k = 1
    for f in fires:
        if f == "pool":
            x = c.add(f"pool{k}", "maxpool", {"kernel": 3, "stride": 2})
            continue
        k += 1
        s, e = f
        p = f"fire{k}"
        c.conv(p + "_s", s, 1, bn=False, bias=True, inputs=[x])
        a = c.conv(p + "_e1", e, 1, bn=False, bias=True)
        b = c.conv(p + "_e3", e, 3, 1, 1, bn=False, bias=True, inputs=[p + "_s"])
        x = c.add(p, "concat", inputs=[a, b])
    c.add("drop", "dropout", {"p": 0.5})
    c.conv("conv10", 1000, 1, bn=False, bias=True)
    c.add("gap", "global_avgpool")
    return c


def shufflenet():
    c = Card("shufflenet", """
        ShuffleNet 1x with g = 8 groups (Zhang et al. 2018, Table 1): 224x224, 1000 classes;
        stages of 4, 8 and 4 units with 384, 768 and 1536 output channels. A unit is a grouped
        1x1 convolution to a quarter of its output width (the first unit of stage 2 ungrouped,
        its input has 24 channels), channel shuffle, a 3x3 depth-wise convolution (no ReLU), a
        grouped 1x1 convolution (no ReLU), then an add with its input, or, when it halves the
        resolution, a concatenation with a 3x3 stride-2 average pool of its input; ReLU after.
        Batch-norm follows every convolution. The paper gives no exact parameter count (about
        1.8-2.5 M in public implementations); tests/unit/graph_cards.c checks this card's own.""")
    c.conv("stem", 24, 3, 2)
    x = c.add("pool", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    cin = 24
    for stage, (n, cout) in enumerate(zip([4, 8, 4], [384, 768, 1536]), 2):
        for u in range(1, n + 1):
            p = f"s{stage}u{u}"
            stride = 2 if u == 1 else 1
            branch = cout - cin if stride == 2 else cout
            mid = cout // 4
            g = None if (stage == 2 and u == 1) else 8
            c.conv(p + "g1", mid, 1, groups=g, inputs=[x])
            c.add(p + "shuf", "channel_shuffle", {"groups": 8})
            c.conv(p + "dw", mid, 3, stride, groups="dw", act="none")
            y = c.conv(p + "g2", branch, 1, groups=8, act="none")
            if stride == 2:
                sc = c.add(p + "avg", "avgpool", {"kernel": 3, "stride": 2, "padding": 1}, inputs=[x])
                c.add(p + "cat", "concat", inputs=[y, sc])
            else:
                c.add(p + "add", "add", inputs=[y, x])
            x = c.add(p + "relu", "relu")
            cin = cout
    c.add("gap", "global_avgpool")
    c.add("fc", "dense", {"classes": 1000})
    return c


def xception():
    c = Card("xception", """
        Xception (Chollet 2017) as Keras builds it: 299x299, 1000 classes, 22,855,952 trainable
        parameters. A separable convolution is a 3x3 depth-wise convolution without batch-norm
        or activation followed by a 1x1 convolution with batch-norm (Keras SeparableConv2D then
        BatchNormalization); ReLUs stand where Keras puts them (before most separable
        convolutions); residual 1x1 stride-2 convolutions with batch-norm in the entry and exit
        flows. Keras's 3x3 stride-2 "same" max-pools are pools with padding 1 (the same sizes).""", hw=299)

    def sep(name, cin, cout, relu_before, inputs=None):
        if relu_before:
            c.add(name + "_relu", "relu", inputs=inputs)
            inputs = None
        c.conv(name + "_dw", cin, 3, 1, "same", groups="dw", act="none", bn=False, inputs=inputs)
        return c.conv(name + "_pw", cout, 1, act="none")

    c.conv("conv1", 32, 3, 2, 0)
    x = c.conv("conv2", 64, 3, 1, 0)
    cin = 64
    for blk, (cout, first_relu) in enumerate([(128, False), (256, True), (728, True)], 2):
        p = f"b{blk}"
        res = c.conv(p + "_res", cout, 1, 2, 0, act="none", inputs=[x])
        sep(p + "_s1", cin, cout, first_relu, inputs=[x])
        sep(p + "_s2", cout, cout, True)
        y = c.add(p + "_pool", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
        x = c.add(p + "_add", "add", inputs=[y, res])
        cin = cout
    for blk in range(5, 13):
        p = f"b{blk}"
        sep(p + "_s1", 728, 728, True, inputs=[x])
        sep(p + "_s2", 728, 728, True)
        y = sep(p + "_s3", 728, 728, True)
        x = c.add(p + "_add", "add", inputs=[y, x])
    res = c.conv("b13_res", 1024, 1, 2, 0, act="none", inputs=[x])
    sep("b13_s1", 728, 728, True, inputs=[x])
    sep("b13_s2", 728, 1024, True)
    y = c.add("b13_pool", "maxpool", {"kernel": 3, "stride": 2, "padding": 1})
    x = c.add("b13_add", "add", inputs=[y, res])
    sep("b14_s1", 1024, 1536, False, inputs=[x])
    c.add("b14_s1_out", "relu")
    sep("b14_s2", 1536, 2048, False)
    c.add("b14_s2_out", "relu")
    c.add("gap", "global_avgpool")
    c.add("fc", "dense", {"classes": 1000})
    return c


def efficientnet_b0():
    c = Card("efficientnet_b0", """
        EfficientNet-B0 (Tan and Le 2019) at 224x224, 1000 classes: MBConv blocks (1x1
        expansion x6, depth-wise 3x3 or 5x5, linear 1x1 projection, an add where stride and
        width allow) with SiLU and batch-norm, a 1x1 convolution to 1280, global average
        pooling, dropout 0.2 and the classifier. Approximation: no squeeze-and-excitation (the
        op set has no channel-wise multiply) and no stochastic depth, so the card has fewer
        parameters than the published 5.3 M (5,288,548 in torchvision).""")
    x = c.conv("stem", 32, 3, 2, act="silu")
    cin, blk = 32, 0
    for t, k, ch, n, s in [(1, 3, 16, 1, 1), (6, 3, 24, 2, 2), (6, 5, 40, 2, 2), (6, 3, 80, 3, 2), (6, 5, 112, 3, 1),
                           (6, 5, 192, 4, 2), (6, 3, 320, 1, 1)]:
        for i in range(n):
            blk += 1
            stride = s if i == 0 else 1
            p = f"b{blk}"
            hidden = cin * t
            if t != 1:
                c.conv(p + "e", hidden, 1, act="silu", inputs=[x])
                c.conv(p + "d", hidden, k, stride, groups="dw", act="silu")
            else:
                c.conv(p + "d", hidden, k, stride, groups="dw", act="silu", inputs=[x])
            y = c.conv(p + "p", ch, 1, act="none")
            if stride == 1 and cin == ch:
                y = c.add(p + "add", "add", inputs=[y, x])
            x, cin = y, ch
    c.conv("last", 1280, 1, act="silu")
    c.add("gap", "global_avgpool")
    c.add("drop", "dropout", {"p": 0.2})
    c.add("fc", "dense", {"classes": 1000})
    return c


def main():
    if not os.path.isdir(OUT):
        sys.exit("run from the repository root")
    cards = [alexnet(), vgg(16, "138,357,544"), vgg(19, "143,667,240"),
             resnet("resnet18_imagenet", [2, 2, 2, 2], False, "11,689,512", "1.8 G"),
             resnet("resnet50", [3, 4, 6, 3], True, "25,557,032", "4.1 G"),
             resnet("resnet101", [3, 4, 23, 3], True, "44,549,160", "7.8 G"),
             mobilenet_v2(), googlenet(), densenet121(), squeezenet(), shufflenet(), xception(), efficientnet_b0()]
    for card in cards:
        card.write()


if __name__ == "__main__":
    main()
