"""Odd source instances for the SR/SC tests, written by pydicom (run with Debian's /usr/bin/python3).

usage: make_sources.py IN.png OUT_DIR
Writes OUT_DIR/NAME.dcm for each case below: the same chest film (downscaled to 512 rows), each with one thing that
trips writers up: character sets, missing attributes, MONOCHROME1, a declared lossy history, Burned In Annotation NO.
Also plain8.dcm (8 bits stored). Compressed copies are made by the test with DCMTK, from plain.dcm and plain8.dcm.
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))
from pydicom_fixtures import DX, image_dataset, save  # noqa: E402

CASES = {
    "plain": {},
    "latin1": {"SpecificCharacterSet": "ISO_IR 100", "PatientName": "Müller^Jürgen"},
    "utf8": {"SpecificCharacterSet": "ISO_IR 192", "PatientName": "Θεοδωράκης^Γιάννης=王^小东"},
    "japanese": {"SpecificCharacterSet": ["", "ISO 2022 IR 87"], "PatientName": "Yamada^Tarou=山田^太郎=やまだ^たろう"},
    "no-accession": {"AccessionNumber": None, "PatientName": ""},
    "no-study-date": {"StudyDate": None, "StudyTime": None},
    "mono1": {"PhotometricInterpretation": "MONOCHROME1"},
    "lossy-history": {"LossyImageCompression": "01", "LossyImageCompressionRatio": "10",
                      "LossyImageCompressionMethod": "ISO_10918_1"},
    "burned-in-no": {"BurnedInAnnotation": "NO"},
}


def main():
    source, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    picture = Image.open(source).convert("L")
    picture = picture.resize((picture.width * 512 // picture.height, 512), Image.BILINEAR)
    grey = np.asarray(picture, dtype=np.uint16) * 16  # 12 bits stored
    for index, (name, extra) in enumerate(CASES.items()):
        ds = image_dataset(DX, grey.shape[0], grey.shape[1], 16, 12, patient=("Test^Results", f"RES-{index}"))
        ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = "20260105", "101500", "S1", f"ACC-{index}"
        ds.ReferringPhysicianName, ds.PatientBirthDate, ds.PatientSex = "", "", "O"
        ds.BodyPartExamined, ds.ViewPosition = "CHEST", "PA"
        ds.PresentationIntentType, ds.ImageType = "FOR PRESENTATION", ["ORIGINAL", "PRIMARY"]
        pixels = grey
        for key, value in extra.items():
            if value is None:
                delattr(ds, key)
            else:
                setattr(ds, key, value)
        if extra.get("PhotometricInterpretation") == "MONOCHROME1":
            pixels = (4095 - grey).astype(np.uint16)
        ds.PixelData = pixels.astype(np.uint16).tobytes()
        save(ds, os.path.join(out, name + ".dcm"))
    # 8 bits stored, for DCMTK's lossy baseline JPEG.
    ds = image_dataset(DX, grey.shape[0], grey.shape[1], 8, 8, patient=("Test^Results", "RES-8"))
    ds.StudyDate, ds.StudyTime, ds.StudyID, ds.AccessionNumber = "20260105", "101500", "S1", "ACC-8"
    ds.ReferringPhysicianName, ds.PatientBirthDate, ds.PatientSex = "", "", "O"
    ds.PixelData = (grey // 16).astype(np.uint8).tobytes()
    save(ds, os.path.join(out, "plain8.dcm"))


if __name__ == "__main__":
    main()
