#!/usr/bin/env python3
"""Writes COUNT synthetic 16-bit DX files of about 10 MB (2560 x 2048, 12 bits stored, Explicit VR Little Endian)
into FOLDER for the network benchmark. Pixels are random (seeded), so nothing compresses or dedupes them away.
Usage: /usr/bin/python3 bench/network/generate_dx.py FOLDER [COUNT]"""
import os
import sys

import numpy as np
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
ROWS, COLUMNS = 2560, 2048


def make(path, index, study, series, rng):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = DX_FOR_PRESENTATION
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset(path, Dataset(), file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = DX_FOR_PRESENTATION
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = study
    ds.SeriesInstanceUID = series
    ds.Modality = "DX"
    ds.PatientName = "BENCH^NETWORK"
    ds.PatientID = "BENCH-NET"
    ds.InstanceNumber = index + 1
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    ds.PixelData = rng.integers(0, 4096, size=ROWS * COLUMNS, dtype=np.uint16).tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(path, write_like_original=False)


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
