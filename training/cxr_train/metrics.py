"""ROC AUC and its bootstrap confidence interval, resampled by patient, for choosing among training recipes.

The figures a package reports come from `cxr-agent evaluate` (C# preprocessing + ONNX Runtime); these are the
toolkit's own, on the same split, to compare recipes before any package is built.
"""
import numpy as np


def auc(y, s) -> float:
    """Mann-Whitney ROC AUC with ties counted 1/2."""
    y, s = np.asarray(y), np.asarray(s, dtype=np.float64)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / (len(pos) * len(neg)))


def bootstrap_auc(y, s, groups, n: int = 2000, seed: int = 0, level: float = 0.95):
    """Percentile interval of the AUC over resamples of whole patients (groups), so a patient's several films count
    once per draw, as they are not independent."""
    y, s, groups = np.asarray(y), np.asarray(s), np.asarray(groups)
    ids, inverse = np.unique(groups, return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(ids))]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(n):
        pick = np.concatenate([members[g] for g in rng.integers(0, len(ids), len(ids))])
        a = auc(y[pick], s[pick])
        if not np.isnan(a):
            values.append(a)
    lo, hi = np.percentile(values, [(1 - level) / 2 * 100, (1 + level) / 2 * 100])
    return float(lo), float(hi)


def summary(y, s, groups, seed: int = 0) -> dict:
    lo, hi = bootstrap_auc(y, s, groups, seed=seed)
    return {"n": int(len(y)), "positives": int(np.sum(y)), "patients": int(len(set(groups))),
            "roc_auc": round(auc(y, s), 4), "roc_auc_ci95": [round(lo, 4), round(hi, 4)]}
