#!/usr/bin/env bash
# Fuzzes each pixel decoder with afl-fuzz through SharpFuzz.
#   fuzz/codecs/run-afl.sh [SECONDS_PER_TARGET] [TARGET...]     (targets: rle lossless baseline jpegls j2k; default all, 60 s)
# Needs: apt-get install -y afl++ (SharpFuzz.CommandLine 2.3.0 is installed into the output folder on first use);
# j2k needs libopenjp2-7 (OpenJPEG is native, so AFL's coverage map sees only our wrapper; a crash inside it still shows)
# Findings (crashes/, hangs/) land in $FUZZ_OUT/TARGET (default fuzz/out/codecs, git-ignored); one summary line per target.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
shift || true
targets=("${@:-rle lossless baseline jpegls j2k}")
read -r -a targets <<< "${targets[*]}"
out=${FUZZ_OUT:-$here/../out/codecs}
# shellcheck source=../afl-common.sh
. "$here/../afl-common.sh"

afl_prepare "$out"
afl_publish "$here/CxrPacsAgent.Fuzz.Codecs.csproj" "$out"
[ -d "$out/seeds" ] || "$here/make-seeds.sh" "$out/seeds" >/dev/null
for target in "${targets[@]}"; do
  afl_run "$out/seeds/$target" "$out/$target" "$seconds" "$target" dotnet "$out/bin/CxrPacsAgent.Fuzz.Codecs.dll" "$target" || true
done
echo "replay: dotnet $out/replay/CxrPacsAgent.Fuzz.Codecs.dll TARGET FILE"
