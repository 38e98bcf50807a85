#!/usr/bin/python3
"""FAISS (Debian python3-faiss) on the benchmark data: IndexFlatIP and IndexHNSWFlat (M=32, efSearch 16 and 64).
One thread (as ours: USearch is called one call at a time), queries one at a time as the service sends them.
Prints one line per configuration, in the format bench/retrieval/run.sh collects.
Usage: faiss_reference.py DATA N DIM
"""
import os
import sys
import time

import faiss
import numpy as np

K = 5


def rss():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmRSS:"))


def recall(found, truth, sims_found, sims_truth):
    """|found ∩ exact top-k| / k; a hit as similar as the exact k-th (within 1e-6) counts: ties have no order."""
    hits = 0
    for f, t, sf, st in zip(found, truth, sims_found, sims_truth):
        keys = set(t[:K].tolist())
        kth = st[K - 1]
        hits += sum(1 for key, s in zip(f[:K], sf[:K]) if key in keys or s >= kth - 1e-6)
    return hits / (K * len(found))


def timed_search(index, queries):
    latencies, ids, sims = [], [], []
    for q in queries:
        started = time.perf_counter()
        s, i = index.search(q.reshape(1, -1), K)
        latencies.append((time.perf_counter() - started) * 1000)
        ids.append(i[0])
        sims.append(s[0])
    return np.percentile(latencies, 50), np.percentile(latencies, 99), np.array(ids), np.array(sims)


def main():
    data, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    faiss.omp_set_num_threads(1)
    base = np.fromfile(f"{data}/base.f32", dtype="<f4").reshape(n, d)
    queries = np.fromfile(f"{data}/queries.f32", dtype="<f4").reshape(-1, d)
    truth = np.fromfile(f"{data}/truth.i64", dtype="<i8").reshape(len(queries), -1)
    truth_sims = np.einsum("qkd,qd->qk", base[truth[:, :K]], queries)
    for name, make in [("flat", lambda: faiss.IndexFlatIP(d)), ("hnsw32", lambda: faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT))]:
        before = rss()
        index = make()
        started = time.perf_counter()
        index.add(base)
        add_rate = n / (time.perf_counter() - started)
        memory = rss() - before
        path = f"{data}/faiss-{name}.index"
        faiss.write_index(index, path)
        size = os.path.getsize(path)
        started = time.perf_counter()
        loaded = faiss.read_index(path)
        cold = time.perf_counter() - started
        del loaded
        os.remove(path)
        for ef in ([None] if name == "flat" else [16, 64]):
            if ef is not None:
                index.hnsw.efSearch = ef
            p50, p99, ids, sims = timed_search(index, queries)
            label = "faiss-flat" if ef is None else f"faiss-hnsw32-ef{ef}"
            print(f"{label} n={n} d={d} recall5={recall(ids, truth, sims, truth_sims):.4f} p50_ms={p50:.3f} p99_ms={p99:.3f} "
                  f"add_per_s={add_rate:.0f} memory_mb={memory / 2**20:.0f} disk_mb={size / 2**20:.0f} cold_s={cold:.2f}", flush=True)
        del index


main()
