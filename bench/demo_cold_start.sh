#!/usr/bin/env bash
# Time a cold `make demo` on a fresh clone of this repository to the first page served.
#   bench/demo_cold_start.sh            fresh clone, fresh .venv (pip may use its cache)
# Prints the seconds to the first 200 on /accounts/login/ and the steps' times.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=${KOINOTITA_BENCH_PORT:-8765}
trap 'kill -- -$pid 2>/dev/null || true; rm -rf "$work"' EXIT
git clone -q "$repo" "$work/koinotita"
cd "$work/koinotita"
start=$(date +%s%N)
set -m
KOINOTITA_PORT=$port make demo > "$work/demo.log" 2>&1 &
pid=$!
set +m
until curl -fs -o /dev/null "http://127.0.0.1:$port/accounts/login/"; do
  sleep 0.2
  if ! kill -0 $pid 2>/dev/null; then cat "$work/demo.log"; echo "demo exited" >&2; exit 1; fi
  if (( ($(date +%s%N) - start) / 1000000000 > 900 )); then echo "timed out" >&2; exit 1; fi
done
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf 'cold make demo → first page: %d.%01d s\n' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
grep -E '^\[|Koinotita demo' "$work/demo.log" || true
