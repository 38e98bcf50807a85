#!/usr/bin/env bash
# Fuzzes DicomFile.Read with AFL++ through SharpFuzz for a bounded time, then prints the run's numbers.
# Usage: fuzz/reader/run.sh [seconds]     (default 600; BUILD_ARGS go to dotnet publish)
# Needs afl-fuzz (apt-get install -y afl++). Output, ignored by git: fuzz/out/reader/{bin,seeds,findings}.
# Replay a finding without AFL: dotnet fuzz/out/reader/bin/CxrPacsAgent.Fuzz.Reader.dll FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/fuzz/out/reader"
seconds=${1:-600}
samples="$root/../shared/data/dicom-samples"

if ! command -v afl-fuzz >/dev/null; then
    echo "afl-fuzz is not installed (apt-get install -y afl++); nothing fuzzed" >&2
    exit 2
fi
mkdir -p "$out"
if [ ! -x "$out/tools/sharpfuzz" ]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$out/tools"
fi

rm -rf "$out/bin"
# shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
dotnet publish "$root/fuzz/reader" -c Release -o "$out/bin" --artifacts-path "$out/build" ${BUILD_ARGS:-}
# Only our assembly is instrumented: coverage of the reader, not of the runtime.
"$out/tools/sharpfuzz" "$out/bin/CxrPacsAgent.Dicom.dll"

# Seeds: the samples under 64 KiB whole, and the first 4 KiB (header) of the larger ones; AFL mutates small inputs
# far faster, and the header is where the parser's branches are.
rm -rf "$out/seeds"
mkdir -p "$out/seeds"
find "$samples" -name '*.dcm' -print0 | while IFS= read -r -d '' f; do
    name=$(basename "$f")
    if [ "$(stat -c %s "$f")" -le 65536 ]; then cp "$f" "$out/seeds/$name"; else head -c 4096 "$f" > "$out/seeds/head-$name"; fi
done

# A fresh run each time (-i); a previous run's queue can be resumed with -i - by hand.
rm -rf "$out/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
afl-fuzz -i "$out/seeds" -o "$out/findings" -t 5000 -m none -V "$seconds" -- dotnet "$out/bin/CxrPacsAgent.Fuzz.Reader.dll" || true

stats="$out/findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability) ' "$stats"
    ls "$out/findings/default/crashes" "$out/findings/default/hangs" 2>/dev/null | grep -v README || true
else
    echo "afl-fuzz produced no statistics" >&2
    exit 1
fi
