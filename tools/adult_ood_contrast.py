"""How the adult package's out-of-distribution method was chosen: distances on exported trunk features.

  /usr/bin/python3 tools/adult_ood_contrast.py --nih F_NIH --kermany F_KVAL --v7 F_V7 --non-chest F_NC --samples F_AD

Each F_* is `cxr-agent export-tensors --model models/cxr-pneumonia-adult-resnet18 --features` output (features.npy
[N,512,7,7], index.csv) of: the whole nih-cxr14-pneumonia-512 set (its labels.csv gives the split), the 657
kermany-pneumonia-224 val films (a labels.csv of absolute paths with patient_id), lungseg-adult-v7 (a labels.csv with
patient_id, view and ood_half = reference|held_out, by sha256(patient_id) parity as tools/adult_ood_reference.py),
the 10 non-chest images and adult-cxr-samples. Features are the 7×7 map averaged per channel (512).

Reference: the NIH train films, plus (v7ref=1) the reference half of lungseg-adult-v7. Threshold: at most 5 % of NIH val flagged.
Methods: the distance alone (Mahalanobis with Ledoit–Wolf shrinkage, or 1 − cosine similarity to the k-th nearest),
and the k-NN distance combined with a contrast population — half of the Kermany val patients (sha256 parity) here;
the package itself uses 1,000 Kermany train films — flagged when the distance exceeds the largest NIH val distance or
the ratio to the k-th nearest contrast distance exceeds a threshold taking the whole 5 %. Children are counted on the
other half of Kermany val for the contrast rows, on all of it otherwise; lungseg-adult-v7 on its held-out half when
its reference half is used, on all of it otherwise.
"""
import argparse
import csv
import hashlib
import os

import numpy as np

from adult_ood_methods import knn, mahalanobis  # the same distances as the 1.1.0 comparison (tools/ is on sys.path)


def load(folder, labels=None):
    f = np.load(os.path.join(folder, "features.npy")).astype(np.float32)
    rows = list(csv.DictReader(open(os.path.join(folder, "index.csv"))))
    ok = np.array([r["status"] == "ok" for r in rows])
    return f[ok].reshape(int(ok.sum()), 512, 49).mean(2), [r for r, keep in zip(rows, ok) if keep]


def parity(patient):
    return int(hashlib.sha256(patient.encode()).hexdigest(), 16) % 2 == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("nih", "kermany", "v7", "non-chest", "samples"):
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--nih-labels", default="../shared/data/nih-cxr14-pneumonia-512/labels.csv")
    a = ap.parse_args()
    nih, nih_rows = load(a.nih)
    split = {r["path"]: r["split"] for r in csv.DictReader(open(a.nih_labels))}
    s = np.array([split[r["path"]] for r in nih_rows])
    train, val = nih[s == "train"], nih[s == "val"]
    kermany, k_rows = load(a.kermany)
    k_ref = np.array([parity(r["patient_id"]) for r in k_rows])
    v7, v7_rows = load(a.v7)
    v7_ref = np.array([r["ood_half"] == "reference" for r in v7_rows])
    view = np.array([r["view"] for r in v7_rows])
    non_chest, _ = load(a.non_chest)
    samples, _ = load(a.samples)
    print(f"NIH train {len(train)}, val {len(val)}; Kermany val {len(kermany)} (contrast half {k_ref.sum()}); "
          f"lungseg-adult-v7 reference half {v7_ref.sum()} (AP supine {(v7_ref & (view == 'AP_Supine')).sum()})")
    print("method | v7 in reference | NIH val | Kermany val | non-chest | adult samples | V7 AP supine | V7 PA")
    for use_v7 in (False, True):
        reference = np.concatenate([train, v7[v7_ref]]) if use_v7 else train
        held = ~v7_ref if use_v7 else np.ones(len(v7), bool)
        methods = [("mahalanobis", mahalanobis(reference), None), ("knn k=10", knn(reference, 10), None),
                   ("knn k=10 + contrast", knn(reference, 10), knn(kermany[k_ref], 10))]
        for name, distance, contrast in methods:
            if contrast is None:
                threshold = np.sort(distance(val))[len(val) - 1 - int(0.05 * len(val))]  # as fit-ood: at most 5 % above
                flag = lambda x: distance(x) > threshold
                children = kermany
            else:
                limit = distance(val).max()
                ratio = lambda x: distance(x) / np.maximum(contrast(x), 1e-12)
                ratio_threshold = np.sort(ratio(val))[len(val) - 1 - int(0.05 * len(val))]
                flag = lambda x: (distance(x) > limit) | (ratio(x) > ratio_threshold)
                children = kermany[~k_ref]
            share = lambda x: f"{100 * np.mean(flag(x)):.1f} %"
            print(f"{name} | {int(use_v7)} | {share(val)} | {share(children)} | {share(non_chest)} | {share(samples)} | "
                  f"{share(v7[held & (view == 'AP_Supine')])} of {(held & (view == 'AP_Supine')).sum()} | "
                  f"{share(v7[held & (view == 'PA')])} of {(held & (view == 'PA')).sum()}")


if __name__ == "__main__":
    main()
