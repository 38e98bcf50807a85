#!/usr/bin/env bash
# Fuzzes each pixel decoder with afl-fuzz through SharpFuzz.
#   fuzz/codecs/run-afl.sh [SECONDS_PER_TARGET] [TARGET...]     (targets: rle lossless baseline jpegls; default all, 60 s)
# Needs: apt-get install -y afl++ ; dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
# Findings (crashes/, hangs/) land in $FUZZ_OUT/TARGET (default fuzz/out/codecs, git-ignored); one summary line per target.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
shift || true
targets=("${@:-rle lossless baseline jpegls}")
read -r -a targets <<< "${targets[*]}"
out=${FUZZ_OUT:-$here/../out/codecs}
build=$out/build
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz missing: apt-get install -y afl++" >&2; exit 3; }
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
rm -rf "$build"
dotnet publish "$here/CxrPacsAgent.Fuzz.Codecs.csproj" -c Release -o "$build" --artifacts-path "$out/artifacts" >/dev/null
sharpfuzz "$build/CxrPacsAgent.Dicom.dll"   # instruments the toolkit in place (only the Imaging code runs)
[ -d "$out/seeds" ] || "$here/make-seeds.sh" "$out/seeds" >/dev/null
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
for target in "${targets[@]}"; do
  rm -rf "$out/$target"
  timeout --signal=INT $((seconds + 30)) afl-fuzz -V "$seconds" -t 5000 -m none -i "$out/seeds/$target" -o "$out/$target" \
    -- dotnet "$build/CxrPacsAgent.Fuzz.Codecs.dll" "$target" > "$out/$target.log" 2>&1 || true
  stats=$(find "$out/$target" -name fuzzer_stats | head -1)
  if [ -n "$stats" ]; then
    awk -v t="$target" -F' *: ' '/^execs_done|^corpus_count|^saved_crashes|^saved_hangs|^run_time|^bitmap_cvg/ {v[$1]=$2}
      END {printf "%s: run_time=%ss execs=%s corpus=%s coverage=%s crashes=%s hangs=%s\n", t, v["run_time"], v["execs_done"], v["corpus_count"], v["bitmap_cvg"], v["saved_crashes"], v["saved_hangs"]}' "$stats"
  else
    echo "$target: afl-fuzz did not start; see $out/$target.log"; tail -5 "$out/$target.log"
  fi
done
