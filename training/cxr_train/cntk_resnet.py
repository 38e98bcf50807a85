"""The NuGet ImageNet ResNet18 (CNTK export, ONNX opset 8) as a torchvision ResNet with [2,2,2,3] basic blocks.

Weights are paired by graph order: each BatchNormalization with the Conv feeding it; within a block CNTK puts the 1×1
downsample conv before conv1/conv2, so a block's 1×1 kernel is taken as its downsample whatever its position.
"""
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn
from torchvision.models.resnet import BasicBlock, ResNet

NUGET_RELATIVE = "microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx"


def default_path() -> str:
    root = os.environ.get("NUGET_PACKAGES", os.path.expanduser("~/.nuget/packages"))
    return os.path.join(root, NUGET_RELATIVE)


def _conv_bn_pairs(model):
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    conv_by_output = {}
    pairs = []
    for node in model.graph.node:
        if node.op_type == "Conv":
            conv_by_output[node.output[0]] = node
        elif node.op_type == "BatchNormalization":
            conv = conv_by_output[node.input[0]]
            eps = next((a.f for a in node.attribute if a.name == "epsilon"), 1e-5)
            pairs.append({
                "w": init[conv.input[1]], "b": init[conv.input[2]] if len(conv.input) > 2 else None,
                "gamma": init[node.input[1]], "beta": init[node.input[2]],
                "mean": init[node.input[3]], "var": init[node.input[4]], "eps": eps,
            })
    return pairs


def _assign(conv: nn.Conv2d, bn: nn.BatchNorm2d, p):
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(p["w"])))
        if p["b"] is not None and np.any(p["b"]):
            raise ValueError("conv with bias: not the expected CNTK ResNet18 layout")
        for name in ("gamma", "beta", "mean", "var"):
            p[name] = np.asarray(p[name], dtype=np.float32).reshape(-1)
        bn.weight.copy_(torch.from_numpy(p["gamma"]))
        bn.bias.copy_(torch.from_numpy(p["beta"]))
        bn.running_mean.copy_(torch.from_numpy(p["mean"]))
        bn.running_var.copy_(torch.from_numpy(p["var"]))
        bn.eps = float(p["eps"])


def load_nuget_resnet18(path: str | None = None) -> nn.Module:
    model = onnx.load(path or default_path())
    pairs = _conv_bn_pairs(model)
    net = ResNet(BasicBlock, [2, 2, 2, 3])
    net.fc = nn.Identity()
    it = iter(pairs)
    _assign(net.conv1, net.bn1, next(it))
    for layer in (net.layer1, net.layer2, net.layer3, net.layer4):
        for block in layer:
            group = [next(it) for _ in range(3 if block.downsample is not None else 2)]
            if block.downsample is not None:
                down = next(p for p in group if p["w"].shape[-1] == 1)
                group = [p for p in group if p is not down]
                _assign(block.downsample[0], block.downsample[1], down)
            _assign(block.conv1, block.bn1, group[0])
            _assign(block.conv2, block.bn2, group[1])
    if next(it, None) is not None:
        raise ValueError("more conv/BN pairs than a [2,2,2,3] ResNet18 has")
    return net.eval()
