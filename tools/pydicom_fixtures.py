"""Image objects written with pydicom, for test fixtures and benchmark inputs (run with Debian's /usr/bin/python3).

pydicom is the independent writer here: what our reader and decoders are tested on must not come from our own writer.
Scripts import this with sys.path pointing at tools/ (see the callers).
"""
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

SC = "1.2.840.10008.5.1.4.1.1.7"
CR = "1.2.840.10008.5.1.4.1.1.1"
DX = "1.2.840.10008.5.1.4.1.1.1.1"


def image_dataset(sop_class, rows, columns, bits_allocated, bits_stored, *, photometric="MONOCHROME2", samples=1,
                  signed=False, syntax=ExplicitVRLittleEndian, modality=None, patient=("Test^Fixture", "FIXTURE"),
                  study=None, series=None):
    """A data set with File Meta, SOP/Study/Series UIDs, patient, modality and the Image Pixel module (no Pixel Data)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop_class
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = syntax
    ds = Dataset()
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = study or generate_uid()
    ds.SeriesInstanceUID = series or generate_uid()
    ds.PatientName, ds.PatientID = patient
    ds.Modality = modality or {DX: "DX", CR: "CR"}.get(sop_class, "OT")
    ds.Rows, ds.Columns = rows, columns
    ds.SamplesPerPixel = samples
    ds.PhotometricInterpretation = photometric
    if samples > 1:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = bits_allocated, bits_stored, bits_stored - 1
    ds.PixelRepresentation = 1 if signed else 0
    return ds


def save(ds, path):
    """Part 10 with preamble and a fresh File Meta group length, whatever the data set was read or built as."""
    ds.save_as(path, write_like_original=False)
