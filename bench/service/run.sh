#!/usr/bin/env bash
# Service benchmark (docs/BENCHMARKS.md, "Service"): `cxr-agent serve` end to end with storescu as the router and
# Orthanc as the PACS, on 2500 x 2000 16-bit DX chest films (10 MB each), all on loopback:
#   latency  LATENCY (100) studies one after another: from the start of the C-STORE until the job is complete in the
#            agent's state database (results written, and every DICOM result document accepted by Orthanc); p50, p95
#   burst    BURST (200) studies in one association: how fast intake answers them (the router's view) and how long
#            until the last is complete (throughput); the stage breakdown from the agent's own /metrics
#   ingest   the same BURST files, storescu -> storescp -od, run while the agent works through the burst's backlog:
#            the reference for intake speed under the same load
# TCP_NODELAY=1 for every DCMTK/Orthanc process (PEERS.md). Prints a Markdown table and the raw JSON.
# Usage: [RETRIEVAL=false] bench/service/run.sh [LATENCY] [BURST]   (data made once into the git-ignored bench/data/service)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
latency=${1:-100}
burst=${2:-200}
data="$root/bench/data/service/cxr"
out="$root/bench/out/service"
python=/usr/bin/python3
export TCP_NODELAY=1
# shellcheck source=../lib/peers.sh
. "$root/bench/lib/peers.sh"

count=$((latency > burst ? latency : burst))
ensure_films "$data" "$count"
rm -rf "$out/data" "$out/orthanc" "$out/recv-dcmtk"
mkdir -p "$out"
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
build="ReadyToRun ($rid)"
# shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
if ! dotnet publish "$root/src/CxrPacsAgent.Worker" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
        -o "$out/agent" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2; then
    build="JIT (ReadyToRun publish failed)"
    dotnet build "$root/src/CxrPacsAgent.Worker" -c Release -o "$out/agent" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2
fi
mapfile -t files < <(find "$data" -name '*.dcm' | sort)
cat "${files[@]}" > /dev/null   # page cache warm for every sender

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Orthanc, the PACS.
start_orthanc

# The agent, sending its results to Orthanc.
agent_port=$(free_port); agent_http=$(free_port)
cat > "$out/agent.json" <<JSON
{ "Dicom": { "Port": $agent_port, "BindAddress": "127.0.0.1" }, "Storage": { "Root": "$out/data" },
  "Http": { "Urls": "http://127.0.0.1:$agent_http" },
  "Destinations": [ { "Name": "orthanc", "AeTitle": "ORTHANC", "Host": "127.0.0.1", "Port": $orthanc_dicom } ],
  "Retrieval": { "Enabled": ${RETRIEVAL:-true} },
  "Logging": { "LogLevel": { "Default": "Warning" } } }
JSON
dotnet "$out/agent/cxr-agent.dll" serve --config "$out/agent.json" > "$out/agent.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$agent_http/health/ready"
db="$out/data/state/agent.db"

# Warm-up (JIT of the first run, model sessions), not counted.
"$python" "$root/bench/service/measure.py" latency "$agent_port" "$agent_http" "$db" "${files[@]:count-2:2}" > /dev/null

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
lat=$("$python" "$root/bench/service/measure.py" latency "$agent_port" "$agent_http" "$db" "${files[@]:0:latency}")
echo "latency: $lat" >&2
burst_files=("${files[@]:0:burst}")
# The same files again would be duplicates: the burst sends copies with new UIDs, made here.
rm -rf "$out/burst"; mkdir -p "$out/burst"
"$python" - "$out/burst" "${burst_files[@]}" <<'PY'
import sys, pydicom
from pydicom.uid import generate_uid
for i, path in enumerate(sys.argv[2:]):
    ds = pydicom.dcmread(path)
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.save_as(f"{sys.argv[1]}/b{i:04d}.dcm", write_like_original=False)
PY
mapfile -t burst_files < <(find "$out/burst" -name '*.dcm' | sort)
cat "${burst_files[@]}" > /dev/null
# Reference intake: storescp -od receiving the same burst, started as soon as the agent has answered it (its
# pipeline is still working through the backlog then, so both intakes meet the same load).
scp_port=$(free_port); mkdir -p "$out/recv-dcmtk"
storescp -aet STORESCP -od "$out/recv-dcmtk" "$scp_port" > "$out/storescp.log" 2>&1 &
scp_pid=$!; pids+=($scp_pid)
for _ in $(seq 200); do (echo > "/dev/tcp/127.0.0.1/$scp_port") 2>/dev/null && break; sleep 0.05; done
printf -v reference 'storescu -aet BENCH -aec STORESCP 127.0.0.1 %s %s' "$scp_port" "$out/burst/*.dcm"
bst=$(REFERENCE="$reference" "$python" "$root/bench/service/measure.py" burst "$agent_port" "$agent_http" "$db" "${burst_files[@]}")
echo "burst: $bst" >&2
received=$(find "$out/recv-dcmtk" -type f | wc -l)
[ "$received" -eq "$burst" ] || { echo "storescp received $received of $burst" >&2; exit 1; }
orthanc_held=$(curl -s "http://127.0.0.1:$orthanc_http/statistics" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["CountInstances"])')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

"$python" - "$lat" "$bst" "$burst" "$build" "$load_before" "$load_after" "$orthanc_held" <<'PY'
import json, sys
lat, bst = json.loads(sys.argv[1]), json.loads(sys.argv[2])
n, build, before, after, held = int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
t_ref = bst["reference_s"]
print(f"cxr-agent {build}; load average {before} before, {after} after; Orthanc holds {held} instances.\n")
print("| measure | value |")
print("| --- | ---: |")
print(f"| end-to-end latency per study, p50 ({lat['n']} studies one at a time) | **{lat['p50']:.2f} s** |")
print(f"| end-to-end latency per study, p95 | {lat['p95']:.2f} s (min {lat['min']:.2f}, max {lat['max']:.2f}) |")
print(f"| burst of {n}: all complete after | {bst['total_s']:.1f} s = **{60 * n / bst['total_s']:.0f} studies/min** |")
print(f"| burst of {n}: intake (storescu → serve, answered) | {bst['intake_s']:.1f} s = {n / bst['intake_s']:.1f} images/s; {bst['backlog_after_intake']} still in the pipeline then |")
print(f"| reference intake (storescu → storescp -od, same files, during the agent's backlog) | {t_ref:.1f} s = {n / t_ref:.1f} images/s |")
print(f"| serve intake vs storescp -od | {t_ref / bst['intake_s']:.2f}× |")
print()
print("| stage | mean ms (latency run) | mean ms (burst) |")
print("| --- | ---: | ---: |")
for stage in lat["stages_ms"]:
    print(f"| {stage} | {lat['stages_ms'][stage]} | {bst['stages_ms'].get(stage, '')} |")
PY
