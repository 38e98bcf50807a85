"""Trains the tail of the NuGet ResNet18 (its last residual blocks, frozen or fine-tuned, + the 3-layer FC head) on a
feature cache (feature_cache.py), measures it, and exports it as the graph that follows the frozen NuGet trunk.

  python3 -m cxr_train.finetune --cache CACHE [--trainable 0|1] [--no-augment] [--epochs 30] [--tune 0.2]
      [--record OUT.json] [--export DIR [--fp16]] [--reference OUT.json]

--trainable 0 trains the head alone on the frozen net's 512-d pooled features; 1 also fine-tunes the last residual
block (layer4.2, 4.7 M weights) at --lr-backbone. --tune F holds out a fraction F of the train split's patients and
reports their AUC after every epoch (to choose the epoch count without touching val); without it the whole train split
is used and val is scored once at the end. Loss: cross-entropy (class-weighted unless --no-class-weights) + L2 on the
head's weights (the fine-tuned block is not pulled to zero: that would erase its ImageNet weights).
"""
import argparse
import csv
import json
import os
import time

import numpy as np
import torch

from . import data, metrics, splits
from .cntk_resnet import load_nuget_resnet18
from .export import export_onnx, store_weights_fp16
from .losses import l2_penalty
from .trunk import CUTS, Tail, trunk


def read_cache(folder):
    with open(os.path.join(folder, "cache.json")) as f:
        meta = json.load(f)
    with open(os.path.join(folder, "index.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    plain = np.load(os.path.join(folder, "plain.npy"))
    augmented = [np.load(os.path.join(folder, f"aug{k}.npy")) for k in range(1, meta["copies"] + 1)]
    return meta, rows, plain, augmented


def build_tail(cut: str, trainable: int, onnx_path=None) -> Tail:
    return Tail(load_nuget_resnet18(onnx_path), CUTS[cut][1], trainable)


def frozen_prefix(tail: Tail, trainable: int):
    """Splits off the tail's frozen blocks (and, with nothing to fine-tune, the pooling): they run once per cached film,
    not every epoch. Returns the prefix as a function of a batch."""
    frozen = len(tail.blocks) - trainable
    blocks = torch.nn.Sequential(*list(tail.blocks)[:frozen]).eval()
    tail.blocks = torch.nn.Sequential(*list(tail.blocks)[frozen:])

    def prefix(x: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            x = blocks(x)
            return x.mean(dim=(2, 3)) if trainable == 0 and x.dim() == 4 else x
    return prefix


def apply(prefix, arrays):
    return [np.concatenate([prefix(torch.from_numpy(a[s:s + 64]).float()).numpy().astype(np.float16)
                            for s in range(0, len(a), 64)]) for a in arrays]


def reference_scores(tail, prefix, meta, rows, onnx_path=None) -> np.ndarray:
    """Scores of the films' exported tensors through the float32 trunk, prefix and tail: what the package computes
    (the cache itself is float16)."""
    net = load_nuget_resnet18(onnx_path)
    out = []
    for s in range(0, len(rows), 16):
        x = torch.stack([torch.from_numpy(data.load_tensor(meta["tensors"], r)) for r in rows[s:s + 16]])
        with torch.no_grad():
            out.append(scores(tail, prefix(trunk(net, x, meta["cut"])).numpy()))
    return np.concatenate(out)


def scores(tail: Tail, x: np.ndarray) -> np.ndarray:
    tail.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(x), 64):
            logits, _ = tail(torch.from_numpy(np.asarray(x[s:s + 64], dtype=np.float32)))
            out.append(torch.softmax(logits, 1)[:, 1].numpy())
    return np.concatenate(out)


def fit(tail, plain, augmented, fit_pos, aug_pos, y, *, epochs, batch, lr_head, lr_backbone, decay, l2, class_weights,
        augment, seed, on_epoch=None, log=print):
    """fit_pos: rows of `plain` to learn from; aug_pos: the same films' rows in the augmented copies."""
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    groups = [{"params": tail.head.parameters(), "lr": lr_head}]
    backbone = [p for p in tail.blocks.parameters() if p.requires_grad]
    if backbone:
        groups.append({"params": backbone, "lr": lr_backbone})
    opt = torch.optim.Adam(groups)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=decay)
    counts = np.bincount(y[fit_pos], minlength=2)
    weights = torch.tensor(len(fit_pos) / (2.0 * np.maximum(counts, 1)), dtype=torch.float32) if class_weights else None
    targets = torch.from_numpy(y[fit_pos])
    for epoch in range(epochs):
        source, pos = (augmented[epoch % len(augmented)], aug_pos) if augment else (plain, fit_pos)
        tail.train()
        perm = torch.randperm(len(fit_pos), generator=g)
        total = 0.0
        started = time.time()
        for s in range(0, len(perm), batch):
            idx = perm[s:s + batch].numpy()
            logits, _ = tail(torch.from_numpy(source[pos[idx]]).float())
            loss = torch.nn.functional.cross_entropy(logits, targets[idx], weight=weights) + l2_penalty(tail.head, l2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        sched.step()
        line = f"epoch {epoch + 1}/{epochs} loss {total / len(perm):.4f} ({time.time() - started:.0f} s)"
        if on_epoch:
            line += on_epoch(epoch + 1, tail)
        log(line)
    return tail.eval()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--trainable", type=int, default=0, help="residual blocks to fine-tune (0: frozen backbone)")
    ap.add_argument("--no-augment", dest="augment", action="store_false", help="train on the plain films only")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr-head", type=float, default=1e-3)
    ap.add_argument("--lr-backbone", type=float, default=1e-4)
    ap.add_argument("--decay", type=float, default=0.96, help="ExponentialLR gamma per epoch")
    ap.add_argument("--l2", type=float, default=1e-2)
    ap.add_argument("--no-class-weights", dest="class_weights", action="store_false")
    ap.add_argument("--tune", type=float, default=0.0, help="hold out this fraction of the train patients; val untouched")
    ap.add_argument("--cv", type=int, default=0, help="K-fold cross-validation over the train patients; val untouched")
    ap.add_argument("--positive", default="PNEUMONIA")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--record", help="write settings, timings and figures here (JSON)")
    ap.add_argument("--export", help="write the trained graph (head.onnx or tail.onnx) into this folder")
    ap.add_argument("--fp16", action="store_true", help="store the exported graph's large weights as float16")
    ap.add_argument("--reference", help="write PyTorch's scores of every cached film here (JSON), for parity tests")
    ap.add_argument("--onnx", default=None, help="the NuGet ResNet18.onnx (default: the NuGet global packages folder)")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    started = time.time()
    meta, rows, plain, augmented = read_cache(a.cache)
    y = data.binary_targets(rows, a.positive)
    train_idx, val_idx = splits.patient_split(rows)
    if list(train_idx) != meta["train_rows"]:
        raise ValueError(f"{a.cache}: the train split differs from the one the cache was made for")
    tail = build_tail(meta["cut"], a.trainable, a.onnx)
    prefix = frozen_prefix(tail, a.trainable)
    plain, *augmented = apply(prefix, [plain, *augmented])
    run = Run(a, meta, rows, y, plain, augmented, np.array(train_idx), np.array(val_idx))
    record = {"cache": os.path.abspath(a.cache), "cut": meta["cut"], "trainable_blocks": a.trainable,
              "augment": a.augment, "epochs": a.epochs, "batch": a.batch, "lr_head": a.lr_head,
              "lr_backbone": a.lr_backbone if a.trainable else None, "decay": a.decay, "l2_head": a.l2,
              "class_weights": a.class_weights, "seed": a.seed}
    if a.tune:
        record["tune"] = run.tune(tail)
    elif a.cv:
        record["cv"] = run.cross_validate()
    else:
        record.update(run.final(tail, prefix))
    record["seconds"] = round(time.time() - started)
    if a.record:
        with open(a.record, "w") as f:
            json.dump(record, f, indent=1)
            f.write("\n")
    print(f"done in {record['seconds']} s")


class Run:
    """One recipe on one cache: the three ways to measure it."""

    def __init__(self, a, meta, rows, y, plain, augmented, train_idx, val_idx):
        self.a, self.meta, self.rows, self.y = a, meta, rows, y
        self.plain, self.augmented, self.train_idx, self.val_idx = plain, augmented, train_idx, val_idx
        self.groups = np.array([r.get("patient_id") or r["path"] for r in rows])
        self.settings = dict(epochs=a.epochs, batch=a.batch, lr_head=a.lr_head, lr_backbone=a.lr_backbone,
                             decay=a.decay, l2=a.l2, class_weights=a.class_weights, augment=a.augment, seed=a.seed)

    def _fit(self, tail, local, on_epoch=None):
        """Trains on the train rows at positions `local` of the train split."""
        return fit(tail, self.plain, self.augmented, self.train_idx[local], local, self.y, on_epoch=on_epoch,
                   **self.settings)

    def tune(self, tail) -> dict:
        """AUC after every epoch on a held-out fraction of the train patients (val untouched)."""
        train_rows = [{k: v for k, v in self.rows[i].items() if k != "split"} for i in self.train_idx]
        fit_local, tune_local = splits.patient_split(train_rows, val_fraction=self.a.tune, seed=self.a.seed)
        tune_pos = self.train_idx[tune_local]
        curve = []

        def on_epoch(epoch, net):
            curve.append(metrics.auc(self.y[tune_pos], scores(net, self.plain[tune_pos])))
            return f" tune AUC {curve[-1]:.4f}"

        self._fit(tail, np.array(fit_local), on_epoch)
        return {"fraction": self.a.tune, "n_fit": len(fit_local), "n_tune": len(tune_local),
                "tune_auc_per_epoch": [round(c, 4) for c in curve]}

    def cross_validate(self) -> dict:
        """Out-of-fold scores of every train film from K nets, each trained on the other folds' patients."""
        folds = np.array(splits.patient_folds([self.rows[i] for i in self.train_idx], self.a.cv, self.a.seed))
        oof = np.zeros(len(self.train_idx))
        for k in range(self.a.cv):
            tail = build_tail(self.meta["cut"], self.a.trainable, self.a.onnx)
            frozen_prefix(tail, self.a.trainable)
            self._fit(tail, np.flatnonzero(folds != k))
            oof[folds == k] = scores(tail, self.plain[self.train_idx[folds == k]])
            print(f"fold {k + 1}/{self.a.cv}: AUC {metrics.auc(self.y[self.train_idx[folds == k]], oof[folds == k]):.4f}",
                  flush=True)
        return {"folds": self.a.cv, **metrics.summary(self.y[self.train_idx], oof, self.groups[self.train_idx])}

    def final(self, tail, prefix) -> dict:
        """Trains on the whole train split, scores val once, and exports."""
        a, y, out = self.a, self.y, {}
        self._fit(tail, np.arange(len(self.train_idx)))
        if a.fp16:
            before = scores(tail, self.plain)
            store_weights_fp16(tail)
        s = scores(tail, self.plain)
        if a.fp16:
            out["fp16_rounding"] = {"max_score_change": float(np.abs(s - before).max()),
                                    "val_roc_auc_before": round(metrics.auc(y[self.val_idx], before[self.val_idx]), 4)}
        out["train"] = metrics.summary(y[self.train_idx], s[self.train_idx], self.groups[self.train_idx])
        out["val"] = metrics.summary(y[self.val_idx], s[self.val_idx], self.groups[self.val_idx])
        print(json.dumps({"train": out["train"], "val": out["val"]}))
        if a.export:
            os.makedirs(a.export, exist_ok=True)
            name = "head.onnx" if a.trainable == 0 else "tail.onnx"
            path = os.path.join(a.export, name)
            export_onnx(tail, torch.zeros(1, *self.plain.shape[1:]), path, input_name="features", fp16=a.fp16)
            out["graph"] = {"file": name, "bytes": os.path.getsize(path), "fp16_weights": a.fp16,
                            "follows": CUTS[self.meta["cut"] if a.trainable else "pool"][0]}
        if a.reference:
            with open(a.reference, "w") as f:
                json.dump({"paths": [r["path"] for r in self.rows],
                           "scores": reference_scores(tail, prefix, self.meta, self.rows, a.onnx).tolist()}, f)
        return out


if __name__ == "__main__":
    main()
