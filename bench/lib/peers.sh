# shellcheck shell=bash
# What the end-to-end benchmarks (bench/service, bench/cluster) share: the chest films, free loopback ports, waiting for
# an HTTP endpoint, and Orthanc as the PACS. Sourced after `root`, `python`, `out` and the array `pids` are set.

# ensure_films DATA COUNT: at least COUNT chest DX files in DATA (made by generate_cxr.py when fewer are there).
ensure_films() {
    local have=0
    if [ -d "$1" ]; then have=$(find "$1" -name '*.dcm' | wc -l); fi
    if [ "$have" -lt "$2" ]; then
        rm -rf "$1"
        echo "generating $2 chest DX files in $1" >&2
        "$python" "$root/bench/service/generate_cxr.py" "$1" "$2"
    fi
}

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_http URL [TENTHS]: until URL answers (at most TENTHS tenths of a second, 60 s by default).
wait_http() {
    for _ in $(seq "${2:-600}"); do curl -sf "$1" > /dev/null && return 0; sleep 0.1; done
    echo "no answer from $1" >&2; return 1
}

# start_orthanc [TENTHS]: Orthanc in $out/orthanc, listening on orthanc_dicom and orthanc_http (set here), its pid in
# pids; waits for it as wait_http does.
start_orthanc() {
    orthanc_dicom=$(free_port); orthanc_http=$(free_port)
    mkdir -p "$out/orthanc"
    cat > "$out/orthanc/config.json" <<JSON
{ "Name": "bench", "HttpPort": $orthanc_http, "DicomPort": $orthanc_dicom, "DicomAet": "ORTHANC",
  "StorageDirectory": "$out/orthanc/db", "IndexDirectory": "$out/orthanc/db", "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false, "DicomCheckCalledAet": false, "DicomAlwaysAllowStore": true, "Plugins": [] }
JSON
    Orthanc "$out/orthanc/config.json" > "$out/orthanc.log" 2>&1 &
    pids+=($!)
    wait_http "http://127.0.0.1:$orthanc_http/system" "${1:-600}"
}
