"""Exports the benchmark package with the toolkit and times the same network in PyTorch (CPU), batch 1 and 8.

  python3 bench/inference/torch_reference.py OUT_DIR THREADS RUNS [--backbone resnet18]

The network is the toolkit's Classifier (torchvision ResNet18 + 3-layer FC head) with seeded random weights: the cost
of inference does not depend on the weights. Prints "torch batch=B ms=MEDIAN min=MIN" per batch (after warm-up).
Then the same for the lung U-Net (cxr_train.lungseg, one 224×224 grey image, exported as lungs.onnx): "torch unet ...".
"""
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "training"))
import torch  # noqa: E402

from cxr_train import package  # noqa: E402
from cxr_train.backbones import Classifier  # noqa: E402
from cxr_train.export import export_onnx  # noqa: E402
from cxr_train.heads import Scored  # noqa: E402
from cxr_train.lungseg import LungUNet, export_onnx as export_lungs  # noqa: E402
from torchvision.models.resnet import BasicBlock, ResNet  # noqa: E402


def main():
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")  # the exporter's shape-inference notes
    out, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    name = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--backbone" else "resnet18"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    net = Classifier(name).eval()
    os.makedirs(out, exist_ok=True)
    export_onnx(net, torch.zeros(1, 3, 224, 224), os.path.join(out, "model.onnx"))
    package.write_manifest(out, package.manifest(f"bench-{name}", "0.0.0", "benchmark only (random weights)",
                                                 [{"file": "model.onnx"}]))
    scored = Scored(net).eval()
    g = torch.Generator().manual_seed(0)
    for batch in (1, 8):
        x = torch.rand(batch, 3, 224, 224, generator=g) * 255 - 115
        print(f"torch batch={batch} {timed(scored, x, runs)}", flush=True)
    unet = LungUNet(ResNet(BasicBlock, [2, 2, 2, 3])).eval()
    export_lungs(unet, os.path.join(out, "lungs.onnx"), 224)
    print(f"torch unet {timed(unet, torch.rand(1, 1, 224, 224, generator=g), runs)}", flush=True)


def timed(net, x, runs):
    """'ms=MEDIAN min=MIN' of runs forward passes after 5 warm-up ones."""
    with torch.no_grad():
        for _ in range(5):
            net(x)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return f"ms={times[len(times) // 2]:.2f} min={times[0]:.2f}"


if __name__ == "__main__":
    main()
