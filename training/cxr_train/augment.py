"""The paper's random augmentations, applied in PyTorch to tensors the C# preprocessing exported.

Works on [0,1] channels (the manifest's normalisation is undone first and redone after): intensity changes touch the
image channel only; geometric ones move image and lung map together. Probabilities are in package.PAPER_AUGMENTATION.
"""
import math
import random

import numpy as np
import torch
import torch.nn.functional as F

from .package import PAPER_AUGMENTATION


def denormalize(x: torch.Tensor, norm: dict) -> torch.Tensor:
    mean = torch.tensor(norm["mean"], dtype=x.dtype).view(3, 1, 1)
    std = torch.tensor(norm["std"], dtype=x.dtype).view(3, 1, 1)
    return (x * std + mean) / norm["scale"]


def normalize(x: torch.Tensor, norm: dict) -> torch.Tensor:
    mean = torch.tensor(norm["mean"], dtype=x.dtype).view(3, 1, 1)
    std = torch.tensor(norm["std"], dtype=x.dtype).view(3, 1, 1)
    return (x * norm["scale"] - mean) / std


def clahe(img: np.ndarray, clip_limit: float = 2.0, tiles: int = 8, bins: int = 256) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation of a [0,1] image (tile maps blended bilinearly)."""
    h, w = img.shape
    q = np.clip((img * (bins - 1)).round().astype(np.int64), 0, bins - 1)
    ty, tx = max(1, h // tiles), max(1, w // tiles)
    ny, nx = math.ceil(h / ty), math.ceil(w / tx)
    maps = np.zeros((ny, nx, bins))
    for i in range(ny):
        for j in range(nx):
            tile = q[i * ty:(i + 1) * ty, j * tx:(j + 1) * tx]
            hist = np.bincount(tile.ravel(), minlength=bins).astype(np.float64)
            limit = max(1.0, clip_limit * tile.size / bins)
            excess = np.maximum(hist - limit, 0).sum()
            hist = np.minimum(hist, limit) + excess / bins
            cdf = np.cumsum(hist)
            maps[i, j] = (cdf - cdf[0]) / max(cdf[-1] - cdf[0], 1e-9)
    # Bilinear blend of the four nearest tile maps, by pixel centre.
    yc = np.clip((np.arange(h) + 0.5) / ty - 0.5, 0, ny - 1)
    xc = np.clip((np.arange(w) + 0.5) / tx - 0.5, 0, nx - 1)
    y0, x0 = np.floor(yc).astype(int), np.floor(xc).astype(int)
    y1, x1 = np.minimum(y0 + 1, ny - 1), np.minimum(x0 + 1, nx - 1)
    fy, fx = (yc - y0)[:, None], (xc - x0)[None, :]
    v = lambda a, b: maps[a[:, None], b[None, :], q]
    top = v(y0, x0) * (1 - fx) + v(y0, x1) * fx
    bottom = v(y1, x0) * (1 - fx) + v(y1, x1) * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)


def _affine(x: torch.Tensor, rng: random.Random, cfg: dict) -> torch.Tensor:
    m = torch.eye(3)
    if rng.random() < cfg["rotate"]["p"]:
        a = math.radians(rng.uniform(-cfg["rotate"]["degrees"], cfg["rotate"]["degrees"]))
        m = m @ torch.tensor([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
    if rng.random() < cfg["shear"]["p"]:
        s = math.tan(math.radians(rng.uniform(-cfg["shear"]["degrees"], cfg["shear"]["degrees"])))
        m = m @ torch.tensor([[1, s, 0], [0, 1, 0], [0, 0, 1]], dtype=torch.float32)
    if rng.random() < cfg["scale"]["p"]:
        k = cfg["scale"]["max_per_axis"]
        # "Scale up": the grid shrinks, so the content grows by up to k on each axis independently.
        m = m @ torch.diag(torch.tensor([1 / (1 + rng.uniform(0, k)), 1 / (1 + rng.uniform(0, k)), 1.0]))
    if torch.equal(m, torch.eye(3)):
        return x
    grid = F.affine_grid(m[:2].unsqueeze(0), [1, *x.shape], align_corners=False)
    return F.grid_sample(x.unsqueeze(0), grid, mode="bilinear", padding_mode="zeros", align_corners=False)[0]


def augment(x01: torch.Tensor, rng: random.Random, cfg: dict = PAPER_AUGMENTATION) -> torch.Tensor:
    """x01: [3,H,W] in [0,1] as [image, lung map, zeros] (or any layout: channel 0 is treated as the image)."""
    x = x01.clone()
    img = x[0]
    if rng.random() < cfg["brighten"]["p"]:
        img = img * rng.uniform(*cfg["brighten"]["factor"])
    if rng.random() < cfg["gamma_contrast"]["p"]:
        img = img.clamp(0, 1) ** rng.uniform(*cfg["gamma_contrast"]["gamma"])
    if rng.random() < cfg["clahe"]["p"]:
        img = torch.from_numpy(clahe(img.clamp(0, 1).numpy(), cfg["clahe"]["clip_limit"], cfg["clahe"]["tiles"]))
    if rng.random() < cfg["sharpen_or_blur"]["p"]:
        img = _sharpen_or_blur(img, rng, cfg["sharpen_or_blur"])
    x[0] = img.clamp(0, 1)
    x = _affine(x, rng, cfg)
    if rng.random() < cfg["flip_left_right"]["p"]:
        x = torch.flip(x, dims=[2])
    return x


def _sharpen_or_blur(img: torch.Tensor, rng: random.Random, cfg: dict) -> torch.Tensor:
    if rng.random() < 0.5:
        alpha = rng.uniform(*cfg["sharpen_alpha"])
        k = torch.tensor([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=img.dtype)
        sharp = F.conv2d(img[None, None], k[None, None], padding=1)[0, 0]
        return (1 - alpha) * img + alpha * sharp
    sigma = rng.uniform(*cfg["blur_sigma"])
    if sigma < 0.1:
        return img
    r = max(1, int(math.ceil(2 * sigma)))
    t = torch.arange(-r, r + 1, dtype=img.dtype)
    g = torch.exp(-(t ** 2) / (2 * sigma ** 2))
    g = g / g.sum()
    out = F.conv2d(img[None, None], g.view(1, 1, 1, -1), padding=(0, r))
    return F.conv2d(out, g.view(1, 1, -1, 1), padding=(r, 0))[0, 0]
