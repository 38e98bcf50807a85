#!/usr/bin/env python3
"""Writes COUNT synthetic 16-bit DX files of about 10 MB (2560 x 2048, 12 bits stored, Explicit VR Little Endian)
into FOLDER for the network benchmark. Pixels are random (seeded), so nothing compresses or dedupes them away.
Usage: /usr/bin/python3 bench/network/generate_dx.py FOLDER [COUNT]"""
import os
import sys

import numpy as np
from pydicom.uid import generate_uid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from pydicom_fixtures import DX, image_dataset, save  # noqa: E402

ROWS, COLUMNS = 2560, 2048


def make(path, index, study, series, rng):
    ds = image_dataset(DX, ROWS, COLUMNS, 16, 12, patient=("BENCH^NETWORK", "BENCH-NET"), study=study, series=series)
    ds.InstanceNumber = index + 1
    ds.PixelData = rng.integers(0, 4096, size=ROWS * COLUMNS, dtype=np.uint16).tobytes()
    save(ds, path)


def main():
    folder = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(20240601)
    study, series = generate_uid(), generate_uid()
    for i in range(count):
        make(os.path.join(folder, f"dx{i:04d}.dcm"), i, study, series, rng)


if __name__ == "__main__":
    main()
