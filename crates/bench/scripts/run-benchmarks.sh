#!/bin/sh
# Reproduces the tables of BENCHMARKS.md (run from the workspace root). Each command prints
# Markdown; the scaling run also writes docs/bench-latency.svg.
set -eu
cargo build --release -p iamproof-bench
B=${CARGO_TARGET_DIR:-target}/release/iamproof-bench
OUT=${OUT:-bench-out}
mkdir -p "$OUT"
$B --native-timeout 5 --sample-every 100 --external-limit 15 --timeout 10 mamip > "$OUT/mamip.md"
$B --native-timeout 5 --sample-every 3 --external-limit 10 --timeout 10 managed-pairs --n 3 > "$OUT/managed-pairs.md"
$B --native-timeout 5 --sample-every 330 --external-limit 10 --timeout 10 not-granted > "$OUT/not-granted.md"
$B --native-timeout 5 --sample-every 12 --external-limit 20 --timeout 10 public > "$OUT/public.md"
$B --native-timeout 5 --timeout 5 scaling --max-patterns 10000 --svg docs/bench-latency.svg > "$OUT/scaling.md"
