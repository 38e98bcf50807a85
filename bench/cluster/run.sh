#!/usr/bin/env bash
# Cluster benchmark (docs/BENCHMARKS.md, "Several agents"): `cxr-agent serve` on a private PostgreSQL 15 cluster with
# one and with two agents, against the embedded SQLite default in the same run; storescu as the router, Orthanc as the
# PACS, the bench/service chest films (2500 x 2000 16-bit DX, 10 MB each), all on loopback:
#   latency  LATENCY (10) studies one after another to one agent: C-STORE start until the study is complete (results
#            written, every DICOM document accepted by Orthanc); p50, p95 — SQLite and PostgreSQL
#   burst    BURST (40) studies dealt round robin to the agents, one storescu association per agent: studies per
#            minute until all are complete — SQLite (1 agent), PostgreSQL with 1 and with 2 agents
#   claims   the agents' claim statement (SELECT … FOR UPDATE SKIP LOCKED, lease, fence) followed by the settling
#            update, as pgbench transactions over CLAIMS (20000) waiting jobs, with 1 and with 2 clients: claims per second
# Prints a Markdown table and the raw JSON. Run it under nice on a shared machine and quote the load it prints.
# Usage: bench/cluster/run.sh [LATENCY] [BURST] [CLAIMS]   (films made once into the git-ignored bench/data/service, or DATA=folder)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
latency=${1:-10}
burst=${2:-40}
claims=${3:-20000}
data=${DATA:-"$root/bench/data/service/cxr"}
out="$root/bench/out/cluster"
python=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
export TCP_NODELAY=1
# shellcheck source=../lib/peers.sh
. "$root/bench/lib/peers.sh"

count=$((latency + burst + 2))
ensure_films "$data" "$count"
mkdir -p "$out"
find "$out" -mindepth 1 -maxdepth 1 ! -name agent ! -name build -exec rm -rf {} +   # the build is kept: incremental
dotnet build "$root/src/CxrPacsAgent.Worker" -c Release -o "$out/agent" --artifacts-path "$out/build" >&2
mapfile -t files < <(find "$data" -name '*.dcm' | sort | head -n "$count")
cat "${files[@]}" > /dev/null   # page cache warm for every sender

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
pg_port=
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$pg_port" ]; then as_postgres "$pgbin/pg_ctl" -D "$out/pg/data" -m immediate stop > /dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# PostgreSQL: a private cluster with the server's defaults (fsync on, as in production).
mkdir -p "$out/pg"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$out/pg"
as_postgres "$pgbin/initdb" -D "$out/pg/data" -U postgres -A trust -E UTF8 --locale=C > /dev/null
pg_port=$(free_port)
as_postgres "$pgbin/pg_ctl" -D "$out/pg/data" -l "$out/pg/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $out/pg" start > /dev/null
psql() { "$pgbin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# Orthanc, the PACS.
start_orthanc 1200

# site NAME PROVIDER AGENTS: starts the agents of one configuration on a fresh data folder (and database), warms them
# up with one study each, runs the latency measure on the first (unless LATENCY_TOO=false) and the burst on all.
site() {
    local name=$1 provider=$2 agents=$3 state ports=() https=() agent_pids=()
    state="\"Provider\": \"sqlite\""
    if [ "$provider" = postgresql ]; then
        psql -d postgres -c "CREATE DATABASE $name"
        state="\"Provider\": \"postgresql\", \"ConnectionString\": \"Host=127.0.0.1;Port=$pg_port;Database=$name;Username=postgres\""
    fi
    for i in $(seq "$agents"); do
        local port http; port=$(free_port); http=$(free_port)
        cat > "$out/$name-$i.json" <<JSON
{ "Dicom": { "Port": $port, "BindAddress": "127.0.0.1" }, "Storage": { "Root": "$out/$name" }, "State": { $state },
  "Http": { "Urls": "http://127.0.0.1:$http" },
  "Destinations": [ { "Name": "orthanc", "AeTitle": "ORTHANC", "Host": "127.0.0.1", "Port": $orthanc_dicom } ],
  "Logging": { "LogLevel": { "Default": "Warning" } } }
JSON
        dotnet "$out/agent/cxr-agent.dll" serve --config "$out/$name-$i.json" > "$out/$name-$i.log" 2>&1 &
        agent_pids+=($!); pids+=($!); ports+=("$port"); https+=("$http")
    done
    for http in "${https[@]}"; do wait_http "http://127.0.0.1:$http/health/ready" 1200; done
    local all; all=$(IFS=,; echo "${ports[*]}")
    "$python" "$root/bench/cluster/measure.py" burst "${https[0]}" "$all" "${files[@]:latency+burst:agents}" > /dev/null   # warm-up
    if [ "${LATENCY_TOO:-true}" = true ]; then
        "$python" "$root/bench/cluster/measure.py" latency "${https[0]}" "${ports[0]}" "${files[@]:0:latency}" > "$out/$name.latency.json"
    fi
    "$python" "$root/bench/cluster/measure.py" burst "${https[0]}" "$all" "${files[@]:latency:burst}" > "$out/$name.burst.json"
    for p in "${agent_pids[@]}"; do kill -TERM "$p"; wait "$p" || true; done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
site sqlite sqlite 1
site pg1 postgresql 1
LATENCY_TOO=false site pg2 postgresql 2

# Claim throughput: the agents' own claim statement on jobs nobody holds, then the record that settles the job.
psql -d pg1 -c "INSERT INTO jobs (sop_instance_uid, sop_class_uid, transfer_syntax_uid, spool_file, content_hash, length,
    calling_ae, version, state, times_received, received_at, updated_at, fence)
  SELECT sop_instance_uid || '.9' || g, sop_class_uid, transfer_syntax_uid, spool_file, content_hash, length,
    calling_ae, 1, 0, 1, received_at, updated_at, 0
  FROM (SELECT * FROM jobs ORDER BY id LIMIT 1) j, generate_series(1, $claims) g" 2> "$out/insert.err" || { cat "$out/insert.err" >&2; exit 1; }
cat > "$out/claim.sql" <<'SQL'
WITH free AS (SELECT id FROM jobs WHERE state < 3 AND (claimed_by IS NULL OR lease_until < now())
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE jobs SET fence = jobs.fence + 1, claimed_by = 'bench-' || :client_id, lease_until = now() + make_interval(secs => 30)
FROM free WHERE jobs.id = free.id RETURNING jobs.id AS claimed, jobs.fence AS fence \gset
UPDATE jobs SET state = 10, claimed_by = NULL, lease_until = NULL WHERE id = :claimed AND fence = :fence AND claimed_by = 'bench-' || :client_id;
SQL
claim_rate() {
    "$pgbin/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -n -f "$out/claim.sql" -c "$1" -j "$1" -t $((claims / 2 / $1)) pg1 2>&1 \
        | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'
}
claims1=$(claim_rate 1)
claims2=$(claim_rate 2)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

"$python" - "$out" "$load_before" "$load_after" "$claims1" "$claims2" <<'PY'
import json, sys
out, before, after, c1, c2 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
r = {k: json.load(open(f"{out}/{k}")) for k in ["sqlite.latency.json", "sqlite.burst.json", "pg1.latency.json", "pg1.burst.json", "pg2.burst.json"]}
sl, sb, pl, pb, p2 = (r[k] for k in ["sqlite.latency.json", "sqlite.burst.json", "pg1.latency.json", "pg1.burst.json", "pg2.burst.json"])
print(f"load average {before} before, {after} after.\n")
print("| measure | SQLite (default), 1 agent | PostgreSQL, 1 agent | PostgreSQL, 2 agents |")
print("| --- | ---: | ---: | ---: |")
print(f"| end-to-end latency p50 ({sl['n']} studies one at a time) | {sl['p50']:.2f} s | {pl['p50']:.2f} s ({pl['p50'] / sl['p50']:.2f}×) | |")
print(f"| end-to-end latency p95 | {sl['p95']:.2f} s | {pl['p95']:.2f} s | |")
print(f"| burst of {sb['n']} (round robin): studies/min until all complete | {sb['per_minute']:.0f} | {pb['per_minute']:.0f} ({pb['per_minute'] / sb['per_minute']:.2f}×) | {p2['per_minute']:.0f} ({p2['per_minute'] / pb['per_minute']:.2f}× of 1 agent) |")
print(f"| burst intake (answered) | {sb['intake_s']:.1f} s | {pb['intake_s']:.1f} s | {p2['intake_s']:.1f} s |")
print(f"| claims per second (claim + settle, pgbench) | | {c1:.0f} (1 client) | {c2:.0f} (2 clients, {c2 / c1:.2f}×) |")
print()
print(json.dumps(r))
PY
