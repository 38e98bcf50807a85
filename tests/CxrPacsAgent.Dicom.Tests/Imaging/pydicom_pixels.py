"""Writes pydicom 2.3.1's ds.pixel_array of each file as little-endian int32 (frames, rows, cols, samples) to FILE.i32.

pydicom_pixels.py FILE...   (run with /usr/bin/python3; only native transfer syntaxes are asked of it)
"""
import sys

import numpy as np
import pydicom

for path in sys.argv[1:]:
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    arr.astype("<i4").tofile(path + ".i32")
