"""Writes the labels.csv that `cxr-agent fit-ood` fits the adult package's out-of-distribution test on.

  /usr/bin/python3 tools/adult_ood_reference.py > training/records/cxr-pneumonia-adult-resnet18/adult-ood-reference/labels.csv

Splits (paths relative to the CSV's folder, i.e. to ../shared/data from the repository root):
  train      the NIH train split (642 films) and the reference half of lungseg-adult-v7's patients (adult portable films,
             PA and AP supine, unlabelled; the classifier never trained on them) — what the package expects
  val        the NIH val split (155 films): the threshold's held-out in-distribution images
  contrast   1,000 children's films drawn from the Kermany train split (random.seed(1); random.sample): the population the
             package must flag
  v7_held_out the other half of lungseg-adult-v7's patients: never fitted on, they measure the adult flag rate
The lungseg-adult-v7 halves are by patient: sha256(patient_id) even → reference, odd → held out.
"""
import csv
import hashlib
import random

DATA = "../../../../../shared/data"
ROOT = "../shared/data"


def rows(name):
    return list(csv.DictReader(open(f"{ROOT}/{name}/labels.csv")))


def main():
    out = csv.writer(__import__("sys").stdout, lineterminator="\n")
    out.writerow(["path", "label", "patient_id", "split", "source", "view"])
    for r in rows("nih-cxr14-pneumonia-512"):
        out.writerow([f"{DATA}/nih-cxr14-pneumonia-512/{r['path']}", r["label"], r["patient_id"], r["split"], "nih-cxr14-pneumonia-512", ""])
    for r in csv.DictReader(open(f"{ROOT}/lungseg-adult-v7/idx.csv")):
        half = "train" if int(hashlib.sha256(r["patient_id"].encode()).hexdigest(), 16) % 2 == 0 else "v7_held_out"
        out.writerow([f"{DATA}/lungseg-adult-v7/{r['img']}", "", r["patient_id"], half, "lungseg-adult-v7", r["view"]])
    children = [r for r in rows("kermany-pneumonia-224") if r["split"] == "train"]
    random.seed(1)
    for r in random.sample(children, 1000):
        out.writerow([f"{DATA}/kermany-pneumonia-224/{r['path']}", r["label"], r["patient_id"], "contrast", "kermany-pneumonia-224", ""])


if __name__ == "__main__":
    main()
