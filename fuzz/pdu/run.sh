#!/usr/bin/env bash
# Fuzzes the PDU parser (PduReader), command set decoding and the PDU writer's round trip with AFL++ through SharpFuzz
# for a bounded time, then prints the run's numbers. Not part of CI.
# Usage: fuzz/pdu/run.sh [seconds]     (default 600; BUILD_ARGS go to dotnet publish)
# Needs afl-fuzz (apt-get install -y afl++). Output, ignored by git: fuzz/out/pdu/{bin,seeds,findings}.
# Replay a finding without AFL (uninstrumented copy): dotnet fuzz/out/pdu/replay/CxrPacsAgent.Fuzz.Pdu.dll FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/fuzz/out/pdu"
seconds=${1:-600}

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
dotnet publish "$root/fuzz/pdu" -c Release -o "$out/bin" --artifacts-path "$out/build" ${BUILD_ARGS:-}
# Seeds and the replay copy first: instrumented code runs only under AFL.
rm -rf "$out/seeds" "$out/replay"
cp -r "$out/bin" "$out/replay"
dotnet "$out/replay/CxrPacsAgent.Fuzz.Pdu.dll" --seeds "$out/seeds"
# Only our assembly is instrumented: coverage of the parser, not of the runtime.
"$out/tools/sharpfuzz" "$out/bin/CxrPacsAgent.Dicom.dll"

# A fresh run each time (-i); a previous run's queue can be resumed with -i - by hand.
rm -rf "$out/findings"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
afl-fuzz -i "$out/seeds" -o "$out/findings" -t 5000 -m none -V "$seconds" -- dotnet "$out/bin/CxrPacsAgent.Fuzz.Pdu.dll" || true

stats="$out/findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
    grep -E '^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|run_time)' "$stats"
fi
crashes=$(find "$out/findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "crashes: $crashes (replay: dotnet $out/replay/CxrPacsAgent.Fuzz.Pdu.dll FILE)"
