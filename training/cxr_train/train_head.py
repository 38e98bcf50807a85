"""Trains the 3-layer FC head on frozen backbone features exported by `cxr-agent export-tensors --features`.

  python3 -m cxr_train.train_head --features DIR --package PKG [--epochs 60] [--init-only]

Adam with exponential LR decay, cross-entropy + L2 1e-2; writes PKG/head.onnx and updates PKG/model.json
(training data, augmentation = none for frozen features, train metrics). Threshold = 0.5 unless --threshold.
"""
import argparse
import json
import os

import numpy as np
import torch

from . import data, package, splits
from .metrics import auc
from .export import export_onnx
from .heads import Head
from .losses import loss_fn


def train(features, targets, train_idx, *, epochs, lr, decay, l2, batch, seed, log=print):
    torch.manual_seed(seed)
    x = torch.from_numpy(features[train_idx]).float()
    y = torch.from_numpy(targets[train_idx])
    net = Head(features.shape[1])
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=decay)
    # Class weights: the train split is 3:1 pneumonia:normal; weighting keeps the 0.5 threshold meaningful.
    counts = np.bincount(targets[train_idx], minlength=2)
    weights = torch.tensor(len(train_idx) / (2.0 * np.maximum(counts, 1)), dtype=torch.float32)
    g = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        net.train()
        perm = torch.randperm(len(x), generator=g)
        total = 0.0
        for s in range(0, len(x), batch):
            idx = perm[s:s + batch]
            logits, _ = net(x[idx])
            loss = loss_fn(logits, y[idx], net, l2, weights)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        log(f"epoch {epoch + 1}/{epochs} loss {total / len(x):.4f} lr {sched.get_last_lr()[0]:.2e}")
    return net.eval()


def scores(net, features):
    with torch.no_grad():
        logits, _ = net(torch.from_numpy(features).float())
        return torch.softmax(logits, 1)[:, 1].numpy()


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--features", required=False)
    ap.add_argument("--package", required=True)
    ap.add_argument("--in-features", type=int, default=512)
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--decay", type=float, default=0.96)
    ap.add_argument("--l2", type=float, default=1e-2)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--positive", default="PNEUMONIA")
    ap.add_argument("--init-only", action="store_true", help="write an untrained head (to export features through)")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    head_path = os.path.join(a.package, "head.onnx")
    m = package.read_manifest(a.package)
    if a.init_only:
        torch.manual_seed(a.seed)
        export_onnx(Head(a.in_features), torch.zeros(1, a.in_features), head_path, input_name="features")
        print(f"wrote untrained {head_path}")
        return
    rows = data.read_index(a.features)
    feats = data.load_features(a.features)
    ok = [i for i, r in enumerate(rows) if r["status"] == "ok"]
    rows = [rows[i] for i in ok]
    feats = feats[ok]
    y = data.binary_targets(rows, a.positive)
    train_idx, val_idx = splits.patient_split(rows)
    net = train(feats, y, train_idx, epochs=a.epochs, lr=a.lr, decay=a.decay, l2=a.l2, batch=a.batch, seed=a.seed)
    export_onnx(net, torch.zeros(1, feats.shape[1]), head_path, input_name="features")
    s_train, s_val = scores(net, feats[train_idx]), scores(net, feats[val_idx])
    m["threshold"] = a.threshold
    m["augmentation"] = {"applied": "none: head trained on frozen backbone features computed once",
                         "toolkit_recipe_for_full_training": package.PAPER_AUGMENTATION}
    m["training_data"] = {
        "dataset": "kermany-pneumonia-224 (Kermany et al. 2018, Cell; CC BY 4.0): pediatric chest X-rays, one hospital",
        "task_note": "pneumonia vs normal in children: a proxy task, NOT a COVID-19 model",
        "split": "train split of labels.csv (patient-level); val split held out",
        "n_train": int(len(train_idx)), "n_train_positive": int(y[train_idx].sum()),
        "optimizer": f"Adam lr {a.lr}, ExponentialLR gamma {a.decay}, {a.epochs} epochs, batch {a.batch}",
        "loss": f"class-weighted cross-entropy + L2 {a.l2}", "seed": a.seed,
    }
    m.setdefault("metrics", {})["toolkit_check"] = {"train_roc_auc": auc(y[train_idx], s_train),
                                                    "val_roc_auc": auc(y[val_idx], s_val)}
    package.write_manifest(a.package, m)
    print(json.dumps(m["metrics"]["toolkit_check"]))


if __name__ == "__main__":
    main()
