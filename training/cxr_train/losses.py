"""Cross-entropy plus the paper's L2 penalty (lambda * sum of squared weights, Keras kernel_regularizer style)."""
import torch
from torch import nn


def l2_penalty(net: nn.Module, weight: float) -> torch.Tensor:
    terms = [(p ** 2).sum() for n, p in net.named_parameters() if p.requires_grad and n.endswith("weight") and p.dim() > 1]
    return weight * torch.stack(terms).sum() if terms else torch.zeros(())


def loss_fn(logits, targets, net, l2: float, class_weights=None):
    return nn.functional.cross_entropy(logits, targets, weight=class_weights) + l2_penalty(net, l2)
