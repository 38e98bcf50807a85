"""ONNX export with the package contract: opset 17, outputs 'score' [N] and 'embedding' [N,D], dynamic batch.

fp16=True stores the large weights as float16 with a Cast to float32 in front (half the file; ONNX Runtime folds the
casts at load and computes in float32). Call store_weights_fp16 on the net first, so that PyTorch computes with exactly
the weights the file holds.
"""
import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from .heads import Scored

OPSET = 17
FP16_MIN_ELEMENTS = 1024


def export_onnx(net: torch.nn.Module, example: torch.Tensor, path: str, input_name: str = "input",
                fp16: bool = False) -> None:
    wrapped = Scored(net).eval()
    with torch.no_grad():
        torch.onnx.export(
            wrapped, example, path, opset_version=OPSET, input_names=[input_name],
            output_names=["score", "embedding"],
            dynamic_axes={input_name: {0: "N"}, "score": {0: "N"}, "embedding": {0: "N"}},
            do_constant_folding=True)
    if fp16:
        model = onnx.load(path)
        _initializers_to_fp16(model.graph)
        onnx.checker.check_model(model)
        onnx.save(model, path)


def store_weights_fp16(net: nn.Module) -> None:
    """In place: folds every eval-mode BatchNorm into the conv before it (as the ONNX export would) and rounds each
    tensor of at least FP16_MIN_ELEMENTS values to float16, so PyTorch and the fp16 file compute the same."""
    for module in list(net.modules()):
        for conv_name, bn_name in (("conv1", "bn1"), ("conv2", "bn2")):
            conv, bn = getattr(module, conv_name, None), getattr(module, bn_name, None)
            if isinstance(conv, nn.Conv2d) and isinstance(bn, nn.BatchNorm2d):
                setattr(module, conv_name, fuse_conv_bn_eval(conv.eval(), bn.eval()))
                setattr(module, bn_name, nn.Identity())
        down = getattr(module, "downsample", None)
        if isinstance(down, nn.Sequential) and len(down) == 2 and isinstance(down[1], nn.BatchNorm2d):
            module.downsample = nn.Sequential(fuse_conv_bn_eval(down[0].eval(), down[1].eval()))
    with torch.no_grad():
        for p in net.parameters():
            if p.numel() >= FP16_MIN_ELEMENTS:
                p.copy_(p.half().float())


def _initializers_to_fp16(graph) -> None:
    casts = []
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT or int(np.prod(init.dims)) < FP16_MIN_ELEMENTS:
            continue
        values = numpy_helper.to_array(init)
        half = values.astype(np.float16)
        name = init.name
        init.CopyFrom(numpy_helper.from_array(half, name + "_fp16"))
        casts.append(helper.make_node("Cast", [name + "_fp16"], [name], to=onnx.TensorProto.FLOAT, name="cast_" + name))
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
