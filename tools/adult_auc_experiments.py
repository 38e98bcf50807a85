"""Val-AUC experiments for the adult package (docs/training.md): test-time augmentation of the shipped tail and seed
ensembles of frozen-backbone heads, on cached trunk features and exported val tensors. From the repository root:

  /usr/bin/python3 tools/adult_auc_experiments.py F_NIH T_VAL [--heads-only]

F_NIH: `cxr-agent export-tensors --features --model models/cxr-pneumonia-adult-resnet18` of the whole
nih-cxr14-pneumonia-512 set (trunk output [N,512,7,7]); T_VAL: `export-tensors` (input tensors) of its 155 val films
through a labels.csv of absolute paths. Every figure is a val ROC AUC with its 95 % CI (1,000 patient resamples, seed
12345); nothing here trains on val, but every choice read from it is optimistic.
"""
import csv, sys, time, numpy as np, onnx, torch
from onnx import numpy_helper
sys.path.insert(0, "training")
F_NIH, T_VAL = sys.argv[1], sys.argv[2]
from cxr_train.cntk_resnet import load_nuget_resnet18
from cxr_train.trunk import trunk
from cxr_train.heads import Head
from cxr_train.losses import l2_penalty
from cxr_train.metrics import auc, bootstrap_auc
torch.set_num_threads(2)
W = {i.name.replace("_fp16", ""): torch.from_numpy(numpy_helper.to_array(i).astype(np.float32)) for i in onnx.load("models/cxr-pneumonia-adult-resnet18/tail.onnx").graph.initializer}
def tail_score(x):
    with torch.no_grad():
        x = torch.as_tensor(x).float()
        h = torch.relu(torch.nn.functional.conv2d(x, W["net.blocks.0.conv1.weight"], W["net.blocks.0.conv1.bias"], padding=1))
        h = torch.relu(torch.nn.functional.conv2d(h, W["net.blocks.0.conv2.weight"], W["net.blocks.0.conv2.bias"], padding=1) + x)
        p = h.mean((2, 3))
        p = torch.relu(p @ W["net.head.fc1.weight"].T + W["net.head.fc1.bias"]); p = torch.relu(p @ W["net.head.fc2.weight"].T + W["net.head.fc2.bias"])
        return torch.softmax(p @ W["net.head.fc3.weight"].T + W["net.head.fc3.bias"], 1)[:, 1].numpy()
labels = {r["path"]: r for r in csv.DictReader(open("../shared/data/nih-cxr14-pneumonia-512/labels.csv"))}
rows = [r for r in csv.DictReader(open(F_NIH + "/index.csv"))]
F = np.load(F_NIH + "/features.npy").reshape(-1, 512, 7, 7)
split = np.array([labels[r["path"]]["split"] for r in rows]); y = np.array([labels[r["path"]]["label"] == "PNEUMONIA" for r in rows]).astype(int)
pid = np.array([labels[r["path"]]["patient_id"] for r in rows]); tr, va = split == "train", split == "val"
def report(name, s):
    lo, hi = bootstrap_auc(y[va], s, pid[va], n=1000, seed=12345)
    print(f"{name:55s} val ROC AUC {auc(y[va], s):.4f} ({lo:.4f}-{hi:.4f})", flush=True)
base = tail_score(F[va]); report("shipped tail (cached trunk features)", base)
# TTA: flips and shifts of the val input tensors through the NuGet trunk
net = load_nuget_resnet18().eval()
trows = list(csv.DictReader(open(T_VAL + "/index.csv")))
order = {r["path"].split("nih-cxr14-pneumonia-512/")[1]: i for i, r in enumerate(trows)}
vrows = [r["path"] for r, v in zip(rows, va) if v]
T = np.stack([np.load(T_VAL + "/" + trows[order[p]]["tensor"]) for p in vrows]).astype(np.float32)
def through(x):
    with torch.no_grad():
        return np.concatenate([tail_score(trunk(net, torch.from_numpy(x[s:s+16]), "layer4.2")) for s in range(0, len(x), 16)])
HEADS_ONLY = "--heads-only" in sys.argv
plain = through(T) if not HEADS_ONLY else base
if not HEADS_ONLY: report("shipped tail, val tensors through the PyTorch trunk", plain)
flip = through(T[:, :, :, ::-1].copy()) if not HEADS_ONLY else base
if not HEADS_ONLY: report("TTA: mean of plain and left-right flip", (plain + flip) / 2)
def shift(x, dx, dy):
    return np.roll(x, (dy, dx), axis=(2, 3))  # wraps 8 px of border round: a small, cheap shift
if not HEADS_ONLY:
    sh = [through(shift(T, dx, dy)) for dx, dy in ((8, 0), (-8, 0), (0, 8), (0, -8))]
    report("TTA: mean of plain and 4 shifts of 8 px", (plain + sum(sh)) / 5)
    report("TTA: mean of plain, flip and 4 shifts", (plain + flip + sum(sh)) / 6)
# seed ensembles of frozen heads (the NuGet last block frozen, pooled, head trained on the 642 plain train films)
with torch.no_grad():
    blk = net.layer4[2].eval()
    P = np.concatenate([blk(torch.from_numpy(F[s:s+64]).float()).mean((2, 3)).numpy() for s in range(0, len(F), 64)])
def train_head(seed, epochs=26, l2=1e-2, weighted=True):
    torch.manual_seed(seed); g = torch.Generator().manual_seed(seed); h = Head(512)
    opt = torch.optim.Adam(h.parameters(), lr=1e-3); sch = torch.optim.lr_scheduler.ExponentialLR(opt, 0.96)
    X = torch.from_numpy(P[tr]).float(); t = torch.from_numpy(y[tr])
    c = np.bincount(y[tr]); w = torch.tensor(len(t) / (2.0 * c), dtype=torch.float32) if weighted else None
    for e in range(epochs):
        h.train(); perm = torch.randperm(len(t), generator=g)
        for s in range(0, len(perm), 64):
            i = perm[s:s+64]; logits, _ = h(X[i])
            loss = torch.nn.functional.cross_entropy(logits, t[i], weight=w) + l2_penalty(h, l2)
            opt.zero_grad(); loss.backward(); opt.step()
        sch.step()
    h.eval()
    with torch.no_grad(): return torch.softmax(h(torch.from_numpy(P[va]).float())[0], 1)[:, 1].numpy()
heads = [train_head(s) for s in range(5)]
for s, h in enumerate(heads): report(f"frozen head, seed {s}", h)
ens = np.mean(heads, 0); report("frozen heads, 5 seeds averaged", ens)
report("shipped tail + 5 frozen heads (mean of the two)", (base + ens) / 2)
if not HEADS_ONLY: report("shipped tail TTA(flip) + 5 frozen heads", ((plain + flip) / 2 + ens) / 2)
for l2 in (1e-3, 1e-1):
    report(f"frozen heads, 5 seeds, L2 {l2}", np.mean([train_head(s, l2=l2) for s in range(5)], 0))
report("frozen heads, 5 seeds, no class weights", np.mean([train_head(s, weighted=False) for s in range(5)], 0))
