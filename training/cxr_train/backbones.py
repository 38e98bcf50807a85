"""Backbones of the paper's recipe (torchvision ResNet18/34/50/152, VGG16), weights only from local files.

Nothing is downloaded: `weights` is a path to a state_dict saved with torch.save, or None for random initialisation.
'resnet18-nuget' is the ImageNet ResNet18 shipped in NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 ([2,2,2,3] blocks),
converted from its ONNX file by cntk_resnet.py.
"""
import torch
from torch import nn
from torchvision import models
from torchvision.models.resnet import BasicBlock, ResNet

from .heads import Head

FEATURES = {"resnet18": 512, "resnet34": 512, "resnet50": 2048, "resnet152": 2048, "vgg16": 4096, "resnet18-nuget": 512}


def backbone(name: str, weights: str | None = None) -> nn.Module:
    if name == "resnet18-nuget":
        from .cntk_resnet import load_nuget_resnet18
        return load_nuget_resnet18(weights)
    if name.startswith("resnet"):
        net = getattr(models, name)(weights=None)
        if weights:
            net.load_state_dict(torch.load(weights, map_location="cpu"))
        net.fc = nn.Identity()
        return net
    if name == "vgg16":
        net = models.vgg16(weights=None)
        if weights:
            net.load_state_dict(torch.load(weights, map_location="cpu"))
        net.classifier = nn.Sequential(*list(net.classifier.children())[:-1])  # up to the 4096-d fc7 (+ReLU, dropout)
        return net
    raise ValueError(f"unknown backbone {name!r}; choose from {sorted(FEATURES)}")


class Classifier(nn.Module):
    """Backbone → 3-layer FC head; returns (logits, embedding)."""

    def __init__(self, name: str, weights: str | None = None, freeze_backbone: bool = False):
        super().__init__()
        self.backbone = backbone(name, weights)
        if freeze_backbone:
            for p in self.backbone.parameters():
                p.requires_grad = False
        self.head = Head(FEATURES[name])

    def forward(self, x):
        return self.head(self.backbone(x))
