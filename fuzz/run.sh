#!/usr/bin/env bash
# Fuzzes every target of this crate with afl.rs for SECONDS each (default 20: CI's smoke run),
# one after another, and fails if any crash or hang was saved. Needs cargo-afl
# (`cargo install cargo-afl --locked`; its AFL++ runtime is built on first use).
#   fuzz/run.sh [SECONDS] [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-20}
out=${2:-target/afl}
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1

# The AFL++ runtime for this rustc; "already built" is not an error.
if ! cargo afl config --build >/tmp/iamproof-afl-config.log 2>&1; then
    grep -q "already built" /tmp/iamproof-afl-config.log || { cat /tmp/iamproof-afl-config.log >&2; exit 1; }
fi
cargo afl build --release --features afl --locked

status=0
for target in parse differential engine; do
    dir="$out/$target"
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "fuzz: $target for $seconds s"
    cargo afl fuzz -i "seeds/$target" -o "$dir" -V "$seconds" -t 2000 "target/release/$target" \
        >"$dir.log" 2>&1 || { tail -n 30 "$dir.log" >&2; status=1; continue; }
    stats="$dir/default/fuzzer_stats"
    execs=$(awk -F': *' '/^execs_done/ {print $2}' "$stats")
    crashes=$(find "$dir/default/crashes" -type f -name 'id:*' | wc -l)
    hangs=$(find "$dir/default/hangs" -type f -name 'id:*' | wc -l)
    echo "fuzz: $target: $execs executions, $crashes crashes, $hangs hangs"
    if ((crashes + hangs > 0)); then
        status=1
    fi
done
exit $status
