"""The NuGet ImageNet ResNet18 cut in two: a frozen trunk (run by ONNX Runtime from the NuGet file, up to a named inner
tensor) and a tail of the last residual blocks, pooling and the FC head, which can be fine-tuned and shipped.

Cuts name the point after which the tail begins; the tensor names are those of the NuGet ONNX file, so the C# runtime
can stop the NuGet graph at the same place (`model.json` graph entry `output`).
"""
import copy

import torch
from torch import nn

from .heads import Head

# cut -> (tensor of the NuGet ResNet18.onnx, residual blocks of layer4 in the tail). The NuGet net has [2,2,2,3] blocks.
CUTS = {
    "layer4": ("ReLU347_Output_0", 3),
    "layer4.1": ("ReLU365_Output_0", 2),
    "layer4.2": ("ReLU379_Output_0", 1),
    "pool": ("Pooling395_Output_0", 0),
}


def trunk(net: nn.Module, x: torch.Tensor, cut: str) -> torch.Tensor:
    """The converted NuGet net (cntk_resnet.load_nuget_resnet18) up to the cut: [N,C,h,w], or [N,512] for 'pool'."""
    x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
    x = net.layer3(net.layer2(net.layer1(x)))
    tail_blocks = CUTS[cut][1]
    for block in list(net.layer4)[:len(net.layer4) - tail_blocks]:
        x = block(x)
    return torch.flatten(net.avgpool(x), 1) if cut == "pool" else x


class Tail(nn.Module):
    """The last `blocks` residual blocks of the net (copies), global average pooling and a fresh 3-layer head.

    Only the last `trainable` blocks learn; every batch-norm keeps its ImageNet statistics (eval mode), since batches
    of a few dozen films would give noisy ones. Returns (logits, embedding) like the toolkit's other classifiers.
    """

    def __init__(self, net: nn.Module, blocks: int, trainable: int, features: int = 512):
        super().__init__()
        if not 0 <= trainable <= blocks <= len(net.layer4):
            raise ValueError(f"trainable {trainable} and blocks {blocks} must satisfy 0 <= trainable <= blocks <= {len(net.layer4)}")
        self.blocks = nn.Sequential(*[copy.deepcopy(b) for b in list(net.layer4)[len(net.layer4) - blocks:]])
        for i, block in enumerate(self.blocks):
            for p in block.parameters():
                p.requires_grad = i >= blocks - trainable
        self.head = Head(features)

    def train(self, mode: bool = True):
        super().train(mode)
        self.blocks.eval()
        return self

    def pooled(self, x: torch.Tensor) -> torch.Tensor:
        x = self.blocks(x)
        return x if x.dim() == 2 else x.mean(dim=(2, 3))

    def forward(self, x: torch.Tensor):
        return self.head(self.pooled(x))
