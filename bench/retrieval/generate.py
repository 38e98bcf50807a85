#!/usr/bin/python3
"""Benchmark data for the retrieval benchmark: base vectors, queries, and exact ground truth (FAISS IndexFlatIP).

clustered: points around N/100 cluster centres, a tenth of them near-duplicates of another point (copy + 1e-3 noise),
    the near-ties a library of repeat films has; queries: half fresh points, half perturbed stored points.
real: the shipped model's embeddings of a real set (read from a state database after `cxr-agent index import`), each
    repeated with noise until N: the tight class clusters that head produces; queries: perturbed real embeddings.
All vectors are unit length (cosine = inner product). Writes base.f32, queries.f32 (float32 LE, row-major) and
truth.i64 (the exact top 10 per query) into OUT.
Usage: generate.py OUT KIND N DIM [STATE_DB]
"""
import sqlite3
import sys
import time

import faiss
import numpy as np

QUERIES = 1000


def unit(a):
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def clustered(n, d, rng):
    centres = rng.standard_normal((max(n // 100, 10), d)).astype(np.float32)
    base = centres[rng.integers(0, len(centres), n)] + rng.standard_normal((n, d)).astype(np.float32) * 1.05
    duplicates = np.flatnonzero(rng.random(n) < 0.1)
    duplicates = duplicates[duplicates > 0]
    sources = (rng.random(len(duplicates)) * duplicates).astype(np.int64)
    base[duplicates] = base[sources] + rng.standard_normal((len(duplicates), d)).astype(np.float32) * 1e-3
    fresh = centres[rng.integers(0, len(centres), QUERIES // 2)] + rng.standard_normal((QUERIES // 2, d)).astype(np.float32) * 1.05
    repeat = base[rng.integers(0, n, QUERIES - QUERIES // 2)] + rng.standard_normal((QUERIES - QUERIES // 2, d)).astype(np.float32) * 0.05
    return unit(base), unit(np.vstack([fresh, repeat]))


def real(n, d, rng, database):
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT embedding FROM retrieval_entries").fetchall()
    seeds = np.stack([np.frombuffer(r[0], dtype="<f4") for r in rows])
    assert seeds.shape[1] == d, f"the library's embeddings have {seeds.shape[1]} dimensions, not {d}"
    picks = rng.integers(0, len(seeds), n)
    base = np.maximum(seeds[picks] + rng.standard_normal((n, d)).astype(np.float32) * 0.05, 0)
    base[: len(seeds)] = seeds[: min(n, len(seeds))]
    queries = np.maximum(seeds[rng.integers(0, len(seeds), QUERIES)] + rng.standard_normal((QUERIES, d)).astype(np.float32) * 0.05, 0)
    return unit(base), unit(queries)


def main():
    out, kind, n, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = np.random.default_rng(12345)
    base, queries = clustered(n, d, rng) if kind == "clustered" else real(n, d, rng, sys.argv[5])
    base.tofile(f"{out}/base.f32")
    queries.tofile(f"{out}/queries.f32")
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    _, truth = flat.search(queries, 10)
    truth.astype("<i8").tofile(f"{out}/truth.i64")
    print(f"generated {kind} n={n} d={d}, truth in {time.perf_counter() - started:.1f} s")


main()
