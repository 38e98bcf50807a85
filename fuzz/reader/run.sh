#!/usr/bin/env bash
# Fuzzes DicomFile.Read with AFL++ through SharpFuzz for a bounded time, then prints the run's numbers.
# Usage: fuzz/reader/run.sh [seconds]     (default 600; BUILD_ARGS go to dotnet publish)
# Needs afl-fuzz (apt-get install -y afl++). Output, ignored by git: fuzz/out/reader/{bin,replay,seeds,findings}.
# Replay a finding without AFL: dotnet fuzz/out/reader/replay/CxrPacsAgent.Fuzz.Reader.dll FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/fuzz/out/reader"
seconds=${1:-600}
samples="$root/../shared/data/dicom-samples"
# shellcheck source=../afl-common.sh
. "$root/fuzz/afl-common.sh"

afl_prepare "$out"
afl_publish "$root/fuzz/reader" "$out"
# Seeds: the samples under 64 KiB whole, and the first 4 KiB (header) of the larger ones; AFL mutates small inputs
# far faster, and the header is where the parser's branches are.
rm -rf "$out/seeds"
mkdir -p "$out/seeds"
find "$samples" -name '*.dcm' -print0 | while IFS= read -r -d '' f; do
    name=$(basename "$f")
    if [ "$(stat -c %s "$f")" -le 65536 ]; then cp "$f" "$out/seeds/$name"; else head -c 4096 "$f" > "$out/seeds/head-$name"; fi
done
afl_run "$out/seeds" "$out/findings" "$seconds" reader dotnet "$out/bin/CxrPacsAgent.Fuzz.Reader.dll"
echo "replay: dotnet $out/replay/CxrPacsAgent.Fuzz.Reader.dll FILE"
