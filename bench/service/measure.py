#!/usr/bin/env python3
"""The service benchmark's driver (bench/service/run.sh): sends studies with storescu as a router would and times each
one from the start of its C-STORE until its job is complete in the agent's state database — complete means its results
are written and every DICOM result document has been accepted by the PACS (Orthanc). Reads the agent's /metrics for
the stage breakdown. In burst mode, the command in $REFERENCE (storescu -> storescp -od) runs right after the agent
has answered the burst, while its pipeline is still working through it, so both intakes meet the same load.
Usage: measure.py latency|burst AGENT_PORT HTTP_PORT DATABASE FILE..."""
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request

COMPLETED = 10
FINAL = (10, 11, 12, 13)


def uid_of(path):
    import pydicom
    return pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID


def store(port, files):
    subprocess.run(["storescu", "-aet", "BENCH", "-aec", "CXR_AGENT", "127.0.0.1", str(port), *files],
                   check=True, capture_output=True)


def states(db, uids):
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as c:
        q = ",".join("?" * len(uids))
        return dict(c.execute(f"SELECT sop_instance_uid, state FROM jobs WHERE sop_instance_uid IN ({q})", uids).fetchall())


def wait_final(db, uids, poll=0.005, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = states(db, uids)
        if len(s) == len(uids) and all(v in FINAL for v in s.values()):
            bad = [u for u, v in s.items() if v != COMPLETED]
            if bad:
                sys.exit(f"not completed: {bad[:3]} states {[s[u] for u in bad[:3]]}")
            return time.monotonic()
        time.sleep(poll)
    sys.exit("timed out waiting for results")


def stage_sums(http):
    text = urllib.request.urlopen(f"http://127.0.0.1:{http}/metrics").read().decode()
    sums = {}
    for m in re.finditer(r'cxr_agent_stage_duration_seconds_(sum|count)\{stage="(\w+)"\} ([0-9.e+-]+)', text):
        sums.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
    return sums


def breakdown(before, after):
    out = {}
    for stage, v in after.items():
        b = before.get(stage, {"sum": 0, "count": 0})
        n = v["count"] - b["count"]
        if n:
            out[stage] = round(1000 * (v["sum"] - b["sum"]) / n, 1)
    return out


def main():
    mode, port, http, db, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5:]
    uids = [uid_of(f) for f in files]
    before = stage_sums(http)
    if mode == "latency":
        times = []
        for f, u in zip(files, uids):
            start = time.monotonic()
            store(port, [f])
            times.append(wait_final(db, [u]) - start)
        q = statistics.quantiles(times, n=20)
        result = {"n": len(times), "p50": statistics.median(times), "p95": q[18], "min": min(times), "max": max(times)}
    else:
        start = time.monotonic()
        store(port, files)
        received = time.monotonic()
        backlog = len([v for v in states(db, uids).values() if v not in FINAL])
        subprocess.run(os.environ["REFERENCE"], shell=True, check=True, capture_output=True)
        reference = time.monotonic() - received
        done = wait_final(db, uids, poll=0.05)
        result = {"n": len(files), "intake_s": received - start, "total_s": done - start, "reference_s": reference,
                  "backlog_after_intake": backlog}
    result["stages_ms"] = breakdown(before, stage_sums(http))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
