"""model.json: the manifest the C# runtime validates (src/CxrPacsAgent.Inference/Packages/ModelManifest.cs)."""
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


def manifest(name, version, task, graphs, *, size=224, channels=("image", "lung_map", "zeros"),
             normalization=None, threshold=0.5, positive="PNEUMONIA", negative="NORMAL",
             augmentation=None, training_data=None, metrics=None, finding=None):
    return {
        "schema_version": 1,
        "name": name,
        "version": version,
        "task": task,
        "input": {"width": size, "height": size, "channels": list(channels),
                  "normalization": normalization or RESNET_BGR_MEAN},
        "graphs": graphs,
        "outputs": {"score": "score", "embedding": "embedding"},
        "threshold": threshold,
        "positive_label": positive,
        "negative_label": negative,
        "finding": finding or PNEUMONIA_FINDING,
        "augmentation": augmentation if augmentation is not None else {},
        "training_data": training_data or {},
        "metrics": metrics or {},
    }


def write_manifest(folder: str, m: dict) -> str:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.json")
    with open(path, "w") as f:
        json.dump(m, f, indent=2)
        f.write("\n")
    return path


def read_manifest(folder: str) -> dict:
    with open(os.path.join(folder, "model.json")) as f:
        return json.load(f)
