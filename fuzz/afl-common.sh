# Shared by the AFL++ fuzz scripts (source it): tool checks, the SharpFuzz-instrumented publish, one bounded run.
# Needs afl-fuzz (apt-get install -y afl++); SharpFuzz.CommandLine 2.3.0 is installed into $out/tools on first use.

# afl_prepare OUT: fails early without afl-fuzz; makes OUT and the sharpfuzz tool.
afl_prepare() {
    if ! command -v afl-fuzz >/dev/null; then
        echo "afl-fuzz is not installed (apt-get install -y afl++); nothing fuzzed" >&2
        exit 2
    fi
    mkdir -p "$1"
    if [ ! -x "$1/tools/sharpfuzz" ]; then
        dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$1/tools" >/dev/null
    fi
}

# afl_publish PROJECT OUT: publishes PROJECT to OUT/bin (BUILD_ARGS go to dotnet publish) and keeps an uninstrumented
# copy in OUT/replay for replaying findings; then instruments only our toolkit assembly (coverage of our parsers, not
# of the runtime).
afl_publish() {
    rm -rf "$2/bin" "$2/replay"
    # shellcheck disable=SC2086 # BUILD_ARGS is a list of arguments
    dotnet publish "$1" -c Release -o "$2/bin" --artifacts-path "$2/build" ${BUILD_ARGS:-} >/dev/null
    cp -r "$2/bin" "$2/replay"
    "$2/tools/sharpfuzz" "$2/bin/CxrPacsAgent.Dicom.dll"
}

# afl_run SEEDS FINDINGS SECONDS NAME COMMAND...: a fresh bounded run, then one summary line for NAME.
afl_run() {
    local seeds=$1 findings=$2 seconds=$3 name=$4
    shift 4
    rm -rf "$findings"
    export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
    timeout --signal=INT $((seconds + 60)) afl-fuzz -i "$seeds" -o "$findings" -t 5000 -m none -V "$seconds" -- "$@" \
        > "$findings.log" 2>&1 || true
    local stats
    stats=$(find "$findings" -name fuzzer_stats 2>/dev/null | head -1)
    if [ -z "$stats" ]; then
        echo "$name: afl-fuzz did not start; see $findings.log" >&2
        tail -5 "$findings.log" >&2
        return 1
    fi
    awk -v t="$name" -F' *: ' '/^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|run_time|bitmap_cvg)/ {v[$1]=$2}
      END {printf "%s: run_time=%ss execs=%s execs_per_sec=%s corpus=%s coverage=%s crashes=%s hangs=%s\n",
        t, v["run_time"], v["execs_done"], v["execs_per_sec"], v["corpus_count"], v["bitmap_cvg"], v["saved_crashes"], v["saved_hangs"]}' "$stats"
}
