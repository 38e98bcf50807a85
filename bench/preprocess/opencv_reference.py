"""The same preprocessing with numpy + OpenCV 4.6 (Debian python3-opencv), as the study's Python would run it:
16-bit 2500x2000 → [0,1] → percentile standardisation → 8-bit → CLAHE 8x8/2.0 → aspect resize to 224 with padding.
Prints the median and minimum ms of N runs after 3 warm-up runs. Run with /usr/bin/python3.
"""
import sys
import time
import cv2
import numpy as np

source, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
grey = cv2.imread(source, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255
stored = np.round(np.clip(cv2.resize(grey, (2000, 2500), interpolation=cv2.INTER_LINEAR), 0, 1) * 65535).astype(np.uint16)
clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))


def preprocess(pixels):
    image = pixels.astype(np.float32) / 65535
    lo, hi = np.percentile(image, [1, 99])
    standardized = np.clip((image - lo) / (hi - lo), 0, 1)
    equalized = clahe.apply(np.round(standardized * 255).astype(np.uint8))
    h, w = equalized.shape
    scale = min(224 / w, 224 / h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    resized = cv2.resize(equalized, (nw, nh), interpolation=cv2.INTER_LINEAR)
    out = np.zeros((224, 224), np.float32)
    y, x = (224 - nh) // 2, (224 - nw) // 2
    out[y:y + nh, x:x + nw] = resized / 255.0
    return out


times = []
for run in range(runs + 3):
    start = time.perf_counter()
    preprocess(stored)
    times.append((time.perf_counter() - start) * 1000)
times = sorted(times[3:])
print(f"| OpenCV {cv2.__version__} + numpy reference (no crop, no lung map) | {times[len(times) // 2]:.1f} ms | {times[0]:.1f} ms |")
