"""Generates realistic DX files for the parsing benchmark from the adult chest radiograph PNGs.

Usage: /usr/bin/python3 bench/parse/generate_dx.py OUT_DIR [COUNT]   (default COUNT 1000)
Each file is DX Image Storage - For Presentation, Explicit VR Little Endian, 2500 rows x 2000 columns, MONOCHROME2,
16 bits allocated with 12, 14 or 16 stored: a PNG of shared/data/adult-cxr-samples upsampled to 2000 columns and
padded to 2500 rows, with patient, study, series, equipment, DX image and SOP common modules (about 10 MB a file).
Generated data is never committed (bench/data/ is git-ignored). Deterministic: the same COUNT gives the same files.
"""
import os
import random
import sys

import numpy as np
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ROWS, COLUMNS = 2500, 2000
DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
ROOT = "1.2.826.0.1.3680043.8.498."  # pydicom's UID prefix, for generated test data
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "adult-cxr-samples")


def pixels(png, bits_stored):
    """The PNG scaled to 2000 columns (or 2500 rows, if taller), centred on a 2500 x 2000 black frame."""
    image = Image.open(png).convert("L")
    scale = min(COLUMNS / image.width, ROWS / image.height)
    size = (round(image.width * scale), round(image.height * scale))
    scaled = np.asarray(image.resize(size, Image.BICUBIC), dtype=np.float64) / 255.0
    frame = np.zeros((ROWS, COLUMNS), dtype=np.uint16)
    top, left = (ROWS - size[1]) // 2, (COLUMNS - size[0]) // 2
    frame[top:top + size[1], left:left + size[0]] = np.round(scaled * ((1 << bits_stored) - 1)).astype(np.uint16)
    return frame.tobytes()


def code(value, scheme, meaning):
    item = Dataset()
    item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
    return item


def dataset(index, rng, pixel_data, bits_stored, view):
    ds = Dataset()
    unicode_name = index % 10 == 0
    ds.SpecificCharacterSet = "ISO_IR 192" if unicode_name else "ISO_IR 100"
    ds.ImageType = ["ORIGINAL", "PRIMARY"]
    ds.InstanceCreationDate, ds.InstanceCreationTime = "20240131", f"{8 + index % 10:02d}1500"
    ds.SOPClassUID = DX_FOR_PRESENTATION
    ds.SOPInstanceUID = generate_uid(ROOT, [f"sop{index}"])
    ds.StudyDate = ds.SeriesDate = ds.AcquisitionDate = ds.ContentDate = "20240131"
    ds.StudyTime = ds.SeriesTime = ds.AcquisitionTime = ds.ContentTime = f"{8 + index % 10:02d}1203.250000"
    ds.AccessionNumber = f"ACC{index:08d}"
    ds.Modality = "DX"
    ds.PresentationIntentType = "FOR PRESENTATION"
    ds.Manufacturer, ds.InstitutionName = "CXR Test Imaging", "General Hospital"
    ds.ReferringPhysicianName = "SMITH^ANNA"
    ds.StationName, ds.StudyDescription = f"DR-ROOM-{index % 4}", "XR CHEST 1 VIEW"
    ds.ProcedureCodeSequence = Sequence([code("RPID2495", "RADLEX", "XR Chest 1 view")])
    ds.SeriesDescription = f"CHEST {view}"
    ds.ManufacturerModelName = "DRX-Bench"
    ds.PatientName = f"Müller^Jürgen^{index}" if unicode_name else f"DOE^JOHN^{index}"
    ds.PatientID = f"P{index:07d}"
    ds.PatientBirthDate = f"19{40 + index % 60:02d}0{1 + index % 9}15"
    ds.PatientSex = "MF"[index % 2]
    ds.PatientAge = f"{30 + index % 60:03d}Y"
    ds.BodyPartExamined = "CHEST"
    ds.KVP = "120"
    ds.DeviceSerialNumber, ds.SoftwareVersions = "SN-4711", "1.0.0"
    ds.DistanceSourceToDetector, ds.DistanceSourceToPatient = "1800", "1650"
    ds.ExposureTime, ds.XRayTubeCurrent, ds.Exposure = "10", "320", "3"
    ds.ImagerPixelSpacing = ["0.139", "0.139"]
    ds.DetectorType, ds.DetectorID = "SCINTILLATOR", "DET-01"
    ds.ViewPosition = view
    ds.ViewCodeSequence = Sequence([code("399348003" if view == "AP" else "399162004", "SCT",
                                         "antero-posterior" if view == "AP" else "postero-anterior")])
    ds.StudyInstanceUID = generate_uid(ROOT, [f"study{index // 2}"])
    ds.SeriesInstanceUID = generate_uid(ROOT, [f"series{index}"])
    ds.StudyID, ds.SeriesNumber, ds.AcquisitionNumber, ds.InstanceNumber = str(index // 2), 1, 1, 1
    ds.PatientOrientation = ["L", "F"] if view == "AP" else ["R", "F"]
    ds.ImageLaterality = "U"
    ds.AnatomicRegionSequence = Sequence([code("51185008", "SCT", "Chest")])
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows, ds.Columns = ROWS, COLUMNS
    ds.PixelSpacing = ["0.139", "0.139"]
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, bits_stored, bits_stored - 1, 0
    ds.PixelIntensityRelationship, ds.PixelIntensityRelationshipSign = "LOG", 1
    ds.WindowCenter, ds.WindowWidth = str(1 << (bits_stored - 1)), str(1 << bits_stored)
    ds.RescaleIntercept, ds.RescaleSlope, ds.RescaleType = "0", "1", "US"
    ds.LossyImageCompression = "00"
    ds.PresentationLUTShape, ds.BurnedInAnnotation = "IDENTITY", "NO"
    ds.PositionerType = None
    ds.AcquisitionContextSequence = Sequence()
    block = ds.private_block(0x0029, "CXR BENCH", create=True)
    block.add_new(0x01, "LO", f"site {index % 7}")
    block.add_new(0x02, "DS", f"{rng.random():.6f}")
    ds.PixelData = pixel_data
    return ds


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20240131)
    pngs = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith(".png"))
    cache = {}
    for index in range(count):
        png = pngs[index % len(pngs)]
        bits_stored = (12, 14, 16)[index % 3]
        key = (png, bits_stored)
        if key not in cache:
            cache[key] = pixels(png, bits_stored)
        ds = dataset(index, rng, cache[key], bits_stored, "AP" if index % 3 == 1 else "PA")
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.is_little_endian, ds.is_implicit_VR = True, False
        ds.save_as(os.path.join(out, f"dx{index:04d}.dcm"), write_like_original=False)


if __name__ == "__main__":
    main()
