"""The lung U-Net: trains on `cxr-agent export-lung-masks` output, measures held-out Dice by patient, exports ONNX.

Encoder: the stem and the first two residual stages of the NuGet ImageNet ResNet18 (cntk_resnet.py), frozen — with a
handful of masks, only ImageNet features generalise (a third stage measured no better: held-out Dice 0.970 vs 0.969
on the first lungseg-demo fold, at twice the size). Decoder: upsample, concatenate the skip, two 3×3 conv-BN-ReLU, down
to the input resolution, then a 1×1 conv and a sigmoid. Input [N,1,H,W] is the C# preprocessing's model image in [0,1]
(what OnnxLungSegmenter feeds); the graph itself repeats it into the three channels and applies the backbone's
0-255 minus BGR mean convention. Output [N,1,H,W]: lung probability.

    /usr/bin/python3 -m cxr_train.lungseg --data EXPORT [--pairs CSV] [--data EXPORT2 --pairs CSV2 ...] \
        --out PACKAGE [--iterations 800] [--folds 5 --record cv.json]

`--out` receives lungs.onnx; a model.json there gets a `lung_segmenter` entry (file, architecture, training settings
and, with --folds, the held-out Dice per set), which makes the C# runtime use the U-Net instead of the classical
segmenter. `--pairs` names the CSV each export came from (patient_id and view columns: lungsets.py), so the folds are
patient-level and the Dice is reported per set and per view.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import lungsets, package
from .cntk_resnet import load_nuget_resnet18

BGR_MEAN = (103.1, 115.9, 123.2)


def _block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class LungUNet(nn.Module):
    """Frozen ResNet18 stem, layer1 and layer2 (strides 2, 4, 8) and a trained decoder (1.2 M weights in all)."""

    def __init__(self, encoder: nn.Module | None = None):
        super().__init__()
        r = encoder if encoder is not None else load_nuget_resnet18()
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu)
        self.pool = r.maxpool
        self.layer1, self.layer2 = r.layer1, r.layer2
        for p in self.encoder_parameters():
            p.requires_grad = False
        self.register_buffer("mean", torch.tensor(BGR_MEAN).view(1, 3, 1, 1))
        self.bridge = _block(128, 128)
        self.up1 = _block(128 + 64, 64)
        self.up0 = _block(64 + 64, 32)
        self.full = _block(32 + 1, 16)
        self.head = nn.Conv2d(16, 1, 1)

    def encoder_parameters(self):
        for m in (self.stem, self.layer1, self.layer2):
            yield from m.parameters()

    def train(self, mode: bool = True):
        # The encoder keeps its ImageNet batch statistics: batches of a few images would wreck them.
        super().train(mode)
        for m in (self.stem, self.layer1, self.layer2):
            m.eval()
        return self

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        z = x.expand(-1, 3, -1, -1) * 255.0 - self.mean
        c0 = self.stem(z)
        c1 = self.layer1(self.pool(c0))
        d = self.bridge(self.layer2(c1))
        d = self.up1(torch.cat([_up(d, c1), c1], 1))
        d = self.up0(torch.cat([_up(d, c0), c0], 1))
        d = self.full(torch.cat([_up(d, x), x], 1))
        return self.head(d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.logits(x))


def _up(x: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return F.interpolate(x, size=like.shape[-2:], mode="bilinear", align_corners=False)


def augment(x: torch.Tensor, m: torch.Tensor, g: torch.Generator):
    """Random affine (rotate ±10°, scale ±15 % per axis, shear ±5°, shift ±8 %) on image and mask together; gamma
    0.67–1.5, contrast ±15 %, brightness ±0.08 on the image. No flips: the heart's side shapes the lungs."""
    n = x.shape[0]

    def uniform(scale):
        return (torch.rand(n, generator=g) * 2 - 1) * scale

    angle, shear = uniform(math.radians(10)), uniform(math.radians(5))
    sx, sy = 1 + uniform(0.15), 1 + uniform(0.15)
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1], theta[:, 0, 2] = cos / sx, (shear - sin) / sx, uniform(0.08)
    theta[:, 1, 0], theta[:, 1, 1], theta[:, 1, 2] = sin / sy, cos / sy, uniform(0.08)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, padding_mode="zeros", align_corners=False)
    m = F.grid_sample(m, grid, padding_mode="zeros", align_corners=False)
    gamma = torch.exp(uniform(math.log(1.5))).view(n, 1, 1, 1)
    contrast, brightness = (1 + uniform(0.15)).view(n, 1, 1, 1), uniform(0.08).view(n, 1, 1, 1)
    x = (x.clamp(0, 1) ** gamma * contrast + brightness).clamp(0, 1)
    return x, (m > 0.5).float()


def dice(prob: torch.Tensor, target: torch.Tensor) -> float:
    """Dice of the map thresholded at 0.5 (as the C# tests measure it)."""
    p, t = prob >= 0.5, target >= 0.5
    total = p.sum().item() + t.sum().item()
    return 1.0 if total == 0 else 2.0 * (p & t).sum().item() / total


def train(images: torch.Tensor, masks: torch.Tensor, iterations: int, batch: int = 8, seed: int = 0,
          log=print, probe=None) -> LungUNet:
    """Adam 1e-3 on BCE + soft Dice over augmented batches drawn with replacement. probe(iteration, net) is called
    every 200 iterations (e.g. to follow held-out Dice)."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    net = LungUNet().train()
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, iterations)
    for it in range(iterations):
        idx = torch.randint(0, images.shape[0], (batch,), generator=g)
        x, m = augment(images[idx], masks[idx], g)
        logits = net.logits(x)
        p = torch.sigmoid(logits)
        soft_dice = (2 * (p * m).sum() + 1) / (p.sum() + m.sum() + 1)
        loss = F.binary_cross_entropy_with_logits(logits, m) + 1 - soft_dice
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if log and (it + 1) % 50 == 0:
            log(f"  iteration {it + 1}/{iterations}: loss {loss.item():.4f}")
        if probe and (it + 1) % 200 == 0 and it + 1 < iterations:
            probe(it + 1, net.eval())
            net.train()
    return net.eval()


def predict_dice(net: LungUNet, images, masks) -> list[float]:
    with torch.no_grad():
        return [dice(net(images[i:i + 1]), masks[i:i + 1]) for i in range(images.shape[0])]


def cross_validate(images, masks, films, k: int, iterations: int, batch: int, seed: int = 0, log=print, save=None):
    """Held-out Dice of every film from the net of the fold that left its patient out. save(folds, dices) is called
    after each fold, so a long run keeps what it measured."""
    folds = lungsets.patient_folds(films, k, seed)
    dices = [float("nan")] * len(films)
    for fold in range(k):
        held = [i for i in range(len(films)) if folds[i] == fold]
        keep = [i for i in range(len(films)) if folds[i] != fold]
        start = time.time()
        probe = lambda it, net: log(f"  fold {fold + 1} iteration {it}: held-out Dice "
                                    f"{np.mean(predict_dice(net, images[held], masks[held])):.4f}")
        net = train(images[keep], masks[keep], iterations, batch, seed=seed + fold, log=None, probe=probe)
        for i, d in zip(held, predict_dice(net, images[held], masks[held])):
            dices[i] = d
        log(f"fold {fold + 1}/{k}: {len(held)} held-out films, {len({films[i].patient for i in held})} patients, "
            f"Dice {np.mean([dices[i] for i in held]):.4f} ({time.time() - start:.0f} s)")
        if save:
            save(folds, dices)
    return folds, dices


def export_onnx(net: LungUNet, path: str, size: int) -> None:
    """ONNX opset 17, input 'image' [N,1,S,S], output 'lungs' [N,1,S,S]; the batch is dynamic, the size fixed."""
    dummy = torch.zeros(1, 1, size, size)
    torch.onnx.export(net.eval(), dummy, path, opset_version=17, input_names=["image"], output_names=["lungs"],
                      dynamic_axes={"image": {0: "n"}, "lungs": {0: "n"}})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, action="append", help="output folder of cxr-agent export-lung-masks (repeatable)")
    ap.add_argument("--pairs", action="append", help="the CSV each --data was exported from, in the same order "
                    "(patient_id and view columns make the folds patient-level and the report per view)")
    ap.add_argument("--dataset", help="what the masks are, in words, for model.json (default: the --data paths)")
    ap.add_argument("--out", required=True, help="model package folder: writes lungs.onnx and records it in model.json")
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--folds", type=int, default=0, help="then measure held-out Dice with this many patient-level folds")
    ap.add_argument("--record", help="write the cross-validation (every film's held-out Dice and the summary) here (JSON)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--reference", help="also write PyTorch's probabilities on the training images here (JSON), for parity tests")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    images, masks, films = lungsets.read_sets(args.data, args.pairs)
    record = {"file": "lungs.onnx", "architecture": "U-Net, frozen NuGet ImageNet ResNet18 stem+layer1-2 encoder",
              "training": {"data": args.dataset or ", ".join(os.path.abspath(d) for d in args.data),
                           "n": int(images.shape[0]), "patients": len({f.patient for f in films}),
                           "iterations": args.iterations, "batch": args.batch, "optimizer": "Adam 1e-3, cosine",
                           "loss": "BCE + soft Dice", "seed": args.seed,
                           "augmentation": "affine (rotate 10°, scale 15 %, shear 5°, shift 8 %), gamma, contrast, brightness"}}
    # The shipped net first, so that a long cross-validation never holds it up.
    start = time.time()
    net = train(images, masks, args.iterations, args.batch, seed=args.seed)
    record["training"]["seconds"] = round(time.time() - start)
    os.makedirs(args.out, exist_ok=True)
    export_onnx(net, os.path.join(args.out, "lungs.onnx"), images.shape[-1])
    _record(args.out, record)
    print(f"wrote {os.path.join(args.out, 'lungs.onnx')} ({record['training']['seconds']} s)", flush=True)
    if args.reference:
        with torch.no_grad():
            probabilities = net(images)
        with open(args.reference, "w") as f:
            json.dump({"shape": list(probabilities.shape), "probabilities": probabilities.flatten().tolist()}, f)
    if args.folds:
        def save(folds, dices):
            cv = {"folds": args.folds, "split": "patient-level", "seed": args.seed,
                  "films": [{"set": f.set, "image": os.path.basename(f.image), "patient": f.patient, "view": f.view,
                             "fold": int(k) + 1, "dice": None if math.isnan(d) else round(d, 4)}
                            for f, k, d in zip(films, folds, dices)]}
            done = [i for i, d in enumerate(dices) if not math.isnan(d)]
            cv["summary"] = lungsets.summarize([films[i] for i in done], folds[done], [dices[i] for i in done])
            if args.record:
                with open(args.record, "w") as f:
                    json.dump(cv, f, indent=1)
                    f.write("\n")
            return cv
        folds, dices = cross_validate(images, masks, films, args.folds, args.iterations, args.batch, args.seed,
                                      save=save)
        cv = save(folds, dices)
        record["held_out_dice"] = {"folds": args.folds, "split": "patient-level", **cv["summary"]["per_set"]}
        _record(args.out, record)
        print(json.dumps(cv["summary"], indent=1))
    return 0


def _record(folder: str, record: dict) -> None:
    """Records the U-Net as the package's lung_segmenter when the folder holds a model.json."""
    if not os.path.exists(os.path.join(folder, "model.json")):
        return
    manifest = package.read_manifest(folder)
    manifest["lung_segmenter"] = record
    package.write_manifest(folder, manifest)  # lists the new lungs.onnx's sha256


if __name__ == "__main__":
    raise SystemExit(main())
