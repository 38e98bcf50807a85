"""Reading what `cxr-agent export-tensors` wrote (index.csv + tensors/*.npy or features.npy) and joining labels.

Labels come from a CSV keyed by image path (folder input) or by SOP Instance UID (DICOM input): the export's index
carries both columns when it has them.
"""
import csv
import os

import numpy as np


def read_index(export_dir: str):
    with open(os.path.join(export_dir, "index.csv"), newline="") as f:
        return list(csv.DictReader(f))


def join_labels(rows, labels_csv: str, key: str = "path"):
    """Overrides/sets each row's label from labels_csv (columns: KEY,label[,patient_id]); KEY is path or sop_instance_uid."""
    with open(labels_csv, newline="") as f:
        table = {r[key]: r for r in csv.DictReader(f)}
    out = []
    for r in rows:
        hit = table.get(r.get(key, ""))
        if hit is None:
            continue
        r = dict(r)
        r["label"] = hit["label"]
        if hit.get("patient_id"):
            r["patient_id"] = hit["patient_id"]
        out.append(r)
    return out


def load_features(export_dir: str):
    return np.load(os.path.join(export_dir, "features.npy"))


def load_tensor(export_dir: str, row) -> np.ndarray:
    return np.load(os.path.join(export_dir, row["tensor"]))


def binary_targets(rows, positive: str):
    return np.array([1 if r["label"] == positive else 0 for r in rows], dtype=np.int64)
