"""Compares calibration methods on an evaluation's scores.csv, and says how small an ECE the set can show at all.

  /usr/bin/python3 tools/calibration_methods.py EVAL/scores.csv

scores.csv is `cxr-agent evaluate` output (path,label,patient_id,score,probability,...): `score` is the raw model
score, `probability` the package's calibrated one. For Platt scaling, temperature scaling and isotonic regression
(pool-adjacent-violators) on the logit of the raw score it prints the ECE (10 equal-width bins) and Brier score of
cross-fitted probabilities — the cases split in two by patient as `cxr-agent calibrate` splits them (first byte of
SHA-256 of the patient id, mod 2), each half scored by a fit on the other — with a 95 % bootstrap interval resampling
patients (1,000 resamples, seed 12345). Then the noise floor: the ECE that a perfectly calibrated model would show on
this many cases, drawing each label from the package's own calibrated probability (2,000 draws).
"""
import csv
import hashlib
import sys

import numpy as np

POSITIVE = "PNEUMONIA"


def ece(p, y, bins=10):
    b = np.minimum((p * bins).astype(int), bins - 1)
    return sum((b == i).sum() / len(p) * abs(p[b == i].mean() - y[b == i].mean()) for i in range(bins) if (b == i).any())


def sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(x, -50, 50)))


def nll(p, y):
    return -np.sum(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))


def platt(z, y):
    """As cxr-agent calibrate fits it: Platt's (1999) smoothed targets, Newton's method."""
    n1 = y.sum()
    y = np.where(y > 0, (n1 + 1) / (n1 + 2), 1 / (len(y) - n1 + 2))
    a, b = 1.0, 0.0
    for _ in range(200):  # Newton's method with step halving
        p = sigmoid(a * z + b)
        g = np.array([np.sum((p - y) * z), np.sum(p - y)])
        w = p * (1 - p)
        h = np.array([[np.sum(w * z * z), np.sum(w * z)], [np.sum(w * z), np.sum(w)]]) + 1e-6 * np.eye(2)
        d = np.linalg.solve(h, g)
        t = 1.0
        while nll(sigmoid((a - t * d[0]) * z + b - t * d[1]), y) > nll(sigmoid(a * z + b), y) and t > 1e-8:
            t /= 2
        a, b = a - t * d[0], b - t * d[1]
    return lambda x: sigmoid(a * x + b)


def temperature(z, y):
    t = min(np.exp(np.linspace(-4, 3, 2000)), key=lambda t: nll(sigmoid(z / t), y))
    return lambda x: sigmoid(x / t)


def isotonic(z, y):
    order = np.argsort(z)
    blocks = []  # [mean, weight, first z, last z]
    for zi, yi in zip(z[order], y[order]):
        blocks.append([yi, 1, zi, zi])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            b, a = blocks.pop(), blocks.pop()
            n = a[1] + b[1]
            blocks.append([(a[0] * a[1] + b[0] * b[1]) / n, n, a[2], b[3]])
    xs = np.array([(b[2] + b[3]) / 2 for b in blocks])
    vs = np.array([b[0] for b in blocks])
    return lambda x: np.interp(x, xs, vs)


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    raw = np.clip(np.array([float(r["score"]) for r in rows]), 1e-7, 1 - 1e-7)
    z = np.log(raw / (1 - raw))
    y = np.array([r["label"] == POSITIVE for r in rows], dtype=float)
    calibrated = np.array([float(r["probability"]) for r in rows])
    patients = [r["patient_id"] or r["path"] for r in rows]
    fold = np.array([hashlib.sha256(p.encode()).digest()[0] % 2 for p in patients])
    ids = sorted(set(patients))
    members = {u: [i for i, p in enumerate(patients) if p == u] for u in ids}
    print(f"{len(rows)} cases, {int(y.sum())} positive, {len(ids)} patients; halves of {np.bincount(fold).tolist()} cases")
    for name, fit in (("platt", platt), ("temperature", temperature), ("isotonic", isotonic)):
        p = np.zeros(len(z))
        for k in (0, 1):
            p[fold == k] = fit(z[fold != k], y[fold != k])(z[fold == k])
        rng = np.random.default_rng(12345)
        boot = []
        for _ in range(1000):
            pick = np.concatenate([members[ids[j]] for j in rng.integers(0, len(ids), len(ids))])
            boot.append(ece(p[pick], y[pick]))
        print(f"{name:12s} cross-fitted ECE {ece(p, y):.4f} (95 % {np.quantile(boot, 0.025):.4f} – {np.quantile(boot, 0.975):.4f}), "
              f"Brier {np.mean((p - y) ** 2):.4f}; in sample ECE {ece(fit(z, y)(z), y):.4f}")
    rng = np.random.default_rng(12345)
    floor = np.array([ece(calibrated, (rng.random(len(calibrated)) < calibrated).astype(float)) for _ in range(2000)])
    print(f"a perfectly calibrated model with these {len(rows)} calibrated probabilities: ECE median {np.median(floor):.4f}, "
          f"95 % range {np.quantile(floor, 0.025):.4f} – {np.quantile(floor, 0.975):.4f}; P(ECE <= 0.05) = {np.mean(floor <= 0.05):.3f}")


if __name__ == "__main__":
    main()
