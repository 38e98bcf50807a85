"""Compares out-of-distribution distances on exported backbone features (cxr-agent export-tensors --features).

  /usr/bin/python3 tools/ood_methods.py --head PKG/head.onnx --fit FIT_EXPORT --other NAME=EXPORT [NAME=EXPORT ...]

FIT_EXPORT's index.csv must carry a 'split' column: its 'train' rows are the reference, its 'val' rows set each
method's threshold (95th percentile: 5 % of val flagged). For every other export it prints the share flagged. The
embedding is computed from the features with the head's own weights (fc1, fc2: Gemm + ReLU). This is how
docs/model-card.md chose the package's OOD method; the package itself is fitted by `cxr-agent fit-ood`.
"""
import argparse
import csv

import numpy as np
import onnx
from onnx import numpy_helper


def load(folder):
    features = np.load(f"{folder}/features.npy").astype(np.float64)
    rows = list(csv.DictReader(open(f"{folder}/index.csv")))
    ok = np.array([r["status"] == "ok" for r in rows])
    return features[ok], [r for r, keep in zip(rows, ok) if keep]


def ledoit_wolf_precision(x):
    n, p = x.shape
    mean = x.mean(0)
    xc = x - mean
    s = xc.T @ xc / n
    mu = np.trace(s) / p
    delta_ = np.sum(s ** 2)
    beta = (np.sum((xc ** 2).T @ (xc ** 2)) / n - delta_) / (p * n)
    delta = (delta_ - 2 * mu * np.trace(s) + p * mu ** 2) / p
    shrink = min(beta, delta) / delta
    return mean, np.linalg.inv((1 - shrink) * s + shrink * mu * np.eye(p))


def mahalanobis(train):
    mean, precision = ledoit_wolf_precision(train)
    return lambda y: np.sqrt(np.einsum("ij,jk,ik->i", y - mean, precision, y - mean))


def knn(train, k):
    ref = train / np.linalg.norm(train, axis=1, keepdims=True)
    return lambda y: np.sort(1 - (y / np.linalg.norm(y, axis=1, keepdims=True)) @ ref.T, axis=1)[:, k - 1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--head", required=True)
    ap.add_argument("--fit", required=True)
    ap.add_argument("--other", nargs="+", default=[])
    a = ap.parse_args()
    w = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in onnx.load(a.head).graph.initializer}

    def embedding(f):
        h = np.maximum(0, f @ w["net.fc1.weight"].T + w["net.fc1.bias"])
        return np.maximum(0, h @ w["net.fc2.weight"].T + w["net.fc2.bias"])

    features, rows = load(a.fit)
    split = np.array([r.get("split", "") for r in rows])
    train, val = features[split == "train"], features[split == "val"]
    others = {name: load(folder)[0] for name, folder in (o.split("=", 1) for o in a.other)}
    methods = [
        ("mahalanobis, backbone", lambda x: x, mahalanobis),
        ("mahalanobis, sqrt(backbone)", np.sqrt, mahalanobis),
        ("mahalanobis, embedding", embedding, mahalanobis),
    ] + [(f"knn k={k}, backbone (cosine)", lambda x: x, lambda t, k=k: knn(t, k)) for k in (1, 10, 50)]
    print(f"reference: {len(train)} train images; threshold: 95th percentile of {len(val)} val images")
    for name, transform, make in methods:
        distance = make(transform(train))
        threshold = np.quantile(distance(transform(val)), 0.95)
        flagged = " ".join(f"{o} {100 * np.mean(distance(transform(x)) > threshold):.1f} %" for o, x in others.items())
        print(f"{name:30s} {flagged}")


if __name__ == "__main__":
    main()
