#!/usr/bin/env python3
"""Writes COUNT 16-bit DX chest radiographs of 2500 x 2000 (12 bits stored, Explicit VR Little Endian, about 10 MB)
into FOLDER for the service benchmark: an adult film from ../shared/data/adult-cxr-samples, resized, with seeded noise
so that every file (and its score) differs; CHEST, PA, so the agent scores it. One study per file.
Usage: /usr/bin/python3 bench/service/generate_cxr.py FOLDER COUNT"""
import glob
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pydicom_fixtures import DX, image_dataset, save  # noqa: E402

ROWS, COLUMNS = 2500, 2000
SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "adult-cxr-samples")


def main():
    folder, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(folder, exist_ok=True)
    films = [np.asarray(Image.open(p).convert("L").resize((COLUMNS, ROWS), Image.BILINEAR), dtype=np.uint16) * 16
             for p in sorted(glob.glob(os.path.join(SHARED, "*.png")))]
    rng = np.random.default_rng(20261207)
    for i in range(count):
        # One patient per study, as a worklist has: the similar-study search leaves a patient's own films out.
        ds = image_dataset(DX, ROWS, COLUMNS, 16, 12, patient=(f"BENCH^SERVICE{i:04d}", f"BENCH-SVC-{i:04d}"))
        ds.BodyPartExamined, ds.ViewPosition, ds.InstanceNumber = "CHEST", "PA", 1
        pixels = films[i % len(films)] + rng.integers(0, 16, size=(ROWS, COLUMNS), dtype=np.uint16)
        ds.PixelData = np.minimum(pixels, 4095).astype(np.uint16).tobytes()
        save(ds, os.path.join(folder, f"cxr{i:04d}.dcm"))


if __name__ == "__main__":
    main()
