#!/usr/bin/env bash
# SR/SC cost on a 2500x2000 12-bit DX (bench/parse/generate_dx.py: adult-cxr-01 upsampled, written by pydicom): ours
# in process (decode, preprocessing, picture with and without the occlusion heatmap, occlusion per grid size, SR and SC
# written), then DCMTK's dcmj2pnm rendering the same file to an 8-bit PNG as the reference, in the same run:
#   bench/results/run.sh [RUNS]     (default 7; prints the table for docs/BENCHMARKS.md "Results")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-7}
work=$(mktemp -d /tmp/cxr-bench-results.XXXXXX)
trap 'rm -rf "$work"' EXIT
uptime
/usr/bin/python3 "$root/bench/parse/generate_dx.py" "$work/dx" 1 >/dev/null
src=$(ls "$work"/dx/*.dcm | head -1)
dotnet build "$here/CxrPacsAgent.Bench.Results.csproj" -c Release -o "$work/bin" --artifacts-path "$work/artifacts" >/dev/null
dotnet "$work/bin/CxrPacsAgent.Bench.Results.dll" "$src" "$work" "$n"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {
  for _ in $(seq "$n"); do
    local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median
}
echo "| reference: dcmj2pnm +on (whole process: read, decode, min-max window, 8-bit PNG) | $(time_ms dcmj2pnm +on +Wm "$src" "$work/ref.png") ms | — |"
uptime
