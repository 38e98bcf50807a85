#!/usr/bin/env bash
# Limits benchmark (docs/BENCHMARKS.md, "Connection and association limits"): what hostile or busy peers cost our
# store SCP on loopback, and whether another sender still gets through. Every scenario starts a fresh
# `cxr-agent store-scp` and runs one of bench/limits/peers.py's peers against it:
#   unfinished-rq      254 connections announcing a 1 MiB A-ASSOCIATE-RQ and sending all of it but one byte
#   unfinished-rq-64k  the same with 60 KiB (under the default A-ASSOCIATE-RQ bound): held until the request timeout
#   idle-connections   300 silent connections from 127.0.0.1, then a C-ECHO from 127.0.0.2
#   idle-associations  16 idle associations from 127.0.0.1, then a C-ECHO from 127.0.0.2
#   parallel-stores    N associations at once (each from its own loopback address) storing 10 MB DX files
# Usage: bench/limits/run.sh [AGENT_DLL] [N_PARALLEL...]   (default: this tree's cxr-agent, published to bench/out;
#        N_PARALLEL defaults to "16 64"). Pass another build's cxr-agent.dll to measure it the same way.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/bench/out/limits"
python=/usr/bin/python3
mkdir -p "$out"
agent_dll=${1:-}
shift || true
parallel=("${@:-16 64}")
read -r -a parallel <<< "${parallel[*]}"
if [ -z "$agent_dll" ]; then
    # shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
    dotnet publish "$root/src/CxrPacsAgent.Worker" -c Release -o "$out/agent" --artifacts-path "$out/build" ${BUILD_ARGS:-} >&2
    agent_dll="$out/agent/cxr-agent.dll"
fi
data="$root/bench/data/limits/dx"
want=64
have=0
if [ -d "$data" ]; then have=$(find "$data" -name '*.dcm' | wc -l); fi
if [ "$have" -ne "$want" ]; then
    rm -rf "$data"
    "$python" "$root/bench/network/generate_dx.py" "$data" "$want" >&2
fi
cat "$data"/*.dcm > /dev/null

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }
scenario() { # scenario SCP_OPTIONS -- PEERS_ARGS...
    local options=()
    while [ "$1" != "--" ]; do options+=("$1"); shift; done
    shift
    local port folder pid
    port=$(free_port); folder="$out/recv"; rm -rf "$folder"; mkdir -p "$folder"
    dotnet "$agent_dll" store-scp --port "$port" --aet CXRAGENT --out "$folder" --bind 127.0.0.1 "${options[@]}" \
        > "$out/scp.log" 2>&1 &
    pid=$!
    wait_port "$port"
    sleep 0.5
    "$python" "$root/bench/limits/peers.py" "$1" "$port" "$pid" "${@:2}" || echo "$1: peer failed" >&2
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

echo "agent: $agent_dll; load: $(uptime | sed 's/.*load average: //')"
scenario -- unfinished-rq 254 1048576
scenario -- unfinished-rq 254 61440
scenario -- idle-connections 300
scenario -- idle-associations 16
for n in "${parallel[@]}"; do
    scenario --max-associations "$n" -- parallel-stores "$n" "$data"
done
