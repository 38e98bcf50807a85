#!/usr/bin/env bash
# Network benchmark (docs/BENCHMARKS.md, "Network"): COUNT (200) generated 16-bit DX of 10 MB each, sent in one
# association on loopback, ours and DCMTK's in the same run:
#   SCP: storescu -> storescp -od            against  storescu -> cxr-agent store-scp (fsync on)
#   SCU: storescu -> storescp -od            against  cxr-agent send -> the same storescp
#   RSS: 16 storescu at once (COUNT/16 files each) -> cxr-agent store-scp; peak RSS (VmHWM) of our SCP
# storescp runs twice, with its default 16 KiB PDUs and with its largest (128 KiB, what storescu also sends to us);
# our SCP's ratio is given against both. TCP_NODELAY=1 for every DCMTK process (PEERS.md). Prints a Markdown table.
# Usage: bench/network/run.sh [COUNT]   (data made once into the git-ignored bench/data/network by generate_dx.py)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-200}
data="$root/bench/data/network/dx"
out="$root/bench/out/network"
python=/usr/bin/python3
export TCP_NODELAY=1

have=0
if [ -d "$data" ]; then have=$(find "$data" -name '*.dcm' | wc -l); fi
if [ "$have" -ne "$count" ]; then
    rm -rf "$data"
    echo "generating $count DX files in $data" >&2
    "$python" "$root/bench/network/generate_dx.py" "$data" "$count"
fi
mkdir -p "$out"
# Published ReadyToRun, as it is deployed: a short-lived `cxr-agent send` otherwise spends a third of a second JIT-ing
# the generated dictionaries. If the runtime pack cannot be had, a plain Release build is timed instead (and said so).
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
build="ReadyToRun ($rid)"
# shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
if ! dotnet publish "$root/src/CxrPacsAgent.Worker" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
        -o "$out/agent" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2; then
    build="JIT (ReadyToRun publish failed)"
    dotnet build "$root/src/CxrPacsAgent.Worker" -c Release -o "$out/agent" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2
fi
agent=(dotnet "$out/agent/cxr-agent.dll")
mapfile -t files < <(find "$data" -name '*.dcm' | sort)
bytes=$(cat "${files[@]}" | wc -c)   # also warms the page cache for every sender

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }
peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
fresh() { rm -rf "$1"; mkdir -p "$1"; sync; }
timed() { # timed VAR COMMAND...: seconds COMMAND takes, into VAR (no subshell, so started servers stay visible)
    local var=$1 start end; shift
    start=$(now); "$@" > "$out/last.log" 2>&1 || { cat "$out/last.log" >&2; return 1; }; end=$(now)
    printf -v "$var" '%s' "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')"
}
storescu=(storescu -aet BENCH -aec)

# storescp -od, receiving from storescu: the reference SCP (twice: default and largest PDU).
start_storescp() { # start_storescp [OPTIONS...]: storescp runs as $scp_pid on $scp_port
    scp_port=$(free_port); fresh "$out/recv-dcmtk"
    storescp -aet STORESCP -od "$out/recv-dcmtk" "$@" "$scp_port" > "$out/storescp.log" 2>&1 &
    scp_pid=$!; wait_port "$scp_port"
}
storescu_to_storescp() { fresh "$out/recv-dcmtk"; timed "$1" "${storescu[@]}" STORESCP 127.0.0.1 "$scp_port" "${files[@]}"; }
our_scu_to_storescp() {
    fresh "$out/recv-dcmtk"
    timed "$1" "${agent[@]}" send 127.0.0.1 "$scp_port" "$data" --aet BENCH --aec STORESCP
    check "$(find "$out/recv-dcmtk" -type f | wc -l)" "storescp from our SCU"
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
# Our SCP (fsync on, the default), receiving from storescu; stays running as $our_pid on $our_port.
run_ours() { # run_ours FOLDER [OPTIONS...]
    local folder=$1; shift
    our_port=$(free_port); fresh "$folder"
    "${agent[@]}" store-scp --port "$our_port" --aet CXRAGENT --out "$folder" --bind 127.0.0.1 "$@" > "$out/ours.log" 2>&1 &
    our_pid=$!; wait_port "$our_port"
}
check() { [ "$1" -eq "$count" ] || { echo "$2: $1 of $count files arrived" >&2; exit 1; }; }

# The machine may be shared: ROUNDS (3) interleaved rounds, medians reported.
rounds=${ROUNDS:-3}
declare -a a_16k a_128k a_ours a_scu a_nofsync
for ((r = 0; r < rounds; r++)); do
    start_storescp; storescu_to_storescp t; a_16k+=("$t"); dcmtk_rss_16k=$(peak_rss_mb $scp_pid); stop $scp_pid
    # Our SCU and storescu against the same storescp (128 KiB PDUs), taking turns at going first: the second run
    # meets the first one's 2 GB of dirty pages being written back.
    start_storescp -pdu 131072
    if ((r % 2 == 0)); then
        storescu_to_storescp t; a_128k+=("$t"); our_scu_to_storescp t; a_scu+=("$t")
    else
        our_scu_to_storescp t; a_scu+=("$t"); storescu_to_storescp t; a_128k+=("$t")
    fi
    dcmtk_rss=$(peak_rss_mb $scp_pid)
    stop $scp_pid
    run_ours "$out/recv-ours"
    timed t "${storescu[@]}" CXRAGENT 127.0.0.1 "$our_port" "${files[@]}"; a_ours+=("$t")
    our_rss_single=$(peak_rss_mb $our_pid)
    check "$(find "$out/recv-ours" -maxdepth 1 -name '*.dcm' | wc -l)" "our SCP"
    stop $our_pid
    # The same without fsync: what durability costs.
    run_ours "$out/recv-ours" --no-fsync
    timed t "${storescu[@]}" CXRAGENT 127.0.0.1 "$our_port" "${files[@]}"; a_nofsync+=("$t")
    stop $our_pid
    echo "round $((r + 1)): storescp 16k ${a_16k[r]} s, 128k ${a_128k[r]} s, our SCP ${a_ours[r]} s" \
        "(no fsync ${a_nofsync[r]} s), our SCU ${a_scu[r]} s" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
t_dcmtk_16k=$(median "${a_16k[@]}"); t_dcmtk_128k=$(median "${a_128k[@]}")
t_our_scp=$(median "${a_ours[@]}"); t_our_scu=$(median "${a_scu[@]}"); t_nofsync=$(median "${a_nofsync[@]}")

# 16 associations at once into our SCP: peak RSS.
run_ours "$out/recv-ours"
start=$(now)
pids=()
for i in $(seq 0 15); do
    part=()
    for ((j = i; j < count; j += 16)); do part+=("${files[$j]}"); done
    "${storescu[@]}" CXRAGENT 127.0.0.1 "$our_port" "${part[@]}" > "$out/par-$i.log" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
t_parallel=$(awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }')
our_rss_16=$(peak_rss_mb $our_pid)
check "$(find "$out/recv-ours" -maxdepth 1 -name '*.dcm' | wc -l)" "our SCP with 16 associations"
stop $our_pid

rate() { awk -v n="$count" -v t="$1" 'BEGIN { printf "%.1f", n / t }'; }
mbs() { awk -v b="$bytes" -v t="$1" 'BEGIN { printf "%.0f", b / t / 1048576 }'; }
ratio() { awk -v ref="$1" -v t="$2" 'BEGIN { printf "%.2f×", ref / t }'; }
echo "Medians of $rounds rounds; cxr-agent $build; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| run | sender → receiver | images/s | MB/s | peak RSS of the SCP | vs reference |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
echo "| reference SCP | storescu → storescp -od (16 KiB PDU) | $(rate "$t_dcmtk_16k") | $(mbs "$t_dcmtk_16k") | $dcmtk_rss_16k MB | |"
echo "| reference SCP | storescu → storescp -od -pdu 131072 | $(rate "$t_dcmtk_128k") | $(mbs "$t_dcmtk_128k") | $dcmtk_rss MB | |"
echo "| **our SCP** (fsync) | storescu → cxr-agent store-scp | $(rate "$t_our_scp") | $(mbs "$t_our_scp") | $our_rss_single MB | $(ratio "$t_dcmtk_16k" "$t_our_scp") of 16 KiB, $(ratio "$t_dcmtk_128k" "$t_our_scp") of 128 KiB |"
echo "| our SCP, fsync off | storescu → cxr-agent store-scp --no-fsync | $(rate "$t_nofsync") | $(mbs "$t_nofsync") | | $(ratio "$t_dcmtk_16k" "$t_nofsync") of 16 KiB, $(ratio "$t_dcmtk_128k" "$t_nofsync") of 128 KiB |"
echo "| **our SCU** | cxr-agent send → storescp -od -pdu 131072 | $(rate "$t_our_scu") | $(mbs "$t_our_scu") | | $(ratio "$t_dcmtk_128k" "$t_our_scu") of storescu |"
echo "| our SCP, 16 associations | 16 × storescu → cxr-agent store-scp | $(rate "$t_parallel") | $(mbs "$t_parallel") | **$our_rss_16 MB** | |"
