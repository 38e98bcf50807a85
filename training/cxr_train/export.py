"""ONNX export with the package contract: opset 17, outputs 'score' [N] and 'embedding' [N,D], dynamic batch."""
import torch

from .heads import Scored

OPSET = 17


def export_onnx(net: torch.nn.Module, example: torch.Tensor, path: str, input_name: str = "input") -> None:
    wrapped = Scored(net).eval()
    with torch.no_grad():
        torch.onnx.export(
            wrapped, example, path, opset_version=OPSET, input_names=[input_name],
            output_names=["score", "embedding"],
            dynamic_axes={input_name: {0: "N"}, "score": {0: "N"}, "embedding": {0: "N"}},
            do_constant_folding=True)
