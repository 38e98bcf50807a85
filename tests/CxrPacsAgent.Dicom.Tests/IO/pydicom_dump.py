"""Dumps DICOM files as canonical JSON, the reference that DicomCorpusTests and the round-trip tests compare with.

Usage: pydicom_dump.py [--pydicom-corpus] [FILE ...]   (more paths may come one per line on stdin)
Prints one JSON object {path: dump}. A dump is {"meta": [...], "dataset": [...], "warnings": [...], "forced": bool}
or {"error": "..."} when pydicom cannot read the file even with force=True (reading includes decoding every value).
With --pydicom-corpus the regular files of pydicom.data.get_testdata_files() are dumped too; every path is
reported under its absolute name.

Canonical element: {"tag": "ggggeeee", "vr": "XX", ...} with one of
  "values": [str, ...]   text VRs, decoded through the (inherited) character set; padding stripped
  "bytes": "hex"         binary and bulk VRs, little endian whatever the file's endianness; values over 128 bytes
                         as "sha256:<hex digest>:<length>"
  "items": [[elem, ...]] sequences (SQ, and UN read as a sequence)
  "offsets": bytes, "fragments": [bytes, ...]   encapsulated pixel data (Basic Offset Table, then fragments)
Run with /usr/bin/python3 (pydicom 2.3.1).
"""
import hashlib
import json
import os
import sys
import warnings

import pydicom
from pydicom.encaps import read_item
from pydicom.filebase import DicomBytesIO
from pydicom.multival import MultiValue

# Single-valued text VRs keep leading spaces (PS3.5 Table 6.2-1); all others lose both ends' padding.
SINGLE_VALUED_TEXT = {"LT", "ST", "UT", "UR"}
TEXT_VRS = {"AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
# Byte-swap unit of each binary VR; OB and UN are byte streams.
UNIT = {"AT": 2, "FD": 8, "FL": 4, "OD": 8, "OF": 4, "OL": 4, "OV": 8, "OW": 2, "SL": 4, "SS": 2, "SV": 8,
        "UL": 4, "US": 2, "UV": 8}
INLINE_BYTES = 128


def canonical_bytes(data):
    if len(data) <= INLINE_BYTES:
        return data.hex()
    return f"sha256:{hashlib.sha256(data).hexdigest()}:{len(data)}"


def little_endian(data, vr, is_little):
    unit = UNIT.get(vr, 1)
    if is_little or unit == 1:
        return data
    whole = len(data) - len(data) % unit
    swapped = b"".join(data[i:i + unit][::-1] for i in range(0, whole, unit))
    return swapped + data[whole:]


def text_values(value, vr):
    if value is None or value == "":
        return []
    values = list(value) if isinstance(value, (MultiValue, list)) else [value]
    strings = [v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in values]
    if vr in SINGLE_VALUED_TEXT:
        return [s.rstrip(" \0") for s in strings if s.rstrip(" \0") != ""]
    strings = [s.strip(" \0") for s in strings]
    return [] if strings == [""] else strings


def fragments(data):
    """The Basic Offset Table and fragments, by pydicom's item reader (decode_data_sequence drops the table)."""
    with DicomBytesIO(data) as fp:
        fp.is_little_endian = True
        items = [read_item(fp) or b""]
        while (item := read_item(fp)) is not None:
            items.append(item)
    return items


def dump_dataset(ds, is_little):
    out = []
    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        raw_bytes = getattr(raw, "value", None)
        undefined = getattr(raw, "length", 0) == 0xFFFFFFFF or getattr(raw, "is_undefined_length", False)
        elem = ds[tag]  # converts: resolves the VR (implicit, ambiguous, UN) and decodes text
        entry = {"tag": f"{int(tag):08X}", "vr": elem.VR}
        if elem.VR == "SQ":
            entry["items"] = [dump_dataset(item, is_little) for item in elem.value]
        elif undefined and tag == 0x7FE00010:
            frags = fragments(raw_bytes)
            entry["offsets"] = canonical_bytes(frags[0])
            entry["fragments"] = [canonical_bytes(f) for f in frags[1:]]
        elif elem.VR in TEXT_VRS:
            entry["values"] = text_values(elem.value, elem.VR)
        else:
            if isinstance(raw_bytes, bytes):
                data = little_endian(raw_bytes, elem.VR, is_little)
            else:
                data = b"" if elem.value is None or elem.value == [] else _pack(elem)
            entry["bytes"] = canonical_bytes(data)
        out.append(entry)
    return out


def _pack(elem):
    """A value pydicom converted while reading (e.g. DICOMDIR offsets), encoded again: little endian."""
    from pydicom.filewriter import write_data_element
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = True
    write_data_element(fp, elem)
    return fp.getvalue()[8:]


def dump_file(path):
    result = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            try:
                ds = pydicom.dcmread(path)
                result["forced"] = False
            except pydicom.errors.InvalidDicomError:
                ds = pydicom.dcmread(path, force=True)
                result["forced"] = True
            meta = ds.file_meta if hasattr(ds, "file_meta") and ds.file_meta is not None else pydicom.Dataset()
            result["meta"] = dump_dataset(meta, True)
            result["dataset"] = dump_dataset(ds, ds.is_little_endian if ds.is_little_endian is not None else True)
        except Exception as e:  # noqa: BLE001 - any failure means "pydicom cannot read this"
            return {"error": f"{type(e).__name__}: {e}"}
    result["warnings"] = [str(w.message) for w in caught]
    return result


def main():
    args = sys.argv[1:]
    paths = []
    if "--pydicom-corpus" in args:
        args.remove("--pydicom-corpus")
        from pydicom.data import get_testdata_files
        paths += sorted(f for f in get_testdata_files() if os.path.isfile(f))
    paths += args
    if not sys.stdin.isatty():
        paths += [line.strip() for line in sys.stdin if line.strip()]
    json.dump({os.path.abspath(p): dump_file(p) for p in paths}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
