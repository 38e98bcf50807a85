#!/usr/bin/env bash
# Parsing benchmark: our DicomFile.Open against pydicom's dcmread and DCMTK's dcmdump on the same 1,000 generated
# 2500x2000 16-bit DX files, in one run. Prints a Markdown table for docs/BENCHMARKS.md ("Parsing").
# Load: 2500 x 2000 x 16 bit is 10 MB of pixel data a file; our header-only open does not read it.
# Usage: bench/parse/run.sh [COUNT]   (default 1000; BUILD_ARGS go to dotnet build)
# Data goes to bench/data/dx (git-ignored, about 10 MB a file) and is made once by generate_dx.py.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-1000}
data="$root/bench/data/dx"
out="$root/bench/out/parse"
python=/usr/bin/python3

have=0
if [ -d "$data" ]; then have=$(find "$data" -name '*.dcm' | wc -l); fi
if [ "$have" -ne "$count" ]; then
    rm -rf "$data"
    echo "generating $count DX files in $data" >&2
    "$python" "$root/bench/parse/generate_dx.py" "$data" "$count"
fi
# shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
dotnet build "$root/bench/parse" -c Release -o "$out" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2
ours="dotnet $out/CxrPacsAgent.Bench.Parse.dll"

# Every reader sees a warm page cache: the files are read once first (they fit in memory).
cat "$data"/*.dcm > /dev/null

now() { date +%s.%N; }
rate() { # files/s of a command over all files, timed from outside (dcmdump has no timer of its own)
    local start end
    start=$(now); "$@" > /dev/null; end=$(now)
    awk -v n="$count" -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", n / (e - s) }'
}
inner() { "$@" | awk '{ print $3 }'; } # files/s as the program measured it (startup and warm-up excluded)

ours_header=$(inner $ours "$data")
ours_pixels=$(inner $ours "$data" --pixels)
ours_fresh=$(inner $ours "$data" --pixels --fresh-arrays)
floor=$(inner $ours "$data" --read-all-bytes)
py_full=$(inner "$python" "$root/bench/parse/pydicom_parse.py" "$data")
py_defer=$(inner "$python" "$root/bench/parse/pydicom_parse.py" "$data" --defer)
dump_full=$(rate sh -c "find '$data' -name '*.dcm' -print0 | sort -z | xargs -0 dcmdump")
dump_short=$(rate sh -c "find '$data' -name '*.dcm' -print0 | sort -z | xargs -0 dcmdump -M")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }
echo "| reader | what it reads | files/s | ours (header) vs it | ours (+pixels) vs it |"
echo "| --- | --- | ---: | ---: | ---: |"
echo "| CxrPacsAgent DicomFile.Open | header; pixel data stays on disk | $ours_header | | |"
echo "| CxrPacsAgent DicomFile.Open --pixels | header and pixel data, into a reused buffer | $ours_pixels | | |"
echo "| CxrPacsAgent DicomFile.Open --pixels --fresh-arrays | the same into a new array per file (the previous way) | $ours_fresh | | $(ratio "$ours_pixels" "$ours_fresh") |"
echo "| .NET File.ReadAllBytes (no parsing) | every byte | $floor | | $(ratio "$ours_pixels" "$floor") |"
echo "| pydicom 2.3.1 dcmread | everything | $py_full | $(ratio "$ours_header" "$py_full") | $(ratio "$ours_pixels" "$py_full") |"
echo "| pydicom 2.3.1 dcmread defer_size=1 KB | header; large values deferred | $py_defer | $(ratio "$ours_header" "$py_defer") | $(ratio "$ours_pixels" "$py_defer") |"
echo "| dcmdump (DCMTK $(dcmdump --version 2>/dev/null | head -1 | awk '{print $3}')) | everything, text to /dev/null | $dump_full | $(ratio "$ours_header" "$dump_full") | $(ratio "$ours_pixels" "$dump_full") |"
echo "| dcmdump -M | header; long values skipped | $dump_short | $(ratio "$ours_header" "$dump_short") | $(ratio "$ours_pixels" "$dump_short") |"
