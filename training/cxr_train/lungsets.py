"""Lung-mask sets for the U-Net: several `cxr-agent export-lung-masks` folders joined with their source CSVs, and
patient-level folds over them.

Each export's index.csv names the absolute path of every image; the CSV it was exported from (e.g. lungseg-adult-v7's
idx.csv: img,mask,patient_id,source,view) gives the patient and the view. An image with no patient_id is its own
patient, so a set without ids (lungseg-demo) is split image by image.
"""
import csv
import hashlib
import os
from dataclasses import dataclass

import numpy as np
import torch



def load_export(folder: str):
    images = torch.from_numpy(np.load(os.path.join(folder, "images.npy")))
    masks = torch.from_numpy(np.load(os.path.join(folder, "masks.npy")))
    if images.shape != masks.shape or images.ndim != 4 or images.shape[1] != 1:
        raise ValueError(f"{folder}: images {tuple(images.shape)} and masks {tuple(masks.shape)} must both be [N,1,S,S]")
    return images, masks


@dataclass(frozen=True)
class Film:
    set: str
    image: str
    patient: str
    view: str


def read_set(export_dir: str, pairs_csv: str):
    """The export's arrays and one Film per row, joined with the source CSV by image path."""
    images, masks = load_export(export_dir)
    folder = os.path.dirname(os.path.abspath(pairs_csv))
    name = os.path.basename(folder)
    with open(pairs_csv, newline="") as f:
        source = {}
        for r in csv.DictReader(f):
            path = os.path.normpath(os.path.join(folder, r.get("img") or r["path"]))
            source[path] = r
    with open(os.path.join(export_dir, "index.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != images.shape[0]:
        raise ValueError(f"{export_dir}: index.csv has {len(rows)} rows, images.npy {images.shape[0]}")
    films = []
    for r in rows:
        meta = source.get(os.path.normpath(r["image"]))
        if meta is None:
            raise ValueError(f"{r['image']} is not listed in {pairs_csv}")
        films.append(Film(name, r["image"], f"{name}:{meta.get('patient_id') or r['image']}", meta.get("view") or "unknown"))
    return images, masks, films


def read_sets(exports, csvs=None):
    """Concatenates several sets (same size). Without CSVs every image is its own patient, of set 'data'."""
    if not csvs:
        parts = [load_export(e) for e in exports]
        films = [Film("data", f"{e}#{i}", f"{e}#{i}", "unknown") for e, p in zip(exports, parts) for i in range(p[0].shape[0])]
        return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts]), films
    if len(exports) != len(csvs):
        raise ValueError(f"{len(exports)} --data folders but {len(csvs)} --pairs CSVs: give one CSV per export")
    parts = [read_set(e, c) for e, c in zip(exports, csvs)]
    return (torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts]), [f for p in parts for f in p[2]])


def patient_folds(films, k: int, seed: int = 0) -> np.ndarray:
    """Fold of every film. Whole patients go to folds, so no patient is in two; within each (set, view) stratum the
    patients, largest first and then in a seeded hash order, each go to the fold holding the fewest films of that
    stratum (then the fewest films), so every fold gets a fair share of every set and view."""
    first, count = {}, {}
    for f in films:
        first.setdefault(f.patient, f)
        count[f.patient] = count.get(f.patient, 0) + 1
    order = sorted(first, key=lambda p: (first[p].set, first[p].view, -count[p],
                                         hashlib.sha256(f"{seed}:{p}".encode()).hexdigest()))
    fold_of, total, per_stratum = {}, [0] * k, {}
    for p in order:
        share = per_stratum.setdefault((first[p].set, first[p].view), [0] * k)
        fold = min(range(k), key=lambda j: (share[j], total[j], j))
        fold_of[p] = fold
        share[fold] += count[p]
        total[fold] += count[p]
    return np.array([fold_of[f.patient] for f in films])


def summarize(films, folds, dices) -> dict:
    """Mean held-out Dice per fold, per set and per (set, view), with counts."""
    def group(key):
        out = {}
        for f, k, d in zip(films, folds, dices):
            out.setdefault(key(f, k), []).append(d)
        return {name: {"n": len(v), "mean": round(float(np.mean(v)), 4), "min": round(float(np.min(v)), 4)}
                for name, v in sorted(out.items())}
    return {"per_fold": group(lambda f, k: f"fold {k + 1}: {f.set}"),
            "per_set": group(lambda f, k: f.set),
            "per_view": group(lambda f, k: f"{f.set} {f.view}")}
