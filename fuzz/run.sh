#!/usr/bin/env bash
# Runs the libFuzzer targets (built by `make fuzz` in build-fuzz/) for a
# while each, with the dictionary, two at a time by default:
#   fuzz/run.sh [-b BUILD] [-j PARALLEL] SECONDS [TARGET...]
# The committed seeds (fuzz/corpus/T/) are read, never written: new inputs
# go to BUILD/corpus/T/, findings to BUILD/artifacts/T-crash-*, each run's
# log to BUILD/logs/T.log. Prints one line per target (executions,
# coverage: cov = edges, ft = features) and exits 1 when any target found
# something (its log's tail is printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build-fuzz
jobs=2
while getopts b:j: o; do
    case $o in
    b) build=$OPTARG ;;
    j) jobs=$OPTARG ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
seconds=${1:?usage: fuzz/run.sh [-b BUILD] [-j N] SECONDS [TARGET...]}
shift
targets=("$@")
((${#targets[@]})) || targets=(text html epub cast jsonl)
mkdir -p "$build/logs" "$build/artifacts"
for t in "${targets[@]}"; do
    [[ -x $build/fuzz/fuzz_$t ]] || { echo "fuzz/run.sh: no $build/fuzz/fuzz_$t (make fuzz builds it)" >&2; exit 2; }
    mkdir -p "$build/corpus/$t"
done

run_one() {
    local t=$1
    # -timeout: a single input slower than this is a finding (a quadratic path);
    # leaks are findings (ASan's leak check runs after each input that allocated)
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        nice -n 10 "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -dict=fuzz/quoth.dict \
        -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$t-" "$build/corpus/$t" "fuzz/corpus/$t" \
        >"$build/logs/$t.log" 2>&1
}
export -f run_one
export build seconds
status=0
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}' || status=1

for t in "${targets[@]}"; do
    log=$build/logs/$t.log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1, ft \2, corpus \3/p' <<<"$last")
    if grep -qE '^SUMMARY|ERROR: libFuzzer|==ERROR' "$log"; then
        echo "fuzz_$t: FINDING after ${execs:-?} executions ($cov); $log:"
        tail -n 40 "$log"
        status=1
    else
        echo "fuzz_$t: ${execs:-?} executions in ${seconds} s, $cov"
    fi
done
exit $status
