"""Dumps pydicom's decoding of its charset test corpus as JSON, as the reference for DicomCharacterSetTests.

For each file in pydicom.data.get_charset_files() and each PN/LO/SH/ST/LT/UT/UC element (recursing into
sequences), prints the effective Specific Character Set terms (the item's own, else inherited), the raw value
bytes in hex, and pydicom's decoded text (values of a multi-valued element joined by a backslash).
With the argument "decode" it instead reads a JSON list of {"terms", "vr", "hex"} from stdin and prints the
list of texts pydicom reads from those raw values (the path dcmread takes), to check our encoder's output.
Run with /usr/bin/python3 (pydicom 2.3.1).
"""
import json
import sys
import warnings

import pydicom
from pydicom.charset import convert_encodings
from pydicom.data import get_charset_files
from pydicom.dataelem import DataElement_from_raw, RawDataElement
from pydicom.tag import Tag

CHARSET_VRS = {"PN", "LO", "SH", "ST", "LT", "UT", "UC"}
SPECIFIC_CHARACTER_SET = 0x00080005


def terms_of(ds, inherited):
    if SPECIFIC_CHARACTER_SET not in ds:
        return inherited
    value = ds[SPECIFIC_CHARACTER_SET].value
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)


def raw_values(ds, inherited, path, out):
    """Collects the raw bytes before ds.decode() touches them; recurses into sequence items."""
    terms = terms_of(ds, inherited)
    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        if raw.VR == "SQ":
            for i, item in enumerate(ds[tag].value):
                raw_values(item, terms, f"{path}{tag}[{i}].", out)
        elif raw.VR in CHARSET_VRS and raw.value is not None:
            out[f"{path}{tag}"] = {"vr": raw.VR, "terms": terms, "hex": bytes(raw.value).hex()}


def decoded_values(ds, path, out):
    for elem in ds:
        key = f"{path}{elem.tag}"
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                decoded_values(item, f"{key}[{i}].", out)
        elif key in out:
            out[key]["text"] = text_of(elem.value)


def text_of(value):
    values = list(value) if isinstance(value, pydicom.multival.MultiValue) else [value]
    return "\\".join("" if v is None else str(v) for v in values)


def decode_requests():
    texts = []
    for request in json.load(sys.stdin):
        raw = bytes.fromhex(request["hex"])
        if len(raw) % 2:
            raw += b" "
        # Private tag: pydicom takes the VR we give instead of its dictionary's.
        element = RawDataElement(Tag(0x00091010), request["vr"], len(raw), raw, 0, False, True)
        texts.append(text_of(DataElement_from_raw(element, convert_encodings(request["terms"])).value))
    json.dump(texts, sys.stdout, ensure_ascii=True)


def main():
    warnings.simplefilter("ignore")
    if sys.argv[1:] == ["decode"]:
        decode_requests()
        return
    result = []
    for path in sorted(f for f in get_charset_files() if f.endswith(".dcm")):
        ds = pydicom.dcmread(path)
        elements = {}
        raw_values(ds, [""], "", elements)
        ds.decode()
        decoded_values(ds, "", elements)
        result.append({
            "file": path.rsplit("/", 1)[-1],
            "elements": [dict(tag=k, **v) for k, v in elements.items()],
        })
    json.dump({"pydicom": pydicom.__version__, "files": result}, sys.stdout, ensure_ascii=True, indent=1)


if __name__ == "__main__":
    main()
