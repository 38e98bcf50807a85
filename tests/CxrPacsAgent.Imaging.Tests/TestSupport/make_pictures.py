"""Writes the picture fixtures for the Sources tests into OUT (an independent encoder: Pillow, and zlib by hand).

16-bit PNGs (grey with every filter type row by row, RGBA, grey with an eXIf orientation), JPEGs with EXIF orientation
tags, and truncated or damaged copies. For each picture that must decode, NAME.expected holds the upright image as a
viewer shows it: width and height (uint32 little endian), then the samples as uint16 little endian (8-bit sources
scaled by 257, so every expectation is on the 0-65535 scale).
"""
import struct
import sys
import zlib

import numpy as np
from PIL import Image, ImageOps

out = sys.argv[1]


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def png16(samples, color_type, exif=None):
    """samples: uint16 array [h, w, channels]; row y uses filter y % 5."""
    h, w, ch = samples.shape
    bpp = 2 * ch
    raw = samples.astype(">u2").reshape(h, w * ch).view(np.uint8).reshape(h, w * bpp)
    body, prev = b"", np.zeros(w * bpp, dtype=np.int64)
    for y in range(h):
        line, f = raw[y].astype(np.int64), y % 5
        enc = np.zeros_like(line)
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, prev[i], (a + prev[i]) // 2, paeth(a, prev[i], c)][f]
            enc[i] = (line[i] - pred) % 256
        body += bytes([f]) + bytes(enc.astype(np.uint8))
        prev = line
    ihdr = struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0)
    extra = chunk(b"eXIf", exif) if exif else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(body, 9)) + chunk(b"IEND", b"")


def expected(name, grey16):
    h, w = grey16.shape
    with open(f"{out}/{name}.expected", "wb") as f:
        f.write(struct.pack("<II", w, h) + grey16.astype("<u2").tobytes())


def exif_orientation(value):
    # TIFF header (big endian), IFD0 with one entry: Orientation (0x0112), SHORT, count 1.
    return b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, value, 0) + b"\x00" * 4


rng = np.random.default_rng(7)
# A grey gradient with noise that uses all 16 bits (odd values, low byte busy).
grey = (np.linspace(0, 65535, 37 * 29).reshape(29, 37) + rng.integers(-300, 300, (29, 37))).clip(0, 65535).astype(np.uint16)
with open(f"{out}/grey16-filters.png", "wb") as f:
    f.write(png16(grey[:, :, None], 0))
expected("grey16-filters", grey)
Image.fromarray(grey.astype(np.int32)).save(f"{out}/grey16-pillow.png")  # Pillow writes mode I as 16-bit grey
expected("grey16-pillow", grey)

rgba = rng.integers(0, 65536, (11, 13, 4)).astype(np.uint16)
with open(f"{out}/rgba16.png", "wb") as f:
    f.write(png16(rgba, 6))
luma = 0.299 * rgba[:, :, 0] + 0.587 * rgba[:, :, 1] + 0.114 * rgba[:, :, 2]
expected("rgba16", np.round(luma).astype(np.uint16))

with open(f"{out}/grey16-exif6.png", "wb") as f:
    f.write(png16(grey[:, :, None], 0, exif_orientation(6)))
expected("grey16-exif6", np.rot90(grey, k=-1))  # 6: turn 90° clockwise to view

# JPEG with EXIF orientations: a picture with a white bar on the left and a grey block top right.
base = np.zeros((40, 64), np.uint8)
base[:, :12] = 255
base[:10, 48:] = 128
for value in (3, 6, 8):
    img = Image.fromarray(base)
    exif = img.getexif()
    exif[0x0112] = value
    img.save(f"{out}/exif{value}.jpg", quality=100, exif=exif.tobytes())
    upright = np.array(ImageOps.exif_transpose(Image.open(f"{out}/exif{value}.jpg")).convert("L")).astype(np.uint16) * 257
    expected(f"exif{value}", upright)

# Damaged copies: cut in half, and a flipped bit inside a 16-bit PNG's image data (fails the chunk CRC).
for src, dst in (("grey16-filters.png", "truncated16.png"), ("exif6.jpg", "truncated.jpg")):
    data = open(f"{out}/{src}", "rb").read()
    open(f"{out}/{dst}", "wb").write(data[: len(data) // 2])
Image.fromarray(base).save(f"{out}/grey8.png")
data = open(f"{out}/grey8.png", "rb").read()
open(f"{out}/truncated8.png", "wb").write(data[: len(data) - 40])
data = bytearray(open(f"{out}/grey16-filters.png", "rb").read())
data[len(data) // 2] ^= 0x10
open(f"{out}/crc16.png", "wb").write(bytes(data))
