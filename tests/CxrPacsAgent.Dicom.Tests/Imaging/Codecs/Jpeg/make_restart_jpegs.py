"""Writes JPEG streams with restart intervals (DRI + RSTn), which DCMTK's compressors do not emit, as DICOM files.

make_restart_jpegs.py OUTDIR   (run with /usr/bin/python3; needs numpy and pydicom 2.3.1)
  lossless_sv{1,4,7}_rst.dcm  T.81 process 14 (SOF3), 12 bit, restart every 3 lines, 5-bit fixed Huffman codes
  baseline_rst.dcm            T.81 baseline (SOF0), grey, restart every 5 MCUs, fixed-length Huffman codes
  baseline420_rst.dcm         baseline YCbCr 4:2:0 (H=V=2 luma), restart every 2 MCUs
A hand-written encoder: the point is an independent stream that DCMTK (dcmdjpeg) and our decoder both read.
"""
import os
import sys

import numpy as np
from pydicom.encaps import encapsulate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..", "tools"))
from pydicom_fixtures import SC, image_dataset, save  # noqa: E402


class Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)  # byte stuffing, T.81 F.1.2.3
                self.acc, self.n = 0, 0

    def flush(self):
        while self.n:
            self.put(1, 1)  # pad with 1-bits


def seg(marker, payload):
    return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def category(v):
    return 0 if v == 0 else int(abs(v)).bit_length()


def extra(v, s):
    return v if v > 0 else v + (1 << s) - 1


def lossless(img, precision, predictor, rst_lines):
    h, w = img.shape
    # DHT: 17 difference categories, all with 5-bit codes (fixed, valid, never all-ones).
    dht = bytes([0x00]) + bytes([0, 0, 0, 0, 17] + [0] * 11) + bytes(range(17))
    sof = bytes([precision]) + h.to_bytes(2, "big") + w.to_bytes(2, "big") + bytes([1, 1, 0x11, 0])
    sos = bytes([1, 1, 0x00, predictor, 0, 0])
    b = Bits()
    out = bytearray(b"\xff\xd8") + seg(0xC4, dht) + seg(0xC3, sof) + seg(0xDD, (rst_lines * w).to_bytes(2, "big")) + seg(0xDA, sos)
    x = img.astype(np.int64)
    rst = 0
    for y in range(h):
        first = y % rst_lines == 0
        if first and y > 0:
            b.flush()
            out += b.out + bytes([0xFF, 0xD0 + rst])
            rst = (rst + 1) % 8
            b = Bits()
        for c in range(w):
            if c == 0:
                p = (1 << (precision - 1)) if first else x[y - 1, 0]
            elif first:
                p = x[y, c - 1]
            else:
                ra, rb, rc = x[y, c - 1], x[y - 1, c], x[y - 1, c - 1]
                p = [None, ra, rb, rc, ra + rb - rc, ra + ((rb - rc) >> 1), rb + ((ra - rc) >> 1), (ra + rb) >> 1][predictor]
            d = (int(x[y, c]) - int(p)) % 65536
            if d >= 32768:
                d -= 65536
            s = category(d)
            b.put(s, 5)
            if 0 < s < 16:
                b.put(extra(d, s), s)
    b.flush()
    return bytes(out + b.out + b"\xff\xd9")


ZIGZAG = [0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
          28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61,
          54, 47, 55, 62, 63]
C = np.array([[(np.sqrt(0.5) if u == 0 else 1.0) / 2 * np.cos((2 * x + 1) * u * np.pi / 16) for x in range(8)] for u in range(8)])
AC_SYMBOLS = [0x00, 0xF0] + [(r << 4) | s for r in range(16) for s in range(1, 11)]


def baseline(planes, factors, rst_mcus):
    """planes: list of 2-D uint8 arrays (already subsampled); factors: (H, V) per component."""
    hmax, vmax = max(f[0] for f in factors), max(f[1] for f in factors)
    height, width = planes[0].shape[0] * vmax // factors[0][1], planes[0].shape[1] * hmax // factors[0][0]
    q = bytes([2] * 64)
    dqt = bytes([0]) + q
    dht = bytes([0x00]) + bytes([0, 0, 0, 12] + [0] * 12) + bytes(range(12))
    dht += bytes([0x10]) + bytes([0] * 7 + [len(AC_SYMBOLS)] + [0] * 8) + bytes(AC_SYMBOLS)
    ac_code = {sym: i for i, sym in enumerate(AC_SYMBOLS)}
    n = len(planes)
    sof = bytes([8]) + height.to_bytes(2, "big") + width.to_bytes(2, "big") + bytes([n])
    for i, (h, v) in enumerate(factors):
        sof += bytes([i + 1, (h << 4) | v, 0])
    sos = bytes([n]) + b"".join(bytes([i + 1, 0x00]) for i in range(n)) + bytes([0, 63, 0])
    out = bytearray(b"\xff\xd8") + seg(0xDB, dqt) + seg(0xC4, dht) + seg(0xC0, sof) + seg(0xDD, rst_mcus.to_bytes(2, "big")) + seg(0xDA, sos)
    mx, my = -(-width // (8 * hmax)), -(-height // (8 * vmax))
    padded = []
    for p, (h, v) in zip(planes, factors):
        ph, pw = my * v * 8, mx * h * 8
        a = np.pad(p.astype(np.float64), ((0, ph - p.shape[0]), (0, pw - p.shape[1])), mode="edge")
        padded.append(a)
    b, pred, rst = Bits(), [0] * n, 0
    for m in range(mx * my):
        if m > 0 and m % rst_mcus == 0:
            b.flush()
            out += b.out + bytes([0xFF, 0xD0 + rst])
            rst, b, pred = (rst + 1) % 8, Bits(), [0] * n
        bx, by = m % mx, m // mx
        for ci, (h, v) in enumerate(factors):
            for yy in range(v):
                for xx in range(h):
                    y0, x0 = (by * v + yy) * 8, (bx * h + xx) * 8
                    block = padded[ci][y0:y0 + 8, x0:x0 + 8] - 128
                    coef = (C @ block @ C.T).flatten()
                    zz = [int(np.round(coef[ZIGZAG[k]] / 2)) for k in range(64)]
                    d = zz[0] - pred[ci]
                    pred[ci] = zz[0]
                    s = category(d)
                    b.put(s, 4)
                    if s:
                        b.put(extra(d, s), s)
                    run = 0
                    last = max([k for k in range(1, 64) if zz[k] != 0], default=0)
                    for k in range(1, last + 1):
                        if zz[k] == 0:
                            run += 1
                            continue
                        while run > 15:
                            b.put(ac_code[0xF0], 8)
                            run -= 16
                        s = category(zz[k])
                        b.put(ac_code[(run << 4) | s], 8)
                        b.put(extra(zz[k], s), s)
                        run = 0
                    if last < 63:
                        b.put(ac_code[0x00], 8)
    b.flush()
    return bytes(out + b.out + b"\xff\xd9")


def write(path, frame, syntax, rows, cols, spp, photometric, bits):
    ds = image_dataset(SC, rows, cols, 8 if bits <= 8 else 16, bits, photometric=photometric, samples=spp, syntax=syntax)
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].is_undefined_length = True
    ds["PixelData"].VR = "OB"
    save(ds, path)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:45, 0:37]
    img = ((xx * 61 + yy * 37) % 4096 + rng.integers(0, 40, xx.shape)).clip(0, 4095)
    np.save(os.path.join(out, "lossless_source.npy"), img)
    for sv in (1, 4, 7):
        write(f"{out}/lossless_sv{sv}_rst.dcm", lossless(img, 12, sv, 3), "1.2.840.10008.1.2.4.57", 45, 37, 1, "MONOCHROME2", 12)
    yy, xx = np.mgrid[0:50, 0:60]
    grey = ((np.sin(xx / 5.0) + np.cos(yy / 7.0)) * 60 + 128).astype(np.uint8)
    write(f"{out}/baseline_rst.dcm", baseline([grey], [(1, 1)], 5), "1.2.840.10008.1.2.4.50", 50, 60, 1, "MONOCHROME2", 8)
    y = grey
    cb = ((xx[::2, ::2] * 4) % 256).astype(np.uint8)
    cr = ((yy[::2, ::2] * 5) % 256).astype(np.uint8)
    write(f"{out}/baseline420_rst.dcm", baseline([y, cb, cr], [(2, 2), (1, 1), (1, 1)], 2), "1.2.840.10008.1.2.4.50", 50, 60, 3, "YBR_FULL", 8)


if __name__ == "__main__":
    main()
