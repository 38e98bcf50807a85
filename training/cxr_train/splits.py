"""Patient-level splits: every image of a patient falls in one split, so no patient is both trained on and scored."""
import hashlib


def patient_split(rows, val_fraction: float = 0.15, seed: int = 0, column: str = "split"):
    """Uses the data's own split column when present; otherwise hashes patient_id (stable across runs and machines)."""
    if rows and rows[0].get(column) in ("train", "val", "test"):
        return ([i for i, r in enumerate(rows) if r[column] == "train"],
                [i for i, r in enumerate(rows) if r[column] == "val"])
    train, val = [], []
    for i, r in enumerate(rows):
        pid = r.get("patient_id") or r.get("path")
        h = int(hashlib.sha256(f"{seed}:{pid}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (val if h < val_fraction else train).append(i)
    return train, val


def patient_folds(rows, k: int, seed: int = 0):
    """Fold (0..k-1) of every row, by a stable hash of its patient_id: a patient's rows share one fold."""
    folds = []
    for r in rows:
        pid = r.get("patient_id") or r.get("path")
        folds.append(int(hashlib.sha256(f"fold{seed}:{pid}".encode()).hexdigest()[:8], 16) % k)
    return folds
