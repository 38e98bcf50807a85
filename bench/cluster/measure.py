#!/usr/bin/env python3
"""The cluster benchmark's driver (bench/cluster/run.sh). Provider-neutral: it judges completion by the site-wide job
counts on an agent's /status (a study is complete when its results are written and every DICOM result document has
been accepted by the PACS), so the same code times the SQLite default and PostgreSQL agents.
  latency HTTP PORT FILE...          one study after another to one agent: C-STORE start to complete; p50, p95
  burst HTTP PORT[,PORT...] FILE...  the files dealt round robin to the agents, one storescu association per agent,
                                     all at once; until every study is complete: studies per minute
Prints one JSON object."""
import json
import statistics
import subprocess
import sys
import time
import urllib.request


def completed(http):
    status = json.load(urllib.request.urlopen(f"http://127.0.0.1:{http}/status"))
    jobs = status["jobs"]
    bad = jobs["failed"] + jobs["skipped"] + jobs["undelivered"]
    if bad:
        sys.exit(f"studies not completed: {jobs}")
    return jobs["completed"]


def wait_completed(http, target, poll, timeout=1800):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if completed(http) >= target:
            return time.monotonic()
        time.sleep(poll)
    sys.exit("timed out waiting for results")


def storescu(port, files):
    return subprocess.Popen(["storescu", "-aet", "BENCH", "-aec", "CXR_AGENT", "127.0.0.1", str(port), *files],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def main():
    mode, http, ports, files = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3].split(",")], sys.argv[4:]
    base = completed(http)
    if mode == "latency":
        times = []
        for i, f in enumerate(files):
            start = time.monotonic()
            if storescu(ports[0], [f]).wait() != 0:
                sys.exit("storescu failed")
            times.append(wait_completed(http, base + i + 1, 0.01) - start)
        q = statistics.quantiles(times, n=20)
        result = {"n": len(times), "p50": statistics.median(times), "p95": q[18], "min": min(times), "max": max(times)}
    else:
        start = time.monotonic()
        senders = [storescu(port, files[i::len(ports)]) for i, port in enumerate(ports)]
        if any(s.wait() != 0 for s in senders):
            sys.exit("storescu failed")
        received = time.monotonic()
        done = wait_completed(http, base + len(files), 0.05)
        result = {"n": len(files), "agents": len(ports), "intake_s": received - start, "total_s": done - start,
                  "per_minute": 60 * len(files) / (done - start)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
