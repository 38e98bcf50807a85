"""Copies the headline numbers of a `cxr-agent evaluate` run into a package's model.json.

  python3 -m cxr_train.record_metrics --package PKG --metrics EVAL_DIR/metrics.json --name val
"""
import argparse
import json

from . import package

KEYS = ("n", "positives", "threshold", "accuracy", "sensitivity", "specificity", "roc_auc", "pr_auc", "ci95", "bootstrap",
        "knn4_vote_accuracy", "ood", "skipped_by_class")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", required=True)
    ap.add_argument("--metrics", required=True)
    ap.add_argument("--name", default="val")
    a = ap.parse_args(argv)
    with open(a.metrics) as f:
        ev = json.load(f)
    m = package.read_manifest(a.package)
    entry = {k: ev[k] for k in KEYS if k in ev}
    entry["data"] = ev.get("data")
    if "calibration" in ev:
        entry["calibration"] = {k: ev["calibration"][k] for k in ("ece", "brier")}
    entry["source"] = "cxr-agent evaluate (C# preprocessing + ONNX Runtime)"
    if "shortcut_audit_lungs_masked" in ev:
        audit = ev["shortcut_audit_lungs_masked"]
        entry["shortcut_audit_lungs_masked"] = {k: audit[k] for k in ("roc_auc", "accuracy", "ci95") if k in audit}
    m.setdefault("metrics", {})[a.name] = entry
    package.write_manifest(a.package, m)
    print(json.dumps(entry, indent=1))


if __name__ == "__main__":
    main()
