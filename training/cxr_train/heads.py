"""The classifier head: three fully connected layers; the last hidden layer is the embedding used for retrieval."""
import torch
from torch import nn


class Head(nn.Module):
    """features -> FC -> ReLU -> dropout -> FC -> ReLU (= embedding) -> FC -> 2 logits."""

    def __init__(self, in_features: int, hidden: int = 256, embedding: int = 128, dropout: float = 0.3):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.fc2 = nn.Linear(hidden, embedding)
        self.fc3 = nn.Linear(embedding, 2)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor):
        x = torch.flatten(x, 1)
        emb = torch.relu(self.fc2(self.drop(torch.relu(self.fc1(x)))))
        return self.fc3(emb), emb


class Scored(nn.Module):
    """Export wrapper: (logits, embedding) -> (score = P(positive), embedding), the package output contract."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor):
        logits, emb = self.net(x)
        return torch.softmax(logits, dim=1)[:, 1], emb
