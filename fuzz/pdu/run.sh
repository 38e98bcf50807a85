#!/usr/bin/env bash
# Fuzzes the PDU parser (PduReader), command set decoding and the PDU writer's round trip with AFL++ through SharpFuzz
# for a bounded time, then prints the run's numbers. Not part of CI.
# Usage: fuzz/pdu/run.sh [seconds]     (default 600; BUILD_ARGS go to dotnet publish)
# Needs afl-fuzz (apt-get install -y afl++). Output, ignored by git: fuzz/out/pdu/{bin,replay,seeds,findings}.
# Replay a finding without AFL (uninstrumented copy): dotnet fuzz/out/pdu/replay/CxrPacsAgent.Fuzz.Pdu.dll FILE
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/fuzz/out/pdu"
seconds=${1:-600}
# shellcheck source=../afl-common.sh
. "$root/fuzz/afl-common.sh"

afl_prepare "$out"
afl_publish "$root/fuzz/pdu" "$out"
# The harness writes its own seeds (every PDU type, from the tests' fixtures); instrumented code runs only under AFL.
rm -rf "$out/seeds"
dotnet "$out/replay/CxrPacsAgent.Fuzz.Pdu.dll" --seeds "$out/seeds"
afl_run "$out/seeds" "$out/findings" "$seconds" pdu dotnet "$out/bin/CxrPacsAgent.Fuzz.Pdu.dll"
echo "replay: dotnet $out/replay/CxrPacsAgent.Fuzz.Pdu.dll FILE"
