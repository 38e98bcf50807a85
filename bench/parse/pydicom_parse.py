"""pydicom's side of the parsing benchmark: dcmread every .dcm of a folder and read the same header values as
CxrPacsAgent.Bench.Parse. Usage: /usr/bin/python3 pydicom_parse.py FOLDER [--defer]
--defer reads lazily (defer_size 1 KB: pixel data stays on disk), the mode that matches our header-only open.
Prints "files seconds files/s"; the first 10 files are read once before timing, as on our side.
"""
import os
import sys
import time

import pydicom


def touch(path, defer):
    ds = pydicom.dcmread(path, defer_size=1024 if defer else None)
    total = ds.Rows + ds.Columns + ds.BitsStored + len(ds.PatientID) + len(str(ds.PatientName))
    total += len(ds.StudyInstanceUID) + len(ds.ViewPosition) + int(float(ds.WindowCenter))
    return total


def main():
    folder, defer = sys.argv[1], "--defer" in sys.argv
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".dcm"))
    checksum = sum(touch(f, defer) for f in files[:10])
    start = time.perf_counter()
    checksum += sum(touch(f, defer) for f in files)
    seconds = time.perf_counter() - start
    print(f"{len(files)} {seconds:.3f} {len(files) / seconds:.1f} (checksum {checksum})")


if __name__ == "__main__":
    main()
