#!/usr/bin/env bash
# make load-etcd: the figures of issue 16 — consult and create rates of one gateway on bbolt, one
# gateway on a three-member etcd cluster and two gateways sharing it, all on this machine, with
# `carmed load` (presigned envelopes; with two gateways one load process drives each, with half
# the concurrency). etcd keeps fsync on, as bbolt does. Prints one table; JSON lines in LOAD_OUT.
# Env: LOAD_DURATION (each phase, default 10s), LOAD_CONCURRENCY (default 8), LOAD_OUT
# (default bin/load-etcd.jsonl, rewritten).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
out=${LOAD_OUT:-bin/load-etcd.jsonl}
dur=${LOAD_DURATION:-10s}
conc=${LOAD_CONCURRENCY:-8}
work=$(mktemp -d)
. tools/etcd.sh
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  etcd_stop
  rm -rf "$work"
}
trap cleanup EXIT
: >"$out"
"$bin" pki init --dir "$work/pki" >/dev/null

freeport() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve NAME [FLAGS…]: a gateway on a free port; sets url and pid.
serve() {
  local name=$1
  shift
  local port
  port=$(freeport)
  "$bin" serve --listen "127.0.0.1:$port" --data "$work/$name" --pki "$work/pki" --registry testdata/registry \
    --today 2026-12-01 --harness "$@" 2>"$work/$name.log" &
  pid=$!
  pids+=("$pid")
  url=http://127.0.0.1:$port
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$work/$name.log" >&2
  return 1
}

# cpu_ticks PID…: user+system clock ticks of the processes so far.
cpu_ticks() {
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}

# phase LABEL URL… : each op for dur, one load process per gateway.
phase() {
  local label=$1
  shift
  local urls=("$@") n=$# op
  for op in consult create; do
    local before=0 lp=() i off=0
    [ "$op" = create ] && off=200000 # the phases of one run make distinct persons too
    [ ${#etcd_pids[@]} -gt 0 ] && before=$(cpu_ticks "${etcd_pids[@]}")
    for ((i = 0; i < n; i++)); do
      "$bin" load --url "${urls[i]}" --pki "$work/pki" --pid "${gpids[i]}" --label "$label/gw$((i + 1))" --ops "$op" \
        --first-person $((i * 400000 + off)) \
        --duration "$dur" --concurrency $((conc / n)) --out "$out" >"$work/load-$label-$i.txt" 2>&1 &
      lp+=($!)
    done
    for ((i = 0; i < n; i++)); do
      wait "${lp[i]}" || { echo "load $label/gw$((i + 1)) $op failed:" >&2; cat "$work/load-$label-$i.txt" >&2; return 1; }
    done
    if [ ${#etcd_pids[@]} -gt 0 ]; then
      echo "{\"label\":\"$label/etcd\",\"op\":\"$op\",\"etcd_cpu_ticks\":$(($(cpu_ticks "${etcd_pids[@]}") - before)),\"ticks_per_s\":$(getconf CLK_TCK)}" >>"$out"
    fi
  done
}

echo "== one gateway on bbolt"
serve bolt
gpids=("$pid")
phase bbolt "$url"
kill "$pid"

echo "== three etcd members"
# The load tool loads its persons 1,000 in one harness request: more writes than etcd's default
# --max-txn-ops (128) lets one transaction have.
etcd_start "$work/etcd" 3 --max-txn-ops 4096
store="etcd://$etcd_endpoints/load"
echo "== one gateway on etcd"
serve etcd1 --store "$store?max-txn-ops=4096"
gpids=("$pid")
phase etcd-1gw "$url"
kill "$pid"

echo "== two gateways on etcd"
serve etcd2a --store "$store/two?max-txn-ops=4096"
u1=$url p1=$pid
serve etcd2b --store "$store/two?max-txn-ops=4096"
gpids=("$p1" "$pid")
phase etcd-2gw "$u1" "$url"

/usr/bin/python3 - "$out" "$dur" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("== figures (issue 16), %s" % sys.argv[1])
print("%-10s %-8s %9s %8s %8s %10s %12s" % ("setup", "op", "req/s", "p50 ms", "p99 ms", "gw cores", "etcd cpu s*"))
for setup in ("bbolt", "etcd-1gw", "etcd-2gw"):
    for op in ("consult", "create"):
        rs = [r for r in rows if r["label"].startswith(setup + "/gw") and r["op"] == op]
        if not rs:
            continue
        secs = max(r["seconds"] for r in rs)
        et = [r for r in rows if r["label"] == setup + "/etcd" and r["op"] == op]
        ecores = "%.1f" % (et[0]["etcd_cpu_ticks"] / et[0]["ticks_per_s"]) if et else "-"
        errs = sum(r["sent"] - r["ok"] for r in rs)
        print("%-10s %-8s %9.0f %8.1f %8.1f %10.2f %12s%s" % (setup, op, sum(r["rps"] for r in rs),
              max(r["p50_ms"] for r in rs), max(r["p99_ms"] for r in rs),
              sum(r.get("gateway_cores", 0) for r in rs), ecores, "  (%d not ok)" % errs if errs else ""))
print("* CPU seconds of the three etcd members over the whole phase, setup included (the load tool")
print("  loading its persons through the harness), not only the timed run: the machine's 2 cores")
print("  are shared by the members, the gateways and the load tool.")
PY
