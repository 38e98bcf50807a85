#!/bin/sh
# Inference benchmark: the toolkit exports one package; PyTorch and ours (ONNX Runtime via CxrModel) time it in the
# same run, CPU, same thread count, batch 1 and 8 (and the lung U-Net on one image), alternating for ROUNDS rounds (the machine is shared: alternating
# exposes both sides to the same load). Run from the repository root. Needs python3-torch (Debian).
set -e
OUT=bench/out/inference
THREADS=${THREADS:-2}
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-3}
mkdir -p "$OUT"
dotnet build -c Release bench/inference -o /tmp/art-bench-inference/out --artifacts-path /tmp/art-bench-inference $BUILD_ARGS >/dev/null
: > "$OUT.txt"
for r in $(seq "$ROUNDS"); do
  /usr/bin/python3 bench/inference/torch_reference.py "$OUT/package" "$THREADS" "$RUNS" | tee -a "$OUT.txt"
  dotnet /tmp/art-bench-inference/out/CxrPacsAgent.Bench.Inference.dll \
    "$OUT/package" "$THREADS" "$RUNS" | tee -a "$OUT.txt"
done
# Ratio = PyTorch time / our time (above 1: we are faster), from the best median and the best minimum over the rounds.
for what in "batch=1" "batch=8" "unet"; do
  for stat in ms min; do
    t=$(sed -n "s/^torch $what .*\b$stat=\([0-9.]*\).*/\1/p" "$OUT.txt" | sort -n | head -1)
    o=$(sed -n "s/^ours $what .*\b$stat=\([0-9.]*\).*/\1/p" "$OUT.txt" | sort -n | head -1)
    echo "$what ($stat): PyTorch $t ms, ours $o ms, ratio $(echo "$t $o" | awk '{printf "%.2f", $1/$2}')x"
  done
done
