"""Wraps a grey PNG as DX/CR DICOM objects in 8 and 16 bit, MONOCHROME1 and 2 (run with Debian's /usr/bin/python3).

usage: make_dicom.py IN.png OUT_DIR VIEW
Writes OUT_DIR/{cr8-mono2,cr8-mono1,dx16-mono2,dx16-mono1,dx12-window}.dcm: the same picture, different encodings.
"""
import sys
import numpy as np
from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

CR = "1.2.840.10008.5.1.4.1.1.1"
DX = "1.2.840.10008.5.1.4.1.1.1.1"


def write(path, pixels, bits_stored, photometric, sop_class, modality, view, extra=None):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.SOPClassUID = sop_class
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.PatientName = "Test^Fixture"
    ds.PatientID = "FIXTURE"
    ds.Modality = modality
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = view
    ds.Rows, ds.Columns = pixels.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 8 if pixels.dtype == np.uint8 else 16
    ds.BitsStored = bits_stored
    ds.HighBit = bits_stored - 1
    ds.PixelRepresentation = 0
    if modality == "DX":
        ds.PresentationIntentType = "FOR PRESENTATION"
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
    for key, value in (extra or {}).items():
        setattr(ds, key, value)
    ds.PixelData = pixels.tobytes()
    ds.save_as(path, write_like_original=False)


def main():
    source, out, view = sys.argv[1], sys.argv[2], sys.argv[3]
    grey = np.asarray(Image.open(source).convert("L"), dtype=np.uint8)
    wide = grey.astype(np.uint16) * 257  # exact 8 → 16 bit: 0 → 0, 255 → 65535
    write(f"{out}/cr8-mono2.dcm", grey, 8, "MONOCHROME2", CR, "CR", view)
    write(f"{out}/cr8-mono1.dcm", (255 - grey).astype(np.uint8), 8, "MONOCHROME1", CR, "CR", view)
    write(f"{out}/dx16-mono2.dcm", wide, 16, "MONOCHROME2", DX, "DX", view)
    write(f"{out}/dx16-mono1.dcm", (65535 - wide).astype(np.uint16), 16, "MONOCHROME1", DX, "DX", view)
    # 12 bit stored with a rescale and a window that spans the stored range, as a detector would send it.
    twelve = (grey.astype(np.uint16) * 16)
    write(f"{out}/dx12-window.dcm", twelve, 12, "MONOCHROME2", DX, "DX", view,
          {"RescaleSlope": "2", "RescaleIntercept": "-100", "RescaleType": "US",
           "WindowCenter": "3980.5", "WindowWidth": "8161"})  # modality values -100..8060 → 0..1


if __name__ == "__main__":
    main()
