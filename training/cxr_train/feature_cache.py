"""Caches the frozen trunk's output for every film of a tensor export, once plain and, for the train split, on a number
of randomly augmented copies — so that recipes with a frozen or partly frozen backbone train in minutes on 2 cores.

  python3 -m cxr_train.feature_cache --tensors DIR --template PKG --out CACHE [--cut layer4.2] [--copies 8] [--seed 0]

Writes CACHE/plain.npy (every ok row, un-augmented), CACHE/aug1.npy … augK.npy (train rows only, each an independent
draw of the toolkit's augmentations, package.PAPER_AUGMENTATION), float16, CACHE/index.csv (the rows, in order) and
CACHE/cache.json (cut, copies, seed, source, durations). Epoch e of a training run then reads copy 1 + e mod K.
"""
import argparse
import csv
import json
import os
import random
import time

import numpy as np
import torch

from . import data, package, splits
from .augment import augment, denormalize, normalize
from .cntk_resnet import load_nuget_resnet18
from .trunk import CUTS, trunk


def run_trunk(net, tensors_dir, rows, cut, norm, rng=None, batch=32, log=print):
    """Trunk outputs of rows (augmented when rng is given), float16."""
    out = None
    for s in range(0, len(rows), batch):
        xs = []
        for r in rows[s:s + batch]:
            x = torch.from_numpy(data.load_tensor(tensors_dir, r))
            xs.append(normalize(augment(denormalize(x, norm), rng), norm) if rng else x)
        with torch.no_grad():
            y = trunk(net, torch.stack(xs), cut).numpy().astype(np.float16)
        if out is None:
            out = np.empty((len(rows), *y.shape[1:]), dtype=np.float16)
        out[s:s + len(y)] = y
        if log and (s // batch) % 5 == 4:
            log(f"  {s + len(y)}/{len(rows)}")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tensors", required=True, help="folder written by cxr-agent export-tensors")
    ap.add_argument("--template", required=True, help="package whose model.json the tensors were exported for")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cut", default="layer4.2", choices=sorted(CUTS))
    ap.add_argument("--copies", type=int, default=8, help="augmented copies of each train film")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--onnx", default=None, help="the NuGet ResNet18.onnx (default: the NuGet global packages folder)")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    norm = package.read_manifest(a.template)["input"]["normalization"]
    rows = [r for r in data.read_index(a.tensors) if r["status"] == "ok"]
    train_idx, _ = splits.patient_split(rows)
    net = load_nuget_resnet18(a.onnx)
    os.makedirs(a.out, exist_ok=True)
    started = time.time()
    np.save(os.path.join(a.out, "plain.npy"), run_trunk(net, a.tensors, rows, a.cut, norm))
    timings = {"plain_seconds": round(time.time() - started)}
    print(f"plain: {len(rows)} films, {timings['plain_seconds']} s", flush=True)
    rng = random.Random(a.seed)
    for k in range(1, a.copies + 1):
        t = time.time()
        np.save(os.path.join(a.out, f"aug{k}.npy"), run_trunk(net, a.tensors, [rows[i] for i in train_idx], a.cut, norm, rng))
        print(f"augmented copy {k}/{a.copies}: {len(train_idx)} train films, {time.time() - t:.0f} s", flush=True)
    timings["total_seconds"] = round(time.time() - started)
    with open(os.path.join(a.out, "index.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    with open(os.path.join(a.out, "cache.json"), "w") as f:
        json.dump({"tensors": os.path.abspath(a.tensors), "template": os.path.abspath(a.template), "cut": a.cut,
                   "nuget_tensor": CUTS[a.cut][0], "copies": a.copies, "seed": a.seed, "train_rows": train_idx,
                   "augmentation": package.PAPER_AUGMENTATION, **timings}, f, indent=1)
    print(f"wrote {a.out} ({timings['total_seconds']} s)")


if __name__ == "__main__":
    main()
