"""Wraps a grey PNG as DX/CR DICOM objects in 8 and 16 bit, MONOCHROME1 and 2 (run with Debian's /usr/bin/python3).

usage: make_dicom.py IN.png OUT_DIR VIEW
Writes OUT_DIR/{cr8-mono2,cr8-mono1,dx16-mono2,dx16-mono1,dx12-window}.dcm: the same picture, different encodings.
"""
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))
from pydicom_fixtures import CR, DX, image_dataset, save  # noqa: E402


def write(path, pixels, bits_stored, photometric, sop_class, modality, view, extra=None):
    rows, columns = pixels.shape
    ds = image_dataset(sop_class, rows, columns, 8 if pixels.dtype == np.uint8 else 16, bits_stored,
                       photometric=photometric, modality=modality)
    ds.BodyPartExamined = "CHEST"
    ds.ViewPosition = view
    if modality == "DX":
        ds.PresentationIntentType = "FOR PRESENTATION"
        ds.ImageType = ["ORIGINAL", "PRIMARY"]
    for key, value in (extra or {}).items():
        setattr(ds, key, value)
    ds.PixelData = pixels.tobytes()
    save(ds, path)


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
