"""Compares out-of-distribution distances on exported trunk feature maps [N,512,7,7] (the adult package's chain).

  /usr/bin/python3 tools/adult_ood_methods.py --fit NIH_EXPORT --labels NIH/labels.csv --other NAME=EXPORT [...]

Each EXPORT is `cxr-agent export-tensors --model PKG --features` output (features.npy, index.csv). The fit export's
'train' rows (by labels.csv's split) are the reference; its 'val' rows set each method's threshold (95th percentile:
5 % of val flagged). For every other export it prints the share flagged. This is how docs/model-card.md chose the adult
package's OOD method; the package itself is fitted by `cxr-agent fit-ood`.
"""
import argparse
import csv
import os

import numpy as np


def load(folder):
    f = np.load(os.path.join(folder, "features.npy")).astype(np.float32)
    rows = list(csv.DictReader(open(os.path.join(folder, "index.csv"))))
    ok = np.array([r["status"] == "ok" for r in rows])
    return f[ok].reshape(int(ok.sum()), 512, 7, 7), [r for r, keep in zip(rows, ok) if keep]


def pool(x, g):
    """Average pooling of the 7×7 map to g×g cells (g = 7: the whole map)."""
    if g == 7:
        return x.reshape(len(x), -1)
    edges = [round(i * 7 / g) for i in range(g + 1)]
    return np.concatenate([x[:, :, edges[i]:edges[i + 1], edges[j]:edges[j + 1]].mean((2, 3))
                           for i in range(g) for j in range(g)], 1)


def knn(train, k):
    ref = train / np.linalg.norm(train, axis=1, keepdims=True)

    def distance(y):
        y = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
        return np.sort(1 - y @ ref.T, axis=1)[:, k - 1]
    return distance


def mahalanobis(x):
    """Ledoit–Wolf shrunk precision, as cxr-agent fit-ood computes it."""
    n, p = x.shape
    mean = x.mean(0)
    xc = x - mean
    s = xc.T @ xc / n
    mu = np.trace(s) / p
    d2 = np.sum(s ** 2)
    beta = (np.sum((xc ** 2).T @ (xc ** 2)) / n - d2) / (p * n)
    delta = (d2 - 2 * mu * np.trace(s) + p * mu ** 2) / p
    shrink = min(beta, delta) / delta
    precision = np.linalg.inv((1 - shrink) * s + shrink * mu * np.eye(p))
    return lambda y: np.sqrt(np.einsum("ij,jk,ik->i", y - mean, precision, y - mean))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", required=True)
    ap.add_argument("--labels", required=True, help="the fit set's labels.csv (path, split)")
    ap.add_argument("--other", nargs="+", default=[])
    a = ap.parse_args()
    features, rows = load(a.fit)
    split = {r["path"]: r["split"] for r in csv.DictReader(open(a.labels))}
    train = np.array([split[r["path"]] == "train" for r in rows])
    others = {name: load(folder)[0] for name, folder in (o.split("=", 1) for o in a.other)}
    print(f"reference {train.sum()} train rows, threshold on {(~train).sum()} val rows")
    candidates = [(f"knn k={k}, {name}", g, tf, lambda t, k=k: knn(t, k))
                  for name, g, tf in [("pooled 1x1", 1, None), ("pooled 1x1, sqrt", 1, np.sqrt), ("pooled 2x2", 2, None),
                                      ("pooled 3x3", 3, None), ("whole map", 7, None), ("whole map, sqrt", 7, np.sqrt)]
                  for k in (1, 10, 50)]
    candidates += [("mahalanobis, pooled 1x1", 1, None, mahalanobis), ("mahalanobis, pooled 1x1, sqrt", 1, np.sqrt, mahalanobis)]
    for name, g, tf, make in candidates:
        def transform(x):
            y = pool(x, g).astype(np.float64)
            return tf(y) if tf else y
        x = transform(features)
        distance = make(x[train])
        threshold = np.quantile(distance(x[~train]), 0.95)
        shares = "  ".join(f"{k} {float((distance(transform(v)) > threshold).mean()):.3f}" for k, v in others.items())
        print(f"{name:34s} val {float((distance(x[~train]) > threshold).mean()):.3f}  {shares}", flush=True)


if __name__ == "__main__":
    main()
