#!/bin/sh
# Retrieval benchmark: ours (exact search with System.Numerics.Tensors; USearch HNSW; the SQLite-backed product index)
# against FAISS (Debian python3-faiss: IndexFlatIP, IndexHNSWFlat M=32 with efSearch 16 and 64) on the same data, in
# the same run: recall@5 against exact search, query latency p50/p99 (one query at a time, one thread), add throughput,
# memory, size on disk, cold start. Cases: clustered data with near-ties at SIZES × DIMS (SIZES= for none); with REAL_DB (a state
# database after `cxr-agent index import`), also the shipped model's real embeddings plus noise at REAL_SIZES × 128.
# The product case (acknowledged adds: rows committed in SQLite and searchable in the fresh segment; the background
# merge into HNSW and searches during it; recall and latency end to end; its snapshot; the index derived from rows
# alone; a cold start in a new process) runs for the clustered 128-d sizes, beside `dd`'s rate of synced 4 KiB writes
# (the disk's fsync bound) in the same run. PRODUCT_ONLY=1 runs only the product case (no FAISS, no bare indexes).
# The 1M cases run under `nice -n 10` (shared machine) and take a while. Run from the repository root.
set -e
OUT=${OUT:-bench/out/retrieval}
SIZES=${SIZES-"100000 1000000"}
DIMS=${DIMS-"128 256"}
REAL_DB=${REAL_DB:-}
REAL_SIZES=${REAL_SIZES:-1000000}
ART=${ART:-/tmp/art-bench-retrieval} # its own build folder: two runs at once need two
BIN=$ART/out
mkdir -p "$OUT"
dotnet build -c Release bench/retrieval -o "$BIN" --artifacts-path "$ART" $BUILD_ARGS >/dev/null
LOG="$OUT.txt"
: > "$LOG"
echo "# $(date -u +%FT%TZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"

run_case() { # KIND N DIM [DB]
  dir="$OUT/$1-$2-$3"
  mkdir -p "$dir"
  nice_cmd="" # the 1M cases at nice 10 (not 10 more when the whole run is already niced)
  [ "$2" -ge 1000000 ] && [ "$(nice)" -lt 10 ] && nice_cmd="nice -n $((10 - $(nice)))"
  $nice_cmd /usr/bin/python3 bench/retrieval/generate.py "$dir" "$1" "$2" "$3" $4 | tee -a "$LOG"
  echo "# $1 n=$2 d=$3: load before $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
  if [ -z "$PRODUCT_ONLY" ]; then
    $nice_cmd /usr/bin/python3 bench/retrieval/faiss_reference.py "$dir" "$2" "$3" | tee -a "$LOG"
    $nice_cmd dotnet "$BIN/CxrPacsAgent.Bench.Retrieval.dll" vectors "$dir" "$2" "$3" | tee -a "$LOG"
  fi
  if [ "$3" = 128 ] && [ "$1" = clustered ]; then
    rm -rf "$dir/state"
    echo "# dd: $(dd if=/dev/zero of="$dir/dd.bin" bs=4k count=300 oflag=dsync 2>&1 | tail -1) (300 synced 4 KiB writes)" | tee -a "$LOG"
    rm -f "$dir/dd.bin"
    $nice_cmd dotnet "$BIN/CxrPacsAgent.Bench.Retrieval.dll" product "$dir" "$2" "$3" "$dir/state/agent.db" | tee -a "$LOG"
    sync
    $nice_cmd dotnet "$BIN/CxrPacsAgent.Bench.Retrieval.dll" open "$dir/state/agent.db" "$3" "$dir" | tee -a "$LOG"
    rm -rf "$dir/state"
  fi
  echo "# $1 n=$2 d=$3: load after $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
  rm -f "$dir"/*.f32 "$dir"/*.i64
}

for n in $SIZES; do
  for d in $DIMS; do
    run_case clustered "$n" "$d"
  done
done
if [ -n "$REAL_DB" ]; then
  for n in $REAL_SIZES; do
    run_case real "$n" 128 "$REAL_DB"
  done
fi
# Side by side: our default HNSW against FAISS HNSW M=32 efSearch=64 (ratio above 1: we are faster).
awk '/^ours-hnsw.*-default / || /^faiss-hnsw32-ef64 / {
  split($0, f, " "); key = f[2] " " f[3]; for (i in f) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
  side = ($1 ~ /^ours/) ? "ours" : "faiss"; recall[key, side] = v["recall5"]; p50[key, side] = v["p50_ms"]; add[key, side] = v["add_per_s"]; keys[key] = 1 }
  END { for (k in keys) if ((k, "ours") in p50 && (k, "faiss") in p50)
    printf "%s: recall@5 ours %s / FAISS %s; p50 ours %s ms / FAISS %s ms (ratio %.2fx); add ours %s/s / FAISS %s/s\n",
      k, recall[k, "ours"], recall[k, "faiss"], p50[k, "ours"], p50[k, "faiss"], p50[k, "faiss"] / p50[k, "ours"], add[k, "ours"], add[k, "faiss"] }' "$LOG" | tee -a "$LOG"
