"""model.json: the manifest the C# runtime validates (src/CxrPacsAgent.Inference/Packages/ModelManifest.cs)."""
import hashlib
import json
import os

# The paper's augmentation recipe (probability each is applied to a training image).
PAPER_AUGMENTATION = {
    "brighten": {"p": 0.4, "factor": [0.8, 1.2]},
    "gamma_contrast": {"p": 0.3, "gamma": [0.7, 1.5]},
    "clahe": {"p": 0.4, "clip_limit": 2.0, "tiles": 8},
    "rotate": {"p": 0.4, "degrees": 7},
    "shear": {"p": 0.4, "degrees": 7},
    "scale": {"p": 0.4, "max_per_axis": 0.2},
    "flip_left_right": {"p": 0.5},
    "sharpen_or_blur": {"p": 0.3, "sharpen_alpha": [0.0, 0.5], "blur_sigma": [0.0, 1.0]},
}

# ResNet (CNTK/NuGet) convention: 0-255, BGR means; the tensor's [image, lung map, zeros] feed B, G, R.
RESNET_BGR_MEAN = {"scale": 255.0, "mean": [103.1, 115.9, 123.2], "std": [1.0, 1.0, 1.0]}
TORCHVISION_IMAGENET = {"scale": 1.0, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}

# The finding a positive score names in the DICOM SR results (a code of PS3.16 Code Sequence Macro form).
PNEUMONIA_FINDING = {"code_value": "233604007", "coding_scheme_designator": "SCT", "code_meaning": "Pneumonia"}
COVID19_FINDING = {"code_value": "840544004", "coding_scheme_designator": "SCT",
                   "code_meaning": "Suspected disease caused by SARS-CoV-2"}


# The schema ModelManifest.cs reads (CurrentSchemaVersion): sha256 per file, the preprocessing version, calibration, OOD.
SCHEMA_VERSION = 2

# Where the NuGet ImageNet ResNet18 lives when a package names it without carrying it (hashed from there).
NUGET_RESNET18 = os.path.expanduser(
    "~/.nuget/packages/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx")


def manifest(name, version, task, graphs, *, preprocessing, size=224, channels=("image", "lung_map", "zeros"),
             normalization=None, threshold=0.5, positive="PNEUMONIA", negative="NORMAL",
             augmentation=None, training_data=None, metrics=None, finding=None):
    """`preprocessing` is the template's model.json entry: the version of the C# preprocessing the tensors came from."""
    if not preprocessing or "version" not in preprocessing:
        raise ValueError("the template names no preprocessing version (model.json 'preprocessing': {'version': N})")
    return {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "version": version,
        "task": task,
        "input": {"width": size, "height": size, "channels": list(channels),
                  "normalization": normalization or RESNET_BGR_MEAN},
        "graphs": graphs,
        "preprocessing": dict(preprocessing),
        "outputs": {"score": "score", "embedding": "embedding"},
        "threshold": threshold,
        "positive_label": positive,
        "negative_label": negative,
        "finding": finding or PNEUMONIA_FINDING,
        "augmentation": augmentation if augmentation is not None else {},
        "training_data": training_data or {},
        "metrics": metrics or {},
    }


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def hash_files(folder: str, m: dict) -> None:
    """Lists the sha256 of every file model.json names (graphs, lung_segmenter, ood) that can be found; the runtime checks them."""
    entries = list(m.get("graphs", [])) + [m[k] for k in ("lung_segmenter", "ood") if isinstance(m.get(k), dict)]
    for entry in entries:
        for candidate in (os.path.join(folder, entry["file"]), NUGET_RESNET18 if entry["file"] == "ResNet18.onnx" else None):
            if candidate and os.path.exists(candidate):
                entry["sha256"] = sha256(candidate)
                break


def write_manifest(folder: str, m: dict) -> str:
    """Writes model.json with the sha256 of the files it names, so the package loads as the runtime requires."""
    os.makedirs(folder, exist_ok=True)
    hash_files(folder, m)
    path = os.path.join(folder, "model.json")
    with open(path, "w") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    return path


def read_manifest(folder: str) -> dict:
    with open(os.path.join(folder, "model.json")) as f:
        return json.load(f)
