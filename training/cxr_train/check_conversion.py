"""Checks the NuGet ResNet18 conversion against ONNX Runtime: runs the converted network on tensors the C# side
exported and compares with the features C# computed through ONNX Runtime on the same tensors.

  python3 -m cxr_train.check_conversion --tensors DIR --features FILE.npy [--onnx PATH]   (prints the max abs difference)
"""
import argparse

import numpy as np
import torch

from . import data
from .cntk_resnet import load_nuget_resnet18


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--tensors", required=True)
    ap.add_argument("--features", required=True)
    ap.add_argument("--onnx", default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    net = load_nuget_resnet18(a.onnx)
    rows = data.read_index(a.tensors)
    x = torch.stack([torch.from_numpy(data.load_tensor(a.tensors, r)) for r in rows])
    with torch.no_grad():
        ours = net(x).numpy()
    ref = np.load(a.features)
    print(f"max_abs_diff={np.abs(ours - ref).max():.3e} max_abs={np.abs(ref).max():.3e}")


if __name__ == "__main__":
    main()
