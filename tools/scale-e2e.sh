#!/usr/bin/env bash
# make bench-scale-e2e: P4 of issue 14 end to end. BenchmarkConsultAtScale fills a bbolt file
# with SCALE_N decisions (and prints its own store-level figures), keeps it (SCALE_KEEP), and a
# gateway serves it beside a gateway on a fresh store; `carmed load` then drives consults at each
# in alternating rounds (E2E_ROUNDS, default 3, of E2E_DURATION, default 15s) and the p50s are
# compared, one request in flight by default (E2E_CONCURRENCY): the p50 is then the time of a
# consult, not of a queue. The load consults the one decision it creates (cmd/carmed/load.go), so the big
# store's pages it reads are hot after the first requests: what differs is the depth of bbolt's
# trees, not the page cache (the store-level benchmark consults random persons for that).
# Everything lives under a temporary directory under /tmp, removed at the end (1 M: ~9 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
n=${SCALE_N:-1000000}
rounds=${E2E_ROUNDS:-3}
dur=${E2E_DURATION:-15s}
# envelopes presigned per round: above what one request in flight gets answered on two cores
# (~600/s), far below the load tool's default, so a round does not wait minutes for its pool
max=$((${dur%s} * 1000))
work=$(mktemp -d /tmp/carmed-scale.XXXXXX)
. tools/gateway.sh
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/big/data"
echo "== filling a store with $n decisions (BenchmarkConsultAtScale, SCALE_KEEP)"
SCALE_KEEP="$work/big/data" SCALE_N=$n go test -run '^$' -bench '^BenchmarkConsultAtScale$' -benchtime 1x -timeout 60m ./store/ |
  grep -E 'decisions|P4|filled'

declare -A url pid
for side in fresh big; do
  gateway_start "$bin" "$work/$side" "--gateway-key rsa" --registry testdata/registry --today 2026-12-01 --harness
  url[$side]=$gw_url pid[$side]=$gw_pid
  pids+=("$gw_pid")
  gw_pid= # both run at once: cleanup stops them
done
echo "== gateways: fresh store pid ${pid[fresh]}, $n decisions pid ${pid[big]}"
: >"$work/p50"
for r in $(seq "$rounds"); do
  for side in fresh big; do
    "$bin" load --url "${url[$side]}" --pki "$work/$side/pki" --pid "${pid[$side]}" --label "$side" --ops consult \
      --duration "$dur" --max "$max" --concurrency "${E2E_CONCURRENCY:-1}" --first-person $((r * 10)) >"$work/load.log"
    line=$(grep -E "^$side/consult" "$work/load.log")
    echo "  round $r $line"
    echo "$side $(echo "$line" | sed -E 's/.* p50 ([0-9.]+)ms.*/\1/')" >>"$work/p50"
  done
done
# the median of each side's round p50s, and their ratio
awk -v n="$n" '
  { v[$1, ++c[$1]] = $2 }
  END {
    for (s in c) { k = c[s]; for (i = 1; i <= k; i++) a[i] = v[s, i]
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      m[s] = (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
    printf "== P4 end to end: consult p50 %.2f ms on %d decisions vs %.2f ms on a fresh store: %.2f× (goal ≤ 1.3×)\n",
      m["big"], n, m["fresh"], m["big"] / m["fresh"]
  }' "$work/p50"
