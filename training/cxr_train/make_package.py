"""Writes model.json for a classifier on the NuGet ResNet18: the NuGet graph (whole, or stopped at the tensor a
fine-tuned tail starts from), then the trained graph that finetune.py exported.

  python3 -m cxr_train.make_package --package PKG --name NAME --version X.Y.Z --task TEXT [--record finetune.json]
      [--dataset TEXT] [--threshold 0.5] [--preprocessing-version N]

Without --record it writes a template (graphs: ResNet18.onnx, head.onnx) that `cxr-agent export-tensors` can read
before anything is trained. An existing lung_segmenter entry (lungseg.py) is kept.
"""
import argparse
import json
import os

from . import package
from .trunk import CUTS

NUGET_SOURCE = ("nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1 tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx "
                "(ImageNet, frozen; copied beside the binaries at build)")


def graphs(record: dict | None) -> list:
    nuget = {"file": "ResNet18.onnx", "source": NUGET_SOURCE}
    if record is None:
        return [nuget, {"file": "head.onnx"}]
    follows = record["graph"]["follows"]
    if follows != CUTS["pool"][0]:
        nuget["output"] = follows
    return [nuget, {"file": record["graph"]["file"]}]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--task", required=True)
    ap.add_argument("--record", help="finetune.py --record output of the shipped run")
    ap.add_argument("--dataset", default="", help="the training data, in words")
    ap.add_argument("--positive", default="PNEUMONIA")
    ap.add_argument("--negative", default="NORMAL")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--preprocessing-version", type=int, help="CxrPreprocessor.Version, when the package has no model.json yet")
    a = ap.parse_args(argv)
    old = package.read_manifest(a.package) if os.path.exists(os.path.join(a.package, "model.json")) else {}
    record = None
    if a.record:
        with open(a.record) as f:
            record = json.load(f)
    augmentation = ({"applied": "the toolkit's augmentations, as cached augmented copies (feature_cache.py)",
                     "recipe": package.PAPER_AUGMENTATION} if record and record["augment"] else {"applied": "none"})
    training = {"dataset": a.dataset}
    if record:
        training.update({k: record[k] for k in ("cut", "trainable_blocks", "epochs", "batch", "lr_head", "lr_backbone",
                                                "decay", "l2_head", "class_weights", "seed", "seconds") if k in record})
        training["n_train"] = record["train"]["n"]
        training["n_train_positive"] = record["train"]["positives"]
    # The preprocessing version the tensors were exported with: the template's (export-tensors read that model.json).
    preprocessing = old.get("preprocessing") or ({"version": a.preprocessing_version} if a.preprocessing_version else None)
    m = package.manifest(a.name, a.version, a.task, graphs(record), preprocessing=preprocessing,
                         threshold=a.threshold, positive=a.positive,
                         negative=a.negative, augmentation=augmentation, training_data=training,
                         metrics={"toolkit_check": {"val": record["val"], "train": record["train"]}} if record else {})
    for key in ("lung_segmenter", "finding"):
        if key in old:
            m[key] = old[key]
    print(package.write_manifest(a.package, m))


if __name__ == "__main__":
    main()
