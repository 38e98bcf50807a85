"""Builds the pixel-data test objects with pydicom 2.3.1 (run with /usr/bin/python3).

make_pixel_samples.py OUTDIR CXR_PNG...
  OUTDIR/native/*.dcm   small native variants: 8/16 bit, signed/unsigned, Bits Stored < Bits Allocated, MONOCHROME1/2,
                        RGB in both planar configurations, multi-frame
  OUTDIR/source/*.dcm   inputs for the DCMTK compressors: two 2500x2000 16-bit chest images (16 and 12 bits stored)
                        made from the PNGs, and small 8/16-bit crops and an RGB image for variety
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))
from pydicom_fixtures import DX, SC, image_dataset, save  # noqa: E402


def write(path, arr, bits_stored, signed=False, photometric="MONOCHROME2", planar=0, frames=1, sop=SC, extra=None):
    spp = 3 if photometric == "RGB" else 1
    rows, cols = arr.shape[1:3] if frames > 1 else arr.shape[:2]
    ds = image_dataset(sop, rows, cols, 8 if arr.dtype.itemsize == 1 else 16, bits_stored, photometric=photometric,
                       samples=spp, signed=signed, patient=("Pixel^Test", "PIX"))
    if spp > 1:
        ds.PlanarConfiguration = planar
    if frames > 1:
        ds.NumberOfFrames = frames
    if sop == DX:
        ds.PresentationLUTShape = "IDENTITY"
    for k, v in (extra or {}).items():
        setattr(ds, k, v)
    data = arr
    if spp > 1 and planar == 1:
        # pydicom arrays are (rows, cols, spp); colour-by-plane stores each plane whole.
        data = np.moveaxis(arr, -1, -3 if frames == 1 else -3)
    ds.PixelData = np.ascontiguousarray(data).astype(arr.dtype.newbyteorder("<")).tobytes()
    save(ds, path)


def stored(rng, shape, bits, signed, dtype):
    if signed:
        v = rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), size=shape, dtype=np.int64)
    else:
        v = rng.integers(0, 1 << bits, size=shape, dtype=np.int64)
    return v.astype(dtype)


def chest(png, rows, cols, bits):
    """A chest image scaled to fit rows x cols, padded, with a smooth gradient and noise so every bit is used."""
    im = Image.open(png).convert("L")
    scale = min(cols / im.width, rows / im.height)
    im = im.resize((max(1, int(im.width * scale)), max(1, int(im.height * scale))), Image.BILINEAR)
    canvas = np.zeros((rows, cols), dtype=np.float64)
    y0, x0 = (rows - im.height) // 2, (cols - im.width) // 2
    canvas[y0:y0 + im.height, x0:x0 + im.width] = np.asarray(im, dtype=np.float64)
    rng = np.random.default_rng(len(png) + bits)
    yy, xx = np.mgrid[0:rows, 0:cols]
    maxv = (1 << bits) - 1
    v = canvas / 255.0 * (maxv * 0.9) + (xx + yy) / (rows + cols) * maxv * 0.08 + rng.normal(0, maxv / 800.0, canvas.shape)
    return np.clip(np.rint(v), 0, maxv).astype(np.uint16)


def main():
    out, pngs = sys.argv[1], sys.argv[2:]
    native = os.path.join(out, "native")
    source = os.path.join(out, "source")
    os.makedirs(native, exist_ok=True)
    os.makedirs(source, exist_ok=True)
    rng = np.random.default_rng(20261201)
    write(f"{native}/u8.dcm", stored(rng, (37, 41), 8, False, np.uint8), 8)
    write(f"{native}/s8.dcm", stored(rng, (19, 23), 8, True, np.int8), 8, signed=True)
    write(f"{native}/u16.dcm", stored(rng, (33, 29), 16, False, np.uint16), 16)
    write(f"{native}/s16.dcm", stored(rng, (31, 27), 16, True, np.int16), 16, signed=True)
    write(f"{native}/u12.dcm", stored(rng, (40, 30), 12, False, np.uint16), 12)
    write(f"{native}/s12.dcm", stored(rng, (30, 40), 12, True, np.int16), 12, signed=True)
    write(f"{native}/u10_mono1.dcm", stored(rng, (25, 35), 10, False, np.uint16), 10, photometric="MONOCHROME1")
    write(f"{native}/rgb_planar0.dcm", stored(rng, (17, 13, 3), 8, False, np.uint8), 8, photometric="RGB", planar=0)
    write(f"{native}/rgb_planar1.dcm", stored(rng, (17, 13, 3), 8, False, np.uint8), 8, photometric="RGB", planar=1)
    write(f"{native}/rgb16_planar1.dcm", stored(rng, (9, 11, 3), 16, False, np.uint16), 16, photometric="RGB", planar=1)
    write(f"{native}/frames3_s16.dcm", stored(rng, (3, 21, 19), 16, True, np.int16), 16, signed=True, frames=3)
    write(f"{native}/frames4_u12.dcm", stored(rng, (4, 16, 24), 12, False, np.uint16), 12, frames=4)
    write(f"{native}/frames2_rgb_planar1.dcm", stored(rng, (2, 7, 5, 3), 8, False, np.uint8), 8, photometric="RGB", planar=1, frames=2)

    # Two full-size chest images for the codecs, and small crops for variety.
    big16 = chest(pngs[0], 2000, 2500, 16)
    big12 = chest(pngs[1 % len(pngs)], 2000, 2500, 12)
    write(f"{source}/cxr16.dcm", big16, 16, sop=DX)
    write(f"{source}/cxr12.dcm", big12, 12, sop=DX)
    for i, png in enumerate(pngs[2:6]):
        small = chest(png, 97 + 13 * i, 131 - 7 * i, 16)
        write(f"{source}/crop16_{i}.dcm", small, 16, sop=DX)
        write(f"{source}/crop12_{i}.dcm", (small >> 4).astype(np.uint16), 12, sop=DX)
        write(f"{source}/crop8_{i}.dcm", (small >> 8).astype(np.uint8), 8)
    flat = np.full((64, 80), 1234, dtype=np.uint16)
    flat[20:30, 10:70] = 4000
    write(f"{source}/flat12.dcm", flat, 12)
    noise = stored(rng, (48, 56), 16, False, np.uint16)
    write(f"{source}/noise16.dcm", noise, 16)
    gray8 = (chest(pngs[0], 600, 500, 8)).astype(np.uint8)
    write(f"{source}/gray8.dcm", gray8, 8)
    yy, xx = np.mgrid[0:70, 0:90]
    rgb = np.stack([xx * 2, yy * 3, (xx + yy) % 256], axis=-1).astype(np.uint8)
    rgb[10:40, 20:60] = (200, 30, 90)
    write(f"{source}/rgb8.dcm", rgb, 8, photometric="RGB")


if __name__ == "__main__":
    main()
