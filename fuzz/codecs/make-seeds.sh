#!/usr/bin/env bash
# Seeds for each target: small real streams made by DCMTK from pydicom-built images, each prefixed with the two
# layout bytes that Program.cs reads (columns-1 | colour<<6, rows-1 | 16bit<<6).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/seeds}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
def write(path, arr, photometric="MONOCHROME2"):
    m = FileMetaDataset(); m.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.7"
    m.MediaStorageSOPInstanceUID = generate_uid(); m.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset(); ds.file_meta = m; ds.is_little_endian = True; ds.is_implicit_VR = False
    ds.SOPClassUID = m.MediaStorageSOPClassUID; ds.SOPInstanceUID = m.MediaStorageSOPInstanceUID
    ds.Rows, ds.Columns = arr.shape[0], arr.shape[1]
    ds.SamplesPerPixel = 3 if arr.ndim == 3 else 1; ds.PhotometricInterpretation = photometric
    if arr.ndim == 3: ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = arr.dtype.itemsize * 8; ds.HighBit = ds.BitsStored - 1; ds.PixelRepresentation = 0
    ds.PixelData = arr.tobytes(); ds.save_as(path, write_like_original=False)
yy, xx = np.mgrid[0:24, 0:32]
write(sys.argv[1] + "/g8.dcm", ((xx * 7 + yy * 3) % 256).astype(np.uint8))
write(sys.argv[1] + "/g16.dcm", ((xx * 900 + yy * 77) % 65536).astype(np.uint16))
write(sys.argv[1] + "/rgb.dcm", np.stack([xx * 8, yy * 10, (xx ^ yy) * 4], -1).astype(np.uint8), "RGB")
PY
mkdir -p "$out"/{rle,lossless,baseline,jpegls,j2k}
frame() { # extract the first fragment of a DICOM file's encapsulated pixel data
  /usr/bin/python3 -c "import sys,pydicom; from pydicom.encaps import generate_pixel_data_frame as g; sys.stdout.buffer.write(next(g(pydicom.dcmread(sys.argv[1]).PixelData)))" "$1"
}
seed() { # $1 target, $2 name, $3 layout bytes (octal escapes), $4 dicom file
  { printf "$3"; frame "$4"; } > "$out/$1/$2"
}
dcmcrle "$work/g8.dcm" "$work/g8.rle.dcm";   seed rle g8 '\037\027' "$work/g8.rle.dcm"
dcmcrle "$work/g16.dcm" "$work/g16.rle.dcm"; seed rle g16 '\037\127' "$work/g16.rle.dcm"
dcmcjpeg +e1 "$work/g8.dcm" "$work/g8.sv1.dcm";        seed lossless g8 '\037\027' "$work/g8.sv1.dcm"
dcmcjpeg +el +sv 7 "$work/g16.dcm" "$work/g16.p7.dcm"; seed lossless g16 '\037\127' "$work/g16.p7.dcm"
dcmcjpeg +eb "$work/g8.dcm" "$work/g8.eb.dcm";   seed baseline g8 '\037\027' "$work/g8.eb.dcm"
dcmcjpeg +eb "$work/rgb.dcm" "$work/rgb.eb.dcm"; seed baseline rgb '\137\027' "$work/rgb.eb.dcm"
dcmcjpls "$work/g16.dcm" "$work/g16.ls.dcm";     seed jpegls g16 '\037\127' "$work/g16.ls.dcm"
dcmcjpls "$work/rgb.dcm" "$work/rgb.ls.dcm";     seed jpegls rgb '\137\027' "$work/rgb.ls.dcm"
# JPEG 2000 by GDCM (which encodes through OpenJPEG): lossless and lossy, grey 8/16-bit and colour (with the RCT).
gdcmconv --j2k "$work/g8.dcm" "$work/g8.j2k.dcm";    seed j2k g8 '\037\027' "$work/g8.j2k.dcm"
gdcmconv --j2k "$work/g16.dcm" "$work/g16.j2k.dcm";  seed j2k g16 '\037\127' "$work/g16.j2k.dcm"
gdcmconv --j2k "$work/rgb.dcm" "$work/rgb.j2k.dcm";  seed j2k rgb '\137\027' "$work/rgb.j2k.dcm"
gdcmconv --j2k --lossy --irreversible -q 30 "$work/g16.dcm" "$work/g16.j2kl.dcm"; seed j2k g16-lossy '\037\127' "$work/g16.j2kl.dcm"
ls -l "$out"/*
