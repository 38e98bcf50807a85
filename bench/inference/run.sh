#!/bin/sh
# Inference benchmark: the toolkit exports one package; PyTorch and ours (ONNX Runtime via CxrModel) time it in the
# same run, CPU, same thread count, batch 1 and 8. Run from the repository root. Needs python3-torch (Debian).
set -e
OUT=bench/out/inference
THREADS=${THREADS:-2}
RUNS=${RUNS:-20}
/usr/bin/python3 bench/inference/torch_reference.py "$OUT/package" "$THREADS" "$RUNS" | tee "$OUT.torch.txt"
dotnet run -c Release --project bench/inference --artifacts-path /tmp/art-bench-inference $BUILD_ARGS -- \
  "$OUT/package" "$THREADS" "$RUNS" | tee "$OUT.ours.txt"
# Ratio = PyTorch time / our time (above 1: we are faster).
for b in 1 8; do
  t=$(sed -n "s/^torch batch=$b ms=//p" "$OUT.torch.txt")
  o=$(sed -n "s/^ours batch=$b ms=//p" "$OUT.ours.txt")
  echo "batch $b: PyTorch $t ms, ours $o ms, ratio $(echo "$t $o" | awk '{printf "%.2f", $1/$2}')x"
done
