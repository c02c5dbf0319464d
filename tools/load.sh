#!/usr/bin/env bash
# make load: for each gateway key (RSA-2048, then ECDSA P-256) a gateway on a free loopback port
# with a fresh data directory (fsync on, as in production), driven by `carmed load` with presigned
# envelopes; then the goals of issue 14 (P1–P3, P5) from the two runs, each against the Go
# signing rates measured in the same run.
# Env: LOAD_DURATION (each phase, default 10s), LOAD_CONCURRENCY (default 8), LOAD_OPS (phases
# for the RSA gateway, default consult,create; the ECDSA gateway runs consult), LOAD_OUT (the
# JSON lines, default bin/load.jsonl, rewritten).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
out=${LOAD_OUT:-bin/load.jsonl}
work=$(mktemp -d)
pid=
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  pid=
}
trap 'stop; rm -rf "$work"' EXIT
: >"$out"

for key in rsa ecdsa; do
  ops=${LOAD_OPS:-consult,create}
  [ "$key" = ecdsa ] && ops=consult
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$bin" pki init --dir "$work/$key/pki" --gateway-key "$key" >/dev/null
  "$bin" serve --listen "127.0.0.1:$port" --data "$work/$key/data" --pki "$work/$key/pki" \
    --registry testdata/registry --today 2026-12-01 --harness 2>"$work/$key/serve.log" &
  pid=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "gateway did not start:"; cat "$work/$key/serve.log"; exit 1; fi
    sleep 0.1
  done
  echo "== $key gateway key, pid $pid, 127.0.0.1:$port"
  "$bin" load --url "http://127.0.0.1:$port" --pki "$work/$key/pki" --pid "$pid" --label "$key" --ops "$ops" \
    --duration "${LOAD_DURATION:-10s}" --concurrency "${LOAD_CONCURRENCY:-8}" --out "$out"
  stop
done
echo "== goals (issue 14), $out"
"$bin" load --report "$out"
