"""First study of a patient (follow_up 000) vs a follow-up study on nih-cxr14-pneumonia-512, from `evaluate`'s scores.csv.

  /usr/bin/python3 tools/adult_subgroups.py EVAL/scores.csv [../shared/data/nih-cxr14-pneumonia-512/labels.csv]

ROC AUC (ties count half), sensitivity and specificity of the calls, and OOD flags per group. `evaluate` makes no
subgroup table of `follow_up` itself: it has more than 20 values.
"""
import csv
import sys


def auc(positives, negatives):
    return sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives) / (len(positives) * len(negatives))


def main():
    labels_csv = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/nih-cxr14-pneumonia-512/labels.csv"
    labels = {r["path"]: r for r in csv.DictReader(open(labels_csv))}
    rows = list(csv.DictReader(open(sys.argv[1])))
    groups = [("first study (follow_up 000)", lambda f: f == "000"), ("follow-up study (001 and later)", lambda f: f != "000")]
    for name, keep in groups:
        g = [r for r in rows if keep(labels[r["path"]]["follow_up"])]
        pos = [float(r["score"]) for r in g if r["label"] == "PNEUMONIA"]
        neg = [float(r["score"]) for r in g if r["label"] == "NORMAL"]
        tp = sum(r["call"] == "PNEUMONIA" for r in g if r["label"] == "PNEUMONIA")
        tn = sum(r["call"] == "NORMAL" for r in g if r["label"] == "NORMAL")
        ood = sum(r["out_of_distribution"] == "true" for r in g)
        print(f"| {name} | {len(g)} | {len(pos)} | {auc(pos, neg):.4f} | {tp} of {len(pos)} | {tn} of {len(neg)} | {ood} |")


if __name__ == "__main__":
    main()
