#!/usr/bin/env bash
# make load: for each gateway key (RSA-2048, then ECDSA P-256) a gateway on a free loopback port
# with a fresh data directory (fsync on, as in production), driven by `carmed load` with presigned
# envelopes; then, on the P-256 gateway's saved consults and answers, the P2 anchor: a libxmlsec1
# verify + sign loop (tools/xmlsec_anchor.py, python3-xmlsec from make deps; skipped with a note
# when missing); then the goals of issue 14 (P1–P3, P5) from the runs, each against the Go
# signing rates and the xmlsec loop measured in the same run.
# Env: LOAD_DURATION (each phase, default 10s), LOAD_CONCURRENCY (default 8), LOAD_OPS (phases
# for the RSA gateway, default consult,create; the ECDSA gateway runs consult), LOAD_OUT (the
# JSON lines, default bin/load.jsonl, rewritten), LOAD_PROFILE (a directory: each gateway writes
# its CPU profile there, rsa.prof and ecdsa.prof, for `go tool pprof bin/carmed FILE`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
out=${LOAD_OUT:-bin/load.jsonl}
work=$(mktemp -d)
. tools/gateway.sh
trap 'gateway_stop; rm -rf "$work"' EXIT
: >"$out"

for key in rsa ecdsa; do
  ops=${LOAD_OPS:-consult,create}
  [ "$key" = ecdsa ] && ops=consult
  prof=() save=()
  [ -n "${LOAD_PROFILE:-}" ] && mkdir -p "$LOAD_PROFILE" && prof=(--cpuprofile "$LOAD_PROFILE/$key.prof")
  [ "$key" = ecdsa ] && save=(--save "$work/saved")
  gateway_start "$bin" "$work/$key" "--gateway-key $key" --registry testdata/registry --today 2026-12-01 --harness "${prof[@]}"
  echo "== $key gateway key, pid $gw_pid, $gw_url"
  "$bin" load --url "$gw_url" --pki "$work/$key/pki" --pid "$gw_pid" --label "$key" --ops "$ops" \
    --duration "${LOAD_DURATION:-10s}" --concurrency "${LOAD_CONCURRENCY:-8}" --out "$out" "${save[@]}"
  gateway_stop
done
if /usr/bin/python3 -c 'import xmlsec, lxml' 2>/dev/null; then
  echo "== P2 anchor: libxmlsec1 verify + sign (P-256) on the same envelopes"
  /usr/bin/python3 tools/xmlsec_anchor.py --dir "$work/saved" --client-cert "$work/ecdsa/pki/cpas-namur.crt" \
    --key "$work/ecdsa/pki/gateway.key" --duration "${LOAD_DURATION:-10s}" --out "$out"
else
  echo "== P2 anchor skipped: python3-xmlsec is missing (make deps)"
fi
echo "== goals (issue 14), $out"
"$bin" load --report "$out"
