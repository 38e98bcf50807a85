"""Trains a full classifier (backbone + 3-layer FC head) on tensors from `cxr-agent export-tensors` and writes a package.

  python3 -m cxr_train.train --tensors DIR --template PKG --out PKG --backbone resnet18 [--weights FILE] [--epochs N]
      [--labels CSV --key path|sop_instance_uid] [--reference OUT.json]

The template's model.json fixes the input (size, channels, normalisation) the tensors were made for. Training follows
the paper's recipe: random augmentations (package.PAPER_AUGMENTATION), Adam with exponential LR decay, cross-entropy
with L2 1e-2, patient-level split. The package gets model.onnx (opset 17, outputs score and embedding) and model.json.
"""
import argparse
import json
import os
import random

import numpy as np
import torch

from . import data, package, splits
from .augment import augment, denormalize, normalize
from .backbones import Classifier
from .export import export_onnx
from .losses import loss_fn


def load_batch(export_dir, rows, norm, rng, train):
    xs = []
    for r in rows:
        x = torch.from_numpy(data.load_tensor(export_dir, r))
        if train:
            x = normalize(augment(denormalize(x, norm), rng), norm)
        xs.append(x)
    return torch.stack(xs)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--tensors", required=True, help="folder written by cxr-agent export-tensors")
    ap.add_argument("--template", required=True, help="package folder whose model.json the tensors were exported for")
    ap.add_argument("--out", required=True)
    ap.add_argument("--backbone", default="resnet18")
    ap.add_argument("--weights", default=None, help="local state_dict file (nothing is downloaded)")
    ap.add_argument("--freeze-backbone", action="store_true")
    ap.add_argument("--labels", default=None, help="labels CSV to join (by --key)")
    ap.add_argument("--key", default="path", choices=["path", "sop_instance_uid"])
    ap.add_argument("--positive", default="PNEUMONIA")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--decay", type=float, default=0.95)
    ap.add_argument("--l2", type=float, default=1e-2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", default="cxr-classifier")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--task", default="pneumonia vs normal (pediatric CXR, Kermany 2018 proxy task; not COVID-19)")
    ap.add_argument("--reference", default=None, help="write eval-mode scores of every exported row (parity checks)")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)

    template = package.read_manifest(a.template)
    norm = template["input"]["normalization"]
    rows = [r for r in data.read_index(a.tensors) if r["status"] == "ok"]
    if a.labels:
        rows = data.join_labels(rows, a.labels, a.key)
    y = data.binary_targets(rows, a.positive)
    train_idx, val_idx = splits.patient_split(rows)
    net = Classifier(a.backbone, a.weights, a.freeze_backbone)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=a.lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=a.decay)
    for epoch in range(a.epochs):
        net.train()
        order = list(train_idx)
        rng.shuffle(order)
        total = 0.0
        for s in range(0, len(order), a.batch):
            idx = order[s:s + a.batch]
            x = load_batch(a.tensors, [rows[i] for i in idx], norm, rng, train=True)
            logits, _ = net(x)
            loss = loss_fn(logits, torch.from_numpy(y[idx]), net, a.l2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        print(f"epoch {epoch + 1}/{a.epochs} loss {total / max(len(order), 1):.4f}", flush=True)
    net.eval()

    os.makedirs(a.out, exist_ok=True)
    size = template["input"]["width"]
    export_onnx(net, torch.zeros(1, 3, size, size), os.path.join(a.out, "model.onnx"))
    m = package.manifest(a.name, a.version, a.task, [{"file": "model.onnx"}], preprocessing=template.get("preprocessing"), size=size,
                         channels=template["input"]["channels"], normalization=norm, positive=a.positive,
                         negative=template.get("negative_label", "NORMAL"), augmentation=package.PAPER_AUGMENTATION,
                         finding=template.get("finding"),
                         training_data={"tensors": os.path.abspath(a.tensors), "n_train": len(train_idx),
                                        "n_val": len(val_idx), "backbone": a.backbone,
                                        "weights": a.weights or "random init",
                                        "optimizer": f"Adam lr {a.lr}, ExponentialLR gamma {a.decay}, {a.epochs} epochs",
                                        "loss": f"cross-entropy + L2 {a.l2}", "seed": a.seed})
    package.write_manifest(a.out, m)
    if a.reference:
        with torch.no_grad():
            scores = []
            for s in range(0, len(rows), 8):
                x = load_batch(a.tensors, rows[s:s + 8], norm, rng, train=False)
                scores += torch.softmax(net(x)[0], 1)[:, 1].tolist()
        with open(a.reference, "w") as f:
            json.dump({"rows": [int(r["row"]) for r in rows], "scores": scores}, f)
    print(f"wrote package {a.out}")


if __name__ == "__main__":
    main()
